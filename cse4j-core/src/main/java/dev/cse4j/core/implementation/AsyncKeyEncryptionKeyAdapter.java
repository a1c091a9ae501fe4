package dev.cse4j.core.implementation;

import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import com.azure.core.cryptography.AsyncKeyEncryptionKeyResolver;
import com.azure.core.cryptography.KeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKeyResolver;

import java.util.Objects;

/**
 * An {@link AsyncKeyEncryptionKey} seen as a {@link KeyEncryptionKey} (blocking), for the synchronous clients. The
 * asynchronous key stays reachable ({@link KeyViews#async(KeyEncryptionKey)}), so the asynchronous paths use it as
 * it is, never through this blocking view.
 */
public final class AsyncKeyEncryptionKeyAdapter implements KeyEncryptionKey {
    private final AsyncKeyEncryptionKey key;
    private volatile String keyId;

    private AsyncKeyEncryptionKeyAdapter(AsyncKeyEncryptionKey key) {
        this.key = Objects.requireNonNull(key, "key");
    }

    /** {@code key} seen as a blocking key. */
    public static KeyEncryptionKey of(AsyncKeyEncryptionKey key) {
        return new AsyncKeyEncryptionKeyAdapter(key);
    }

    /** {@code resolver} seen as a blocking resolver, whose keys are blocking views of the resolved ones. */
    public static KeyEncryptionKeyResolver resolver(AsyncKeyEncryptionKeyResolver resolver) {
        return new Resolver(resolver);
    }

    /** The asynchronous key this adapter blocks on. */
    AsyncKeyEncryptionKey async() {
        return key;
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

    /** An {@link AsyncKeyEncryptionKeyResolver} seen as a blocking resolver; the asynchronous one stays reachable. */
    static final class Resolver implements KeyEncryptionKeyResolver {
        private final AsyncKeyEncryptionKeyResolver resolver;

        private Resolver(AsyncKeyEncryptionKeyResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
        }

        AsyncKeyEncryptionKeyResolver async() {
            return resolver;
        }

        @Override
        public KeyEncryptionKey buildKeyEncryptionKey(String keyId) {
            AsyncKeyEncryptionKey key = resolver.buildAsyncKeyEncryptionKey(keyId).block();
            return key == null ? null : new AsyncKeyEncryptionKeyAdapter(key);
        }

        @Override
        public String toString() {
            return resolver.toString();
        }
    }
}
