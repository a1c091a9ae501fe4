package dev.cse4j.keys;

import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKey;
import reactor.core.publisher.Mono;

import java.util.Objects;

/**
 * A synchronous key encryption key seen through the asynchronous interface. The work runs on the subscribing thread
 * (local key wrapping is short CPU work); failures arrive as error signals.
 */
final class AsyncKeyEncryptionKeyView implements AsyncKeyEncryptionKey {
    private final KeyEncryptionKey key;

    AsyncKeyEncryptionKeyView(KeyEncryptionKey key) {
        this.key = Objects.requireNonNull(key, "key");
    }

    @Override
    public Mono<String> getKeyId() {
        return Mono.fromCallable(key::getKeyId);
    }

    @Override
    public Mono<byte[]> wrapKey(String algorithm, byte[] key) {
        return Mono.fromCallable(() -> this.key.wrapKey(algorithm, key));
    }

    @Override
    public Mono<byte[]> unwrapKey(String algorithm, byte[] encryptedKey) {
        return Mono.fromCallable(() -> key.unwrapKey(algorithm, encryptedKey));
    }

    @Override
    public String toString() {
        return "Async" + key;
    }
}
