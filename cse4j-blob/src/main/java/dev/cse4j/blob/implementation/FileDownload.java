package dev.cse4j.blob.implementation;

import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * Downloads into a file without ever leaving plaintext behind, for both kinds of client: the plaintext goes to a
 * {@link TransientFile} beside the target (owner-only, locked, deleted on failure, cancellation and by the shutdown
 * hook on SIGINT/SIGTERM, swept by the next download into the folder after SIGKILL), which is moved over the target
 * only once the whole download succeeded, i.e. every region verified. The file operations run on the
 * {@link Transfers#scheduler() transfer scheduler}, never on the subscriber's thread.
 *
 * <p>What the target may be ({@link #destination}): a regular file (replaced, with overwrite) or a new one; never a
 * folder, FIFO, device or socket (a download never replaces one). A symbolic link is followed, as the JDK's open
 * follows it in the plain SDK's {@code downloadToFile}: the file the link names gets the plaintext (replaced
 * atomically, or created if the link dangles) and the link stays; without overwrite an existing link, even a
 * dangling one, counts as an existing file, as it does for the plain SDK's {@code CREATE_NEW}. The plaintext file is
 * owner-only ({@code rw-------}) whether it is new or replaces another.
 */
public final class FileDownload {
    /** Symbolic links followed at most, as the operating system's own limit (Linux: 40). */
    private static final int MAX_LINKS = 40;

    private FileDownload() {
    }

    /**
     * The file a download to {@code target} writes: {@code target} made absolute, or the file its symbolic links
     * name. Call it before any request, to fail early; {@link #write} checks again before it replaces the file.
     *
     * @throws UncheckedIOException wrapping {@link FileAlreadyExistsException} if {@code target} exists (as a file
     *     or a link) and {@code overwrite} is false; wrapping a {@link FileSystemException} if it is a folder, not a
     *     regular file, or its folder does not exist
     */
    public static Path destination(Path target, boolean overwrite) {
        Path absolute = target.toAbsolutePath();
        if (!overwrite && Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
            throw new UncheckedIOException(new FileAlreadyExistsException(absolute.toString(), null,
                "the file exists; download with overwrite set to replace it"));
        }
        Path file = followLinks(absolute);
        checkReplaceable(target, file);
        return file;
    }

    /**
     * Creates the transient file beside the target's {@link #destination}, lets {@code writer} fill it, then moves
     * it over the target (for both kinds of client: a synchronous one waits for it).
     *
     * @return the bytes written; an error signal {@link UncheckedIOException} as {@link #destination}, or for any
     *     I/O failure
     */
    public static Mono<Long> write(Path target, boolean overwrite, Function<FileChannel, Mono<Long>> writer) {
        return Mono.usingWhen(onTransferThread(() -> Partial.create(target, overwrite)),
            partial -> writer.apply(partial.file.channel())
                .flatMap(written -> onTransferThread(() -> {
                    partial.complete();
                    return written;
                })),
            partial -> onTransferThread(partial::discard),
            (partial, error) -> onTransferThread(partial::discard),
            partial -> onTransferThread(partial::discard));
    }

    private static <T> Mono<T> onTransferThread(Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(Transfers.scheduler());
    }

    /** The transient file of one download, and where it goes. */
    private static final class Partial {
        private final Path target;
        private final Path destination;
        private final boolean overwrite;
        private final TransientFile file;

        private Partial(Path target, Path destination, boolean overwrite, TransientFile file) {
            this.target = target;
            this.destination = destination;
            this.overwrite = overwrite;
            this.file = file;
        }

        static Partial create(Path target, boolean overwrite) {
            Path destination = destination(target, overwrite);
            try {
                return new Partial(target, destination, overwrite, TransientFile.partialDownload(
                    destination.getParent(), destination.getFileName().toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Flushes the file and moves it over the destination, checked again: it may have changed meanwhile. */
        void complete() {
            try {
                file.channel().force(false);
                checkReplaceable(target, destination);
                file.moveTo(destination, overwrite);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Closes the file, deleting it unless the download completed; returns nothing. */
        Void discard() {
            file.close();
            return null;
        }
    }

    private static Path followLinks(Path absolute) {
        Path file = absolute;
        try {
            for (int links = 0; Files.isSymbolicLink(file); links++) {
                if (links == MAX_LINKS) {
                    throw new UncheckedIOException(new FileSystemException(absolute.toString(), null,
                        "more than " + MAX_LINKS + " symbolic links to follow (a loop?)"));
                }
                file = file.resolveSibling(Files.readSymbolicLink(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static void checkReplaceable(Path target, Path file) {
        String shown = target + (file.equals(target.toAbsolutePath()) ? "" : " (" + file + ")");
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            Path folder = file.getParent();
            if (folder == null || !Files.isDirectory(folder)) {
                throw cannotWrite(shown, "the folder " + folder + " does not exist");
            }
            return; // a new file
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + shown + ": " + e.getMessage(), e);
        }
        if (attributes.isDirectory()) {
            throw cannotWrite(shown, "it is a folder; give a file path");
        }
        if (!attributes.isRegularFile()) {
            throw cannotWrite(shown, "it is not a regular file but a FIFO, device or socket, which a download never "
                + "replaces; download to a regular file");
        }
    }

    private static UncheckedIOException cannotWrite(String shown, String reason) {
        return new UncheckedIOException("Cannot write " + shown + ": " + reason + ".",
            new FileSystemException(shown, null, reason));
    }
}
