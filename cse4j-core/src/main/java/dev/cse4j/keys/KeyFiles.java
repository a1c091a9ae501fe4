package dev.cse4j.keys;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

/**
 * Reading and writing key files. Written files are readable and writable by their owner only ({@code rw-------}) on
 * file systems with POSIX permissions, and get those permissions when they are created: there is no moment at which
 * another user could open them. Elsewhere (Windows) the file inherits the folder's access control list.
 */
final class KeyFiles {
    /** Larger than any sensible key file; keeps a wrong path from reading a huge file into memory. */
    static final int MAX_SIZE = 1 << 20;

    private KeyFiles() {
    }

    /**
     * The file's text (UTF-8, without a byte order mark). At most {@link #MAX_SIZE} bytes are ever read, whatever the
     * file is: a device such as {@code /dev/zero}, a pipe or a FIFO that never ends, or a huge file are refused once
     * that much was read, without reading on.
     */
    static String read(Path file) {
        byte[] bytes = null;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = new byte[MAX_SIZE + 1]; // one array, zeroed below: no unzeroed copies of key material
            int length = in.readNBytes(bytes, 0, bytes.length);
            if (length > MAX_SIZE) {
                throw new JsonWebKeyException(describe(file) + " is larger than 1 MiB, so it is not a key file. Check "
                    + "the path.");
            }
            if (startsWithByteOrderMark(bytes, length)) {
                throw new JsonWebKeyException(describe(file) + " starts with a UTF-8 byte order mark (bytes EF BB BF), "
                    + "which JSON text must not have (RFC 8259 §8.1). Save the file as UTF-8 without a byte order "
                    + "mark.");
            }
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw new JsonWebKeyException(describe(file) + " is not UTF-8 text, so it is not a JSON key file. Check "
                + "the path.");
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("Cannot read " + describe(file) + ": it does not exist.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + describe(file) + ": " + e, e);
        } finally {
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    private static boolean startsWithByteOrderMark(byte[] bytes, int length) {
        return length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF;
    }

    /**
     * Writes {@code text} (UTF-8) to a new owner-only file, or atomically replaces an existing file when
     * {@code overwrite} is set (the new content goes to an owner-only temporary file in the same folder, which is
     * then renamed over the old one, so readers see the old or the new file, never a part).
     */
    static void writeOwnerOnly(Path file, String text, boolean overwrite) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            if (overwrite) {
                replace(file, bytes);
            } else {
                create(file, bytes);
            }
        } catch (FileAlreadyExistsException e) {
            throw new UncheckedIOException(describe(file) + " already exists; it was left unchanged. Choose another "
                + "path, or allow overwriting to replace it.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + describe(file) + ": " + e, e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static void create(Path file, byte[] bytes) throws IOException {
        // Fails before creating anything if the file exists, so the cleanup below only ever removes our own file.
        FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW),
            ownerOnly(file));
        boolean written = false;
        try (channel) {
            writeFully(channel, bytes);
            written = true;
        } finally {
            if (!written) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static void replace(Path file, byte[] bytes) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(folder, "." + file.getFileName(), ".tmp", ownerOnly(file));
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                writeFully(channel, bytes);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void writeFully(FileChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        channel.force(true);
    }

    /** {@code rw-------} at creation where the file system has POSIX permissions; nothing elsewhere. */
    private static FileAttribute<?>[] ownerOnly(Path file) {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                "rw-------"))};
        }
        return new FileAttribute<?>[0];
    }

    private static String describe(Path file) {
        return "key file '" + file + "'";
    }
}
