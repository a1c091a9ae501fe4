package dev.cse4j.keys;

import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import com.azure.core.cryptography.AsyncKeyEncryptionKeyResolver;
import reactor.core.publisher.Mono;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * An {@link AsyncKeyEncryptionKeyResolver} that remembers what another one resolved, so a key is resolved once per
 * key id, not once per object; the asynchronous twin of {@link CachingKeyEncryptionKeyResolver}, with the same
 * {@link KeyCacheOptions} and rules (time to live, size bound, concurrent lookups of one id coalesced, failures and
 * empty answers not kept).
 *
 * <p>It never blocks: a lookup that finds the key emits it at once on the subscribing thread; a lookup that waits
 * for a resolution under way (its own or another subscriber's) emits on the thread that completes that resolution.
 * A resolution runs to its end even if the subscriber that started it cancels, so the other subscribers still get
 * it and it is kept; cancelling a lookup only stops that lookup. A resolution starts when a lookup is subscribed, not
 * when {@link #buildAsyncKeyEncryptionKey(String)} is called.
 *
 * <p>Thread-safe; shows neither keys nor key ids in {@link #toString()}.
 */
public final class CachingAsyncKeyEncryptionKeyResolver implements AsyncKeyEncryptionKeyResolver {
    private final AsyncKeyEncryptionKeyResolver resolver;
    private final KeyCache<AsyncKeyEncryptionKey> cache;

    /** Caches {@code resolver}'s keys with the {@link KeyCacheOptions default options}. */
    public CachingAsyncKeyEncryptionKeyResolver(AsyncKeyEncryptionKeyResolver resolver) {
        this(resolver, new KeyCacheOptions());
    }

    /** Caches {@code resolver}'s keys as {@code options} say (their values are copied). */
    public CachingAsyncKeyEncryptionKeyResolver(AsyncKeyEncryptionKeyResolver resolver, KeyCacheOptions options) {
        this(resolver, options, System::nanoTime);
    }

    CachingAsyncKeyEncryptionKeyResolver(AsyncKeyEncryptionKeyResolver resolver, KeyCacheOptions options,
        LongSupplier nanoClock) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.cache = new KeyCache<>(Objects.requireNonNull(options, "options"), nanoClock);
    }

    /**
     * The key for {@code keyId}: the cached one, the outcome of a resolution under way, or the resolver's answer.
     *
     * @return a {@link Mono} of the key; empty if the resolver has none; an error signal with whatever the resolver
     *     signalled or threw
     */
    @Override
    public Mono<AsyncKeyEncryptionKey> buildAsyncKeyEncryptionKey(String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        return Mono.defer(() -> {
            KeyCache.Lookup<AsyncKeyEncryptionKey> lookup = cache.lookup(keyId);
            if (lookup.leader()) {
                resolve(keyId, lookup.entry());
            }
            return Mono.fromFuture(lookup.entry().outcome, true);
        });
    }

    private void resolve(String keyId, KeyCache.Entry<AsyncKeyEncryptionKey> entry) {
        CompletableFuture<? extends AsyncKeyEncryptionKey> resolution;
        try {
            resolution = Objects.requireNonNull(resolver.buildAsyncKeyEncryptionKey(keyId),
                "the resolver returned a null Mono").toFuture();
        } catch (RuntimeException | Error e) {
            cache.failed(keyId, entry, e);
            return;
        }
        resolution.whenComplete((key, failure) -> {
            if (failure == null) {
                cache.succeeded(keyId, entry, key);
            } else {
                cache.failed(keyId, entry, failure);
            }
        });
    }

    /** How many keys are cached or being resolved now. */
    public int size() {
        return cache.size();
    }

    @Override
    public String toString() {
        return "CachingAsyncKeyEncryptionKeyResolver[timeToLive="
            + java.time.Duration.ofNanos(cache.timeToLiveNanos()) + ", maximumSize=" + cache.maximumSize()
            + ", size=" + cache.size() + "]";
    }
}
