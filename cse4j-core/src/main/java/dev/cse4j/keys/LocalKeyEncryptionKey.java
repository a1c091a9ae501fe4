package dev.cse4j.keys;

import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKey;
import dev.cse4j.core.KeyWrapException;

import java.util.Objects;

/**
 * What the built-in key encryption keys share: the key id, the {@code key_ops} restriction of the JSON Web Key they
 * came from, argument checks and the asynchronous view. Subclasses implement the cryptography.
 *
 * <p>Instances are immutable apart from destruction and safe for concurrent use: every operation uses its own
 * {@link javax.crypto.Cipher}.
 */
abstract class LocalKeyEncryptionKey implements KeyEncryptionKey {
    private final String keyId;
    private final KeyUsage usage;

    LocalKeyEncryptionKey(String keyId, KeyUsage usage) {
        this.keyId = requireKeyId(keyId);
        this.usage = Objects.requireNonNull(usage, "usage");
    }

    /** The key id stored with the data this key wraps, and by which a resolver finds the key. */
    @Override
    public final String getKeyId() {
        return keyId;
    }

    /**
     * Wraps (encrypts) a content encryption key.
     *
     * @param algorithm one of the {@link KeyWrapAlgorithm} names this key supports
     * @param key the content key; not modified
     * @return the wrapped key
     * @throws KeyWrapException if this key does not support {@code algorithm}, the content key has a length the
     *     algorithm cannot wrap, the key's {@code key_ops} do not allow {@code wrapKey}, or its {@code alg} names
     *     another algorithm
     * @throws IllegalStateException if the key was destroyed
     */
    @Override
    public final byte[] wrapKey(String algorithm, byte[] key) {
        Objects.requireNonNull(key, "key");
        usage.checkAllowed(KeyUsage.WRAP_KEY, keyId);
        usage.checkWrapAlgorithm(algorithm, keyId);
        return wrap(algorithm, key);
    }

    /**
     * Unwraps (decrypts) a wrapped content encryption key.
     *
     * @param algorithm the algorithm stored with the wrapped key
     * @param encryptedKey the wrapped key; not modified
     * @return the content key
     * @throws KeyWrapException if this key is not the one that wrapped the content key, the wrapped key was
     *     modified, this key does not support {@code algorithm}, or the key's {@code key_ops} do not allow
     *     {@code unwrapKey}
     * @throws IllegalStateException if the key was destroyed
     */
    @Override
    public final byte[] unwrapKey(String algorithm, byte[] encryptedKey) {
        Objects.requireNonNull(encryptedKey, "encryptedKey");
        usage.checkAllowed(KeyUsage.UNWRAP_KEY, keyId);
        return unwrap(algorithm, encryptedKey);
    }

    /**
     * This key as an {@link AsyncKeyEncryptionKey}, for clients that take the asynchronous interface. The view
     * shares this key (destroying one destroys both) and reports every failure as an error signal, never by
     * throwing.
     */
    public final AsyncKeyEncryptionKey asAsync() {
        return new AsyncKeyEncryptionKeyView(this);
    }

    abstract byte[] wrap(String algorithm, byte[] key);

    abstract byte[] unwrap(String algorithm, byte[] encryptedKey);

    /** The integrity-failure message shared by every key type: the usual causes and what to check. */
    static String notTheWrappingKey(String what) {
        return what + ": this key is not the one that wrapped the content key, or the wrapped key was modified. "
            + "Check that the stored key id resolves to the key that encrypted the data.";
    }

    static String requireKeyId(String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        if (keyId.isBlank()) {
            throw new IllegalArgumentException("The key id is blank: give the key a non-blank id. It is stored with "
                + "the data and is how a key resolver finds the key again.");
        }
        return keyId;
    }
}
