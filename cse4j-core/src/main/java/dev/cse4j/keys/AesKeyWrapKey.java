package dev.cse4j.keys;

import dev.cse4j.core.KeyWrapException;

import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.Destroyable;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A local AES key encryption key: AES key wrap as specified in RFC 3394 (with its default initial value
 * {@code A6A6A6A6A6A6A6A6}), through the JDK's {@code AES/KW/NoPadding} cipher. This is the algorithm of Key Vault's
 * and the Azure Storage SDKs' {@code A128KW}, {@code A192KW} and {@code A256KW}.
 *
 * <ul>
 *   <li>The algorithm follows the key size: a 128-bit key does {@code A128KW} only, a 192-bit key {@code A192KW},
 *       a 256-bit key {@code A256KW}. Any other algorithm name is refused.</li>
 *   <li>RFC 3394 wraps a multiple of 8 bytes, at least 16 (a v1 content key is 32 bytes, a v2 one 40 with its
 *       version prefix); the wrapped key is 8 bytes longer.</li>
 *   <li>Unwrapping verifies the RFC 3394 integrity check: a wrong key or a modified wrapped key is a
 *       {@link KeyWrapException}, never a wrong content key.</li>
 * </ul>
 *
 * <p>The key bytes are copied in and never shown: {@link #toString()} gives the key id and size only.
 * {@link #destroy()} zeroes this object's copy, after which every operation throws {@link IllegalStateException};
 * the JCA provider's per-operation copies cannot be zeroed, so destruction is best effort.
 *
 * <p>Instances are safe for concurrent use.
 */
public final class AesKeyWrapKey extends LocalKeyEncryptionKey implements Destroyable {
    private static final String TRANSFORMATION = "AES/KW/NoPadding";
    private static final int SEMIBLOCK = 8;
    private static final int MIN_KEY_DATA = 16;

    private final byte[] key;
    private final String algorithm;
    private boolean destroyed;

    private AesKeyWrapKey(String keyId, byte[] key, KeyUsage usage) {
        super(keyId, usage);
        this.algorithm = algorithmFor(key.length);
        this.key = key.clone();
    }

    /**
     * An AES key wrap key.
     *
     * @param keyId the key id stored with the data; not blank
     * @param key 16, 24 or 32 bytes (copied; the caller may zero its array afterwards)
     * @throws IllegalArgumentException if the key id is blank or the key has another length
     */
    public static AesKeyWrapKey of(String keyId, byte[] key) {
        return of(keyId, key, KeyUsage.UNRESTRICTED);
    }

    static AesKeyWrapKey of(String keyId, byte[] key, KeyUsage usage) {
        Objects.requireNonNull(key, "key");
        return new AesKeyWrapKey(keyId, key, usage);
    }

    /** The only algorithm this key does: {@code A128KW}, {@code A192KW} or {@code A256KW} by key size. */
    public String wrapAlgorithm() {
        return algorithm;
    }

    @Override
    byte[] wrap(String algorithm, byte[] contentKey) {
        checkAlgorithm(algorithm);
        if (contentKey.length < MIN_KEY_DATA || contentKey.length % SEMIBLOCK != 0) {
            throw new KeyWrapException("Cannot wrap a " + contentKey.length + "-byte key with " + this.algorithm
                + ": RFC 3394 key wrap takes a multiple of 8 bytes, at least 16. Wrap the content key as the protocol "
                + "defines it (32 bytes for 1.0, 40 for 2.x).");
        }
        try {
            return cipher(Cipher.ENCRYPT_MODE).doFinal(contentKey);
        } catch (GeneralSecurityException e) {
            throw providerFailure("wrap", e);
        }
    }

    @Override
    byte[] unwrap(String algorithm, byte[] encryptedKey) {
        checkAlgorithm(algorithm);
        if (encryptedKey.length < MIN_KEY_DATA + SEMIBLOCK || encryptedKey.length % SEMIBLOCK != 0) {
            throw new KeyWrapException("Cannot unwrap a " + encryptedKey.length + "-byte wrapped key with "
                + this.algorithm + ": an RFC 3394 wrapped key is a multiple of 8 bytes, at least 24. The stored "
                + "wrapped key is truncated or corrupt.");
        }
        Cipher cipher;
        try {
            cipher = cipher(Cipher.DECRYPT_MODE);
        } catch (GeneralSecurityException e) {
            throw providerFailure("unwrap", e);
        }
        try {
            return cipher.doFinal(encryptedKey);
        } catch (IllegalBlockSizeException | BadPaddingException e) {
            // The JDK reports the failed RFC 3394 integrity check as one of these (AEADBadTagException in newer JDKs).
            throw new KeyWrapException(notTheWrappingKey("The " + this.algorithm + " integrity check failed while "
                + "unwrapping with AES key '" + getKeyId() + "'"), e);
        }
    }

    private void checkAlgorithm(String requested) {
        if (!algorithm.equals(requested)) {
            throw new KeyWrapException("AES key '" + getKeyId() + "' is a " + key.length * 8 + "-bit key and does "
                + algorithm + " only, not " + Untrusted.quote(requested) + ". Pass " + algorithm + ", or use a key "
                + "of the size the algorithm needs (A128KW: 128, A192KW: 192, A256KW: 256 bits).");
        }
    }

    private Cipher cipher(int mode) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(TRANSFORMATION);
        cipher.init(mode, secretKey());
        return cipher;
    }

    private synchronized SecretKeySpec secretKey() {
        if (destroyed) {
            throw new IllegalStateException("AES key '" + getKeyId() + "' was destroyed; load the key again to use "
                + "it.");
        }
        return new SecretKeySpec(key, "AES");
    }

    private KeyWrapException providerFailure(String operation, GeneralSecurityException e) {
        return new KeyWrapException("The JDK could not " + operation + " with " + algorithm + " (" + TRANSFORMATION
            + ") for AES key '" + getKeyId() + "'. Check the Java security providers.", e);
    }

    private static String algorithmFor(int keyLength) {
        switch (keyLength) {
            case 16:
                return KeyWrapAlgorithm.A128KW;
            case 24:
                return KeyWrapAlgorithm.A192KW;
            case 32:
                return KeyWrapAlgorithm.A256KW;
            default:
                throw new IllegalArgumentException("An AES key wrap key has 16, 24 or 32 bytes (A128KW, A192KW, "
                    + "A256KW), not " + keyLength + ".");
        }
    }

    /** Zeroes this object's copy of the key. Later operations throw {@link IllegalStateException}. */
    @Override
    public synchronized void destroy() {
        destroyed = true;
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public synchronized boolean isDestroyed() {
        return destroyed;
    }

    /** The key id, size and algorithm; never the key. */
    @Override
    public String toString() {
        return "AesKeyWrapKey[keyId=" + getKeyId() + ", bits=" + key.length * 8 + ", algorithm=" + algorithm
            + (isDestroyed() ? ", destroyed" : "") + "]";
    }
}
