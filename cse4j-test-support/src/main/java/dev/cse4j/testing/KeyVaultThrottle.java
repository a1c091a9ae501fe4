package dev.cse4j.testing;

/**
 * Decides which requests {@link KeyVaultServer} answers with {@code 429 Too Many Requests}: none, the next
 * {@code n}, or every {@code n}-th. Thread-safe.
 */
final class KeyVaultThrottle {
    private int remaining;
    private int every;
    private long seen;
    private int retryAfterSeconds;

    synchronized void next(int requests, int retryAfterSeconds) {
        this.remaining = requests;
        this.every = 0;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    synchronized void every(int nth, int retryAfterSeconds) {
        this.remaining = 0;
        this.every = nth;
        this.seen = 0;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    synchronized void off() {
        remaining = 0;
        every = 0;
    }

    /** The {@code Retry-After} seconds if this request is to be throttled, else {@code -1}. */
    synchronized int check() {
        if (remaining > 0) {
            remaining--;
            return retryAfterSeconds;
        }
        if (every > 0 && ++seen % every == 0) {
            return retryAfterSeconds;
        }
        return -1;
    }
}
