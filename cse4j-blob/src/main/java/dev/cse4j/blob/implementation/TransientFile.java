package dev.cse4j.blob.implementation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file that exists only while a transfer runs: a download's partial plaintext beside its target, or an upload's
 * ciphertext spool in the temporary folder. Nothing of it may outlive the transfer:
 *
 * <ul>
 *   <li>It is created owner-only ({@code rw-------} where the file system has POSIX permissions), and held open with
 *       an exclusive lock for as long as it lives; {@link #close()} deletes it (unless {@link #moveTo} made it the
 *       download's target).</li>
 *   <li>A JVM shutdown hook (run on SIGINT, SIGTERM and {@code System.exit}) deletes every transient file of the
 *       process, even while workers are still writing into it (they write on into an unlinked file, which the
 *       operating system frees when the process ends). The hook and {@link #moveTo} exclude each other: either the
 *       move happened before the hook (the download was complete and verified) or the hook deleted the file and the
 *       move fails; and no transient file is created once the hook ran.</li>
 *   <li>After SIGKILL or a crash, nothing runs: the file stays. Its name says whose it is,
 *       {@code .<target>.<pid>-<random>.cse4j-partial} beside a download's target,
 *       {@code cse4j-upload-<pid>-<random>.encrypted} in the temporary folder; the next transfer that creates one in
 *       the same folder (a download into that folder, a spooling upload) first deletes those whose process is gone:
 *       the process id is not running on this machine and no process holds the file's lock (the lock covers
 *       processes the id cannot tell about: another PID namespace, another machine on a shared file system). A live
 *       process's file is never touched.</li>
 * </ul>
 *
 * <p>What remains possible: after SIGKILL, a crash or power loss, the file stays until the next transfer sweeps that
 * folder (a partial download holds verified plaintext, owner-only; a spool holds ciphertext only).
 */
public final class TransientFile implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long PID = ProcessHandle.current().pid();
    /** Files of this process not yet deleted or moved; guarded by the class lock, as is {@link #shuttingDown}. */
    private static final Set<Path> LIVE = new HashSet<>();
    private static final int MAX_NAME_PART = 100;
    private static final String PARTIAL_SUFFIX = ".cse4j-partial";
    private static final String SPOOL_PREFIX = "cse4j-upload-";
    private static final String SPOOL_SUFFIX = ".encrypted";
    /** Partial downloads of any target: {@code .<name>.<pid>-<32 hex>.cse4j-partial}. */
    private static final Pattern PARTIAL = Pattern.compile("\\..*\\.(\\d{1,19})-[0-9a-f]{32}"
        + Pattern.quote(PARTIAL_SUFFIX), Pattern.DOTALL);
    private static final Pattern SPOOL = Pattern.compile(Pattern.quote(SPOOL_PREFIX) + "(\\d{1,19})-[0-9a-f]{32}"
        + Pattern.quote(SPOOL_SUFFIX));
    private static boolean shuttingDown;

    static {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(TransientFile::deleteAll, "cse4j-transient-files"));
        } catch (IllegalStateException e) {
            shuttingDown = true; // loaded while the JVM shuts down: create nothing
        }
    }

    private final Path path;
    private final FileChannel channel;
    private boolean moved;

    private TransientFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /**
     * A download's partial file beside its target: {@code .<target name>.<pid>-<random>.cse4j-partial} in
     * {@code folder} (the target's name cut to {@value #MAX_NAME_PART} characters), after sweeping the folder's
     * partial files of dead processes.
     *
     * @throws IOException if it cannot be created, or the JVM is shutting down
     */
    public static TransientFile partialDownload(Path folder, String targetName) throws IOException {
        String name = targetName.length() <= MAX_NAME_PART ? targetName : targetName.substring(0, MAX_NAME_PART);
        return create(folder, "." + name + ".", PARTIAL_SUFFIX, PARTIAL);
    }

    /**
     * An upload's ciphertext spool: {@code cse4j-upload-<pid>-<random>.encrypted} in the temporary folder
     * ({@code java.io.tmpdir}), after sweeping that folder's spool files of dead processes.
     *
     * @throws IOException if it cannot be created, or the JVM is shutting down
     */
    public static TransientFile uploadSpool() throws IOException {
        return create(Path.of(System.getProperty("java.io.tmpdir")), SPOOL_PREFIX, SPOOL_SUFFIX, SPOOL);
    }

    private static TransientFile create(Path folder, String prefix, String suffix, Pattern leftovers)
        throws IOException {
        sweep(folder, leftovers);
        Path path = folder.resolve(prefix + PID + "-" + HexFormat.of().formatHex(randomBytes()) + suffix);
        synchronized (TransientFile.class) {
            if (shuttingDown) {
                throw new IOException("The JVM is shutting down: no temporary file is created.");
            }
            FileChannel channel = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE), ownerOnly(folder));
            try {
                channel.lock();
            } catch (IOException | RuntimeException e) {
                channel.close();
                Files.deleteIfExists(path);
                throw e;
            }
            LIVE.add(path);
            return new TransientFile(path, channel);
        }
    }

    public Path path() {
        return path;
    }

    /** The open channel (positional writes from several threads are fine). */
    public FileChannel channel() {
        return channel;
    }

    /**
     * Moves the file over {@code target} (atomically where the file system can; {@code target} is in the same
     * folder), after which it is the target and no longer transient.
     *
     * @throws IOException if the move fails, or the JVM is shutting down (the file was then deleted by the hook)
     */
    public void moveTo(Path target, boolean overwrite) throws IOException {
        synchronized (TransientFile.class) {
            if (shuttingDown) {
                throw new IOException("The JVM is shutting down: " + path + " was deleted, " + target + " was left "
                    + "as it was.");
            }
            if (!overwrite) {
                Files.move(path, target);
            } else {
                try {
                    Files.move(path, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            moved = true;
            LIVE.remove(path);
        }
    }

    /** Closes the channel (releasing the lock) and deletes the file unless it was moved. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing was buffered: FileChannel writes go straight to the file
        }
        if (!moved) {
            synchronized (TransientFile.class) {
                delete(path);
                LIVE.remove(path);
            }
        }
    }

    private static synchronized void deleteAll() {
        shuttingDown = true;
        for (Path path : LIVE) {
            delete(path);
        }
        LIVE.clear();
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // best effort: the next transfer in the folder sweeps it (its process is gone by then)
        }
    }

    /**
     * Deletes the leftovers of dead processes in {@code folder}: regular files whose name matches {@code leftovers}
     * (group 1: the process id), whose process id is not running here and whose lock nobody holds.
     */
    static void sweep(Path folder, Pattern leftovers) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                Matcher m = leftovers.matcher(file.getFileName().toString());
                if (m.matches() && isDead(m.group(1)) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    deleteIfUnlocked(file);
                }
            }
        } catch (IOException | RuntimeException e) {
            // a folder that cannot be listed has nothing we can sweep; the transfer itself reports real problems
        }
    }

    private static boolean isDead(String pid) {
        long id;
        try {
            id = Long.parseLong(pid);
        } catch (NumberFormatException e) {
            return false;
        }
        return id != PID && ProcessHandle.of(id).map(process -> !process.isAlive()).orElse(true);
    }

    private static void deleteIfUnlocked(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                Files.deleteIfExists(file);
                lock.release();
            }
        } catch (IOException | OverlappingFileLockException e) {
            // not ours to open, or locked: some process still owns it
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static FileAttribute<?>[] ownerOnly(Path folder) {
        if (folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                "rw-------"))};
        }
        return new FileAttribute<?>[0];
    }

    @Override
    public String toString() {
        return "TransientFile[" + path + "]";
    }
}
