package dev.cse4j.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/** Deterministic test payloads. */
public final class TestData {

    private static final byte[] RECIPE_SEED = "azure-cse-vector-seed".getBytes(StandardCharsets.US_ASCII);

    private TestData() {
    }

    /**
     * The plaintext recipe of the known-answer vectors: the first {@code n} bytes of the concatenation, for
     * i = 0, 1, 2, …, of SHA-256(ASCII "azure-cse-vector-seed" ‖ uint32 big-endian i).
     *
     * @param n how many bytes
     * @return the bytes
     */
    public static byte[] recipe(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, was " + n);
        }
        MessageDigest sha256 = sha256();
        byte[] out = new byte[n];
        ByteBuffer counter = ByteBuffer.allocate(Integer.BYTES);
        for (int i = 0, offset = 0; offset < n; i++, offset += 32) {
            sha256.update(RECIPE_SEED);
            sha256.update(counter.clear().putInt(i).array());
            byte[] block = sha256.digest();
            System.arraycopy(block, 0, out, offset, Math.min(block.length, n - offset));
        }
        return out;
    }

    /**
     * @param n how many bytes
     * @param seed the seed; the same seed always gives the same bytes ({@link Random}'s algorithm is fixed)
     * @return pseudo-random bytes (not for keys)
     */
    public static byte[] random(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, was " + n);
        }
        byte[] out = new byte[n];
        new Random(seed).nextBytes(out);
        return out;
    }

    /** @return the SHA-256 of {@code data} as lowercase hex, as the vectors store it */
    public static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(sha256().digest(data));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256, which every Java SE JVM must have", e);
        }
    }
}
