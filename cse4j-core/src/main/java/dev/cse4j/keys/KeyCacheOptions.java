package dev.cse4j.keys;

import java.time.Duration;
import java.util.Objects;

/**
 * How long and how many resolved key encryption keys a {@link CachingKeyEncryptionKeyResolver} or
 * {@link CachingAsyncKeyEncryptionKeyResolver} keeps. The caching resolvers copy these values when they are made, so
 * changing an options object later changes no cache.
 *
 * <p>Defaults: keys are kept {@link #DEFAULT_TIME_TO_LIVE 10 minutes} after they were resolved, and at most
 * {@link #DEFAULT_MAXIMUM_SIZE 1,000} of them (the least recently used goes first). A Key Vault key id names one
 * version, whose key never changes, and a disabled or deleted key still fails its next unwrap in the vault, so the
 * time to live only bounds how long a resolver's changed answer for the same id (a reloaded key file, an unversioned
 * Key Vault id after a rotation) takes to be seen.
 */
public final class KeyCacheOptions {
    /** The default time a resolved key is kept: 10 minutes. */
    public static final Duration DEFAULT_TIME_TO_LIVE = Duration.ofMinutes(10);
    /** The default number of keys kept: 1,000. */
    public static final int DEFAULT_MAXIMUM_SIZE = 1_000;

    private Duration timeToLive = DEFAULT_TIME_TO_LIVE;
    private int maximumSize = DEFAULT_MAXIMUM_SIZE;

    /** Options with the defaults. */
    public KeyCacheOptions() {
    }

    /** How long a resolved key is kept, counted from when its resolution finished. */
    public Duration getTimeToLive() {
        return timeToLive;
    }

    /**
     * @param timeToLive how long a resolved key is kept, counted from when its resolution finished; positive
     * @return these options
     * @throws IllegalArgumentException if {@code timeToLive} is zero or negative (to cache nothing, use the
     *     resolver itself)
     */
    public KeyCacheOptions setTimeToLive(Duration timeToLive) {
        Objects.requireNonNull(timeToLive, "timeToLive");
        if (timeToLive.isZero() || timeToLive.isNegative()) {
            throw new IllegalArgumentException("The key cache's time to live must be positive, got " + timeToLive
                + ". To cache nothing, use the resolver without a cache.");
        }
        this.timeToLive = timeToLive;
        return this;
    }

    /** How many resolved keys are kept at most. */
    public int getMaximumSize() {
        return maximumSize;
    }

    /**
     * @param maximumSize how many resolved keys are kept at most; when a new one would exceed it, the least recently
     *     used is dropped; at least 1
     * @return these options
     * @throws IllegalArgumentException if {@code maximumSize} is less than 1
     */
    public KeyCacheOptions setMaximumSize(int maximumSize) {
        if (maximumSize < 1) {
            throw new IllegalArgumentException("The key cache's maximum size must be at least 1, got " + maximumSize
                + ".");
        }
        this.maximumSize = maximumSize;
        return this;
    }

    @Override
    public String toString() {
        return "KeyCacheOptions[timeToLive=" + timeToLive + ", maximumSize=" + maximumSize + "]";
    }
}
