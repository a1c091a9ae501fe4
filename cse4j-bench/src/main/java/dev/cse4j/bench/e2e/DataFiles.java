package dev.cse4j.bench.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** The files transferred: random (incompressible) bytes, and their SHA-256 to check every download. */
final class DataFiles {
    private static final int CHUNK = 1 << 20;

    private DataFiles() {
    }

    /** Writes {@code size} random bytes (a fresh seed each time) to {@code file}; returns their SHA-256 (hex). */
    static String writeRandom(Path file, long size) throws IOException {
        MessageDigest sha = sha256();
        SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; ) {
                int n = (int) Math.min(CHUNK, size - written);
                chunk.clear();
                while (chunk.remaining() >= Long.BYTES) {
                    chunk.putLong(random.nextLong());
                }
                sha.update(chunk.array(), 0, n);
                out.write(chunk.array(), 0, n);
                written += n;
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The SHA-256 (hex) of a file's content. */
    static String sha256Hex(Path file) throws IOException {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[CHUNK];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no SHA-256", e);
        }
    }
}
