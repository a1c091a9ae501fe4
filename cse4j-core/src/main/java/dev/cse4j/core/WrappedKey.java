package dev.cse4j.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * The content encryption key as stored with the data ({@code WrappedContentKey}): the id of the key encryption key
 * that wrapped it, the wrapped bytes, and the key-wrap algorithm.
 *
 * <p>The algorithm is an opaque string echoed back to the key encryption key on unwrap ({@code A256KW},
 * {@code RSA-OAEP-256}, or anything a custom key understands); it is not checked against a closed list.
 * Immutable.
 */
public final class WrappedKey {
    private final String keyId;
    private final byte[] encryptedKey;
    private final String algorithm;

    /**
     * @param keyId id of the key encryption key that wrapped the content key
     * @param encryptedKey the wrapped content key (copied)
     * @param algorithm the key-wrap algorithm passed to the key encryption key
     */
    public WrappedKey(String keyId, byte[] encryptedKey, String algorithm) {
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        this.encryptedKey = Objects.requireNonNull(encryptedKey, "encryptedKey").clone();
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        if (this.encryptedKey.length == 0) {
            throw new IllegalArgumentException("encryptedKey must not be empty");
        }
        if (algorithm.isEmpty()) {
            throw new IllegalArgumentException("algorithm must not be empty");
        }
    }

    /** {@code KeyId}: the key encryption key's id. */
    public String keyId() {
        return keyId;
    }

    /** {@code EncryptedKey}: the wrapped content key (a copy). */
    public byte[] encryptedKey() {
        return encryptedKey.clone();
    }

    /** {@code Algorithm}: the key-wrap algorithm. */
    public String algorithm() {
        return algorithm;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof WrappedKey)) {
            return false;
        }
        WrappedKey other = (WrappedKey) o;
        return keyId.equals(other.keyId) && Arrays.equals(encryptedKey, other.encryptedKey)
            && algorithm.equals(other.algorithm);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyId, Arrays.hashCode(encryptedKey), algorithm);
    }

    @Override
    public String toString() {
        return "WrappedKey[keyId=" + keyId + ", algorithm=" + algorithm + ", " + encryptedKey.length + " bytes]";
    }
}
