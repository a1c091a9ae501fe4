package dev.cse4j.table;

import com.azure.core.cryptography.KeyEncryptionKey;

import java.util.concurrent.atomic.AtomicInteger;

/** A key encryption key that counts its wrap calls, to show that a refused entity never reached the key. */
final class CountingKey implements KeyEncryptionKey {
    private final KeyEncryptionKey key;
    private final AtomicInteger wraps = new AtomicInteger();

    CountingKey(KeyEncryptionKey key) {
        this.key = key;
    }

    int wraps() {
        return wraps.get();
    }

    @Override
    public String getKeyId() {
        return key.getKeyId();
    }

    @Override
    public byte[] wrapKey(String algorithm, byte[] plaintext) {
        wraps.incrementAndGet();
        return key.wrapKey(algorithm, plaintext);
    }

    @Override
    public byte[] unwrapKey(String algorithm, byte[] encryptedKey) {
        return key.unwrapKey(algorithm, encryptedKey);
    }
}
