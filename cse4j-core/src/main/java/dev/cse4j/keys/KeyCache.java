package dev.cse4j.keys;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The cache behind both caching resolvers: key id to a resolution, kept for a time to live after it succeeded, at
 * most a maximum number (least recently used dropped first), with concurrent lookups of one id sharing one
 * resolution.
 *
 * <p>A lookup finds a live entry (resolved and not expired, or still resolving) and shares it, or puts a new entry
 * and makes the caller its <em>leader</em>, who must resolve and then call {@link #succeeded} or {@link #failed}
 * exactly once. A resolution that fails or finds nothing is removed before its waiters hear of it, so only those
 * already waiting share it and the next lookup asks the resolver again. The lock guards only the map, never a
 * resolution.
 *
 * @param <V> the key type (synchronous or asynchronous)
 */
final class KeyCache<V> {
    private final long timeToLiveNanos;
    private final int maximumSize;
    private final LongSupplier nanoClock;
    private final Map<String, Entry<V>> entries;

    /** One resolution: its outcome, and when it expires ({@link Long#MAX_VALUE} until it succeeded). */
    static final class Entry<V> {
        final CompletableFuture<V> outcome = new CompletableFuture<>();
        private volatile long expiresAt = Long.MAX_VALUE;
    }

    /** A lookup's entry, and whether the caller must resolve it. */
    record Lookup<V>(Entry<V> entry, boolean leader) {
    }

    KeyCache(KeyCacheOptions options, LongSupplier nanoClock) {
        this.timeToLiveNanos = saturatedNanos(options.getTimeToLive());
        this.maximumSize = options.getMaximumSize();
        this.nanoClock = nanoClock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry<V>> eldest) {
                return size() > maximumSize;
            }
        };
    }

    synchronized Lookup<V> lookup(String keyId) {
        Entry<V> entry = entries.get(keyId);
        if (entry != null && (!entry.outcome.isDone() || nanoClock.getAsLong() - entry.expiresAt < 0)) {
            return new Lookup<>(entry, false);
        }
        Entry<V> fresh = new Entry<>();
        entries.put(keyId, fresh);
        return new Lookup<>(fresh, true);
    }

    /** The leader's resolution found {@code key}, or nothing if it is {@code null} (then it is not kept). */
    void succeeded(String keyId, Entry<V> entry, V key) {
        if (key == null) {
            remove(keyId, entry);
        } else {
            entry.expiresAt = nanoClock.getAsLong() + timeToLiveNanos;
        }
        entry.outcome.complete(key);
    }

    /** The leader's resolution failed; it is not kept. */
    void failed(String keyId, Entry<V> entry, Throwable failure) {
        remove(keyId, entry);
        entry.outcome.completeExceptionally(failure);
    }

    synchronized int size() {
        return entries.size();
    }

    long timeToLiveNanos() {
        return timeToLiveNanos;
    }

    int maximumSize() {
        return maximumSize;
    }

    private synchronized void remove(String keyId, Entry<V> entry) {
        entries.remove(keyId, entry);
    }

    /** Nanoseconds, at most a century, so that adding them to a {@link System#nanoTime()} reading cannot wrap. */
    private static long saturatedNanos(java.time.Duration duration) {
        java.time.Duration century = java.time.Duration.ofDays(36_525);
        return (duration.compareTo(century) > 0 ? century : duration).toNanos();
    }
}
