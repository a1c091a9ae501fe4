package dev.cse4j.core.implementation;

import com.azure.core.cryptography.KeyEncryptionKey;
import dev.cse4j.core.KeyWrapException;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * Keeps the content key of one migrated object (a blob, a table entity) from the moment it is wrapped until the
 * object is read back, so that the read-back decrypts with it without a second unwrap (one wrap, no unwrap, by the
 * real key encryption key). Used by the fleet operations' migrations.
 *
 * <p>{@link #writer()} is the real key encryption key as the upload sees it: its wrap is the real key's, and the
 * key given to it and the wrapped key it returned are kept (once: a second wrap is refused). {@link #reader()} has
 * the real key's id and answers an unwrap from memory, only for exactly the wrapped bytes and algorithm kept: what
 * the read-back reads must be byte for byte what the real key wrapped. Neither can do the other's operation.
 * {@link #close()} overwrites the kept key. Never prints key material.
 */
public final class ReadBackKey implements AutoCloseable {
    private final KeyEncryptionKey keyEncryptionKey;
    private String algorithm;
    private byte[] key;
    private byte[] wrapped;

    /** @param keyEncryptionKey the real key encryption key that wraps the new content key */
    public ReadBackKey(KeyEncryptionKey keyEncryptionKey) {
        this.keyEncryptionKey = Objects.requireNonNull(keyEncryptionKey, "keyEncryptionKey");
    }

    /** The real key encryption key, keeping what its one wrap was given and returned. */
    public KeyEncryptionKey writer() {
        return new KeyEncryptionKey() {
            @Override
            public String getKeyId() {
                return keyEncryptionKey.getKeyId();
            }

            @Override
            public byte[] wrapKey(String wrapAlgorithm, byte[] contentKey) {
                byte[] result = keyEncryptionKey.wrapKey(wrapAlgorithm, contentKey);
                keep(wrapAlgorithm, contentKey, result);
                return result;
            }

            @Override
            public byte[] unwrapKey(String wrapAlgorithm, byte[] encryptedKey) {
                throw new UnsupportedOperationException("The migration's writing key only wraps");
            }

            @Override
            public String toString() {
                return "ReadBackKey.writer[" + keyEncryptionKey.getKeyId() + "]";
            }
        };
    }

    /** A key with the real key's id that unwraps, from memory, exactly what the writer wrapped. */
    public KeyEncryptionKey reader() {
        return new KeyEncryptionKey() {
            @Override
            public String getKeyId() {
                return keyEncryptionKey.getKeyId();
            }

            @Override
            public byte[] wrapKey(String wrapAlgorithm, byte[] contentKey) {
                throw new UnsupportedOperationException("The migration's read-back key only unwraps");
            }

            @Override
            public byte[] unwrapKey(String wrapAlgorithm, byte[] encryptedKey) {
                return kept(wrapAlgorithm, encryptedKey);
            }

            @Override
            public String toString() {
                return "ReadBackKey.reader[" + keyEncryptionKey.getKeyId() + "]";
            }
        };
    }

    private synchronized void keep(String wrapAlgorithm, byte[] contentKey, byte[] result) {
        if (key != null) {
            throw new IllegalStateException("A migration wraps one content key");
        }
        algorithm = wrapAlgorithm;
        key = contentKey.clone();
        wrapped = result.clone();
    }

    private synchronized byte[] kept(String wrapAlgorithm, byte[] encryptedKey) {
        if (key == null || !algorithm.equals(wrapAlgorithm) || !MessageDigest.isEqual(wrapped, encryptedKey)) {
            throw new KeyWrapException("The object read back does not hold the wrapped content key it was written "
                + "with (the stored encryption metadata changed after the commit).");
        }
        return key.clone();
    }

    @Override
    public synchronized void close() {
        if (key != null) {
            Arrays.fill(key, (byte) 0);
            key = null;
        }
    }

    @Override
    public String toString() {
        return "ReadBackKey[" + keyEncryptionKey.getKeyId() + "]";
    }
}
