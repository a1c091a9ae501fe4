package dev.cse4j.core.implementation;

import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import com.azure.core.cryptography.AsyncKeyEncryptionKeyResolver;
import com.azure.core.cryptography.KeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKeyResolver;
import dev.cse4j.keys.AesKeyWrapKey;
import dev.cse4j.keys.RsaKeyEncryptionKey;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.Objects;

/**
 * The asynchronous view of the configured key and resolver, for the paths that must never block a Reactor thread.
 * Whatever was asynchronous when configured is used as it is (seen through {@link AsyncKeyEncryptionKeyAdapter}), and
 * so is a resolver that implements both interfaces (Key Vault's {@code KeyEncryptionKeyClientBuilder}, cse4j's
 * {@code JsonWebKeySetResolver}). cse4j's own local keys do short CPU work and run on the subscribing thread. Any
 * other synchronous key or resolver may block (Key Vault's synchronous client waits for the network), so its calls
 * run on Reactor's {@link Schedulers#boundedElastic()}; only its {@code getKeyId()} runs in place, as every known
 * implementation returns a field.
 */
final class KeyViews {
    private KeyViews() {
    }

    /** {@code key} as an asynchronous key; {@code null} stays {@code null}. */
    static AsyncKeyEncryptionKey async(KeyEncryptionKey key) {
        if (key == null) {
            return null;
        }
        if (key instanceof AsyncKeyEncryptionKeyAdapter adapter) {
            return adapter.async();
        }
        if (key instanceof AesKeyWrapKey local) {
            return local.asAsync();
        }
        if (key instanceof RsaKeyEncryptionKey local) {
            return local.asAsync();
        }
        return new Offloaded(key);
    }

    /** {@code resolver} as an asynchronous resolver; {@code null} stays {@code null}. */
    static AsyncKeyEncryptionKeyResolver async(KeyEncryptionKeyResolver resolver) {
        if (resolver == null) {
            return null;
        }
        if (resolver instanceof AsyncKeyEncryptionKeyAdapter.Resolver adapter) {
            return adapter.async();
        }
        if (resolver instanceof AsyncKeyEncryptionKeyResolver both) {
            return both;
        }
        return keyId -> Mono.fromCallable(() -> resolver.buildKeyEncryptionKey(keyId))
            .subscribeOn(Schedulers.boundedElastic()).map(KeyViews::async);
    }

    /** A synchronous key whose wrap and unwrap run on the bounded elastic scheduler. */
    private static final class Offloaded implements AsyncKeyEncryptionKey {
        private final KeyEncryptionKey key;

        Offloaded(KeyEncryptionKey key) {
            this.key = Objects.requireNonNull(key, "key");
        }

        @Override
        public Mono<String> getKeyId() {
            return Mono.fromCallable(key::getKeyId);
        }

        @Override
        public Mono<byte[]> wrapKey(String algorithm, byte[] plaintextKey) {
            return Mono.fromCallable(() -> key.wrapKey(algorithm, plaintextKey))
                .subscribeOn(Schedulers.boundedElastic());
        }

        @Override
        public Mono<byte[]> unwrapKey(String algorithm, byte[] encryptedKey) {
            return Mono.fromCallable(() -> key.unwrapKey(algorithm, encryptedKey))
                .subscribeOn(Schedulers.boundedElastic());
        }

        @Override
        public String toString() {
            return key.toString();
        }
    }
}
