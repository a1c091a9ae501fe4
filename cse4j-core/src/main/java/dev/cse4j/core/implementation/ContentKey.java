package dev.cse4j.core.implementation;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.Destroyable;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A content encryption key (CEK): 32 random bytes, fresh for every object, message or entity.
 *
 * <p>{@link #toString()} never shows the key. {@link #destroy()} zeroes this object's copy; the JDK's
 * {@link SecretKeySpec} keeps its own copy that cannot be zeroed, so destruction is best effort.
 */
public final class ContentKey implements Destroyable {
    /** AES-256. */
    public static final int LENGTH = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;
    private final SecretKeySpec secretKey;
    private volatile boolean destroyed;

    private ContentKey(byte[] key) {
        this.key = key;
        this.secretKey = new SecretKeySpec(key, "AES");
    }

    /** A fresh random key from a shared {@link SecureRandom}. */
    public static ContentKey generate() {
        byte[] key = new byte[LENGTH];
        RANDOM.nextBytes(key);
        return new ContentKey(key);
    }

    /** A key from its 32 bytes (copied), as unwrapped from stored metadata. */
    public static ContentKey of(byte[] key) {
        if (key == null || key.length != LENGTH) {
            throw new IllegalArgumentException("A content encryption key has 32 bytes, not "
                + (key == null ? "null" : String.valueOf(key.length)));
        }
        return new ContentKey(key.clone());
    }

    /** A copy of the key bytes, for wrapping. The caller zeroes it after use. */
    public byte[] bytes() {
        checkNotDestroyed();
        return key.clone();
    }

    /** The key as a JCA AES key. */
    public SecretKey secretKey() {
        checkNotDestroyed();
        return secretKey;
    }

    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    private void checkNotDestroyed() {
        if (destroyed) {
            throw new IllegalStateException("This content key was destroyed");
        }
    }

    @Override
    public String toString() {
        return "ContentKey[redacted]";
    }
}
