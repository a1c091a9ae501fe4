package dev.cse4j.keys;

import com.azure.core.cryptography.KeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKeyResolver;

import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;

/**
 * A {@link KeyEncryptionKeyResolver} that remembers what another one resolved, so a key is resolved once per key id,
 * not once per blob, message or entity. With Key Vault's {@code KeyEncryptionKeyClientBuilder} as the resolver, each
 * resolution builds a new client that fetches the key from the vault on first use; cached, a container of objects
 * under one key costs one key fetch and then one unwrap per object.
 *
 * <pre>{@code
 * KeyEncryptionKeyResolver resolver = new CachingKeyEncryptionKeyResolver(
 *     new KeyEncryptionKeyClientBuilder().credential(credential));
 * EncryptedBlobClient blob = new EncryptedBlobClientBuilder()....keyResolver(resolver)....buildEncryptedBlobClient();
 * }</pre>
 *
 * <ul>
 *   <li>Kept: each resolved key for {@link KeyCacheOptions#getTimeToLive() a time to live} after its resolution
 *       finished, at most {@link KeyCacheOptions#getMaximumSize() a maximum number} of keys (the least recently used
 *       is dropped first). Defaults: 10 minutes, 1,000 keys.</li>
 *   <li>Coalesced: threads that look up the same key id while it is being resolved wait for that one resolution
 *       instead of starting their own. Different key ids resolve in parallel.</li>
 *   <li>Not kept: a resolution that throws or finds nothing ({@code null}). The threads already waiting for it get
 *       the same outcome (the same exception, or {@code null}); the next lookup asks the resolver again, so a
 *       passing failure (throttling, a network error) is not remembered, and a key added later is found.</li>
 * </ul>
 *
 * <p>Thread-safe. The cache holds the key objects the resolver returned (no copies of their material) and shows
 * neither keys nor key ids in {@link #toString()}. Waiting for another thread's resolution is not interruptible,
 * like resolving itself.
 */
public final class CachingKeyEncryptionKeyResolver implements KeyEncryptionKeyResolver {
    private final KeyEncryptionKeyResolver resolver;
    private final KeyCache<KeyEncryptionKey> cache;

    /** Caches {@code resolver}'s keys with the {@link KeyCacheOptions default options}. */
    public CachingKeyEncryptionKeyResolver(KeyEncryptionKeyResolver resolver) {
        this(resolver, new KeyCacheOptions());
    }

    /** Caches {@code resolver}'s keys as {@code options} say (their values are copied). */
    public CachingKeyEncryptionKeyResolver(KeyEncryptionKeyResolver resolver, KeyCacheOptions options) {
        this(resolver, options, System::nanoTime);
    }

    CachingKeyEncryptionKeyResolver(KeyEncryptionKeyResolver resolver, KeyCacheOptions options,
        LongSupplier nanoClock) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.cache = new KeyCache<>(Objects.requireNonNull(options, "options"), nanoClock);
    }

    /**
     * The key for {@code keyId}: the cached one, the outcome of a resolution already under way, or the resolver's
     * answer now.
     *
     * @return the key, or {@code null} if the resolver has none
     * @throws RuntimeException whatever the resolver threw, for this lookup or the one it waited for
     */
    @Override
    public KeyEncryptionKey buildKeyEncryptionKey(String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        KeyCache.Lookup<KeyEncryptionKey> lookup = cache.lookup(keyId);
        if (lookup.leader()) {
            KeyEncryptionKey key;
            try {
                key = resolver.buildKeyEncryptionKey(keyId);
            } catch (RuntimeException | Error e) {
                cache.failed(keyId, lookup.entry(), e);
                throw e;
            }
            cache.succeeded(keyId, lookup.entry(), key);
            return key;
        }
        try {
            return lookup.entry().outcome.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** How many keys are cached or being resolved now. */
    public int size() {
        return cache.size();
    }

    @Override
    public String toString() {
        return "CachingKeyEncryptionKeyResolver[timeToLive=" + java.time.Duration.ofNanos(cache.timeToLiveNanos())
            + ", maximumSize=" + cache.maximumSize() + ", size=" + cache.size() + "]";
    }
}
