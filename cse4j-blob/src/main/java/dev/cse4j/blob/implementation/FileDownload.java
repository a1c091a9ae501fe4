package dev.cse4j.blob.implementation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Downloads into a file without ever leaving partial plaintext behind: the plaintext goes to a temporary file in the
 * target's directory (created owner-only on POSIX systems), which is moved over the target only when the whole
 * download succeeded, and deleted on any failure.
 */
public final class FileDownload {
    /** Writes into the channel; returns the bytes written. */
    public interface Writer {
        long write(FileChannel channel);
    }

    private FileDownload() {
    }

    /**
     * @throws UncheckedIOException wrapping {@link FileAlreadyExistsException} if the target exists and
     *     {@code overwrite} is false, or any I/O failure
     */
    public static long write(Path target, boolean overwrite, Writer writer) {
        Path absolute = target.toAbsolutePath();
        if (!overwrite && Files.exists(absolute)) {
            throw new UncheckedIOException(new FileAlreadyExistsException(absolute.toString(), null,
                "the file exists; download with overwrite set to replace it"));
        }
        Path directory = absolute.getParent();
        Path temp;
        try {
            temp = Files.createTempFile(directory, "." + absolute.getFileName() + ".", ".cse4j-partial");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary file in " + directory, e);
        }
        boolean done = false;
        try {
            long written;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
                written = writer.write(channel);
                channel.force(false);
            }
            move(temp, absolute, overwrite);
            done = true;
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort; the original failure is what matters
                }
            }
        }
    }

    private static void move(Path temp, Path target, boolean overwrite) throws IOException {
        if (!overwrite) {
            Files.move(temp, target);
            return;
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
