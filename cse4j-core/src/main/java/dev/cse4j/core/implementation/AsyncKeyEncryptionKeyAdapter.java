package dev.cse4j.core.implementation;

import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKey;

import java.util.Objects;

/** An {@link AsyncKeyEncryptionKey} seen as a {@link KeyEncryptionKey} (blocking), for the synchronous clients. */
final class AsyncKeyEncryptionKeyAdapter implements KeyEncryptionKey {
    private final AsyncKeyEncryptionKey key;
    private volatile String keyId;

    AsyncKeyEncryptionKeyAdapter(AsyncKeyEncryptionKey key) {
        this.key = Objects.requireNonNull(key, "key");
    }

    @Override
    public String getKeyId() {
        String id = keyId;
        if (id == null) {
            id = key.getKeyId().block();
            keyId = id;
        }
        return id;
    }

    @Override
    public byte[] wrapKey(String algorithm, byte[] plaintextKey) {
        return key.wrapKey(algorithm, plaintextKey).block();
    }

    @Override
    public byte[] unwrapKey(String algorithm, byte[] encryptedKey) {
        return key.unwrapKey(algorithm, encryptedKey).block();
    }

    @Override
    public String toString() {
        return key.toString();
    }
}
