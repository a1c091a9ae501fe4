package dev.cse4j.table;

import java.time.Duration;

/**
 * The caller's timeout for one call that sends several requests (a merge reads, then writes, and may retry): each
 * request gets the time that is left, so the call as a whole keeps to the timeout, as one SDK call does.
 */
final class Deadline {
    /** The least time handed to a request once the deadline has passed: it then times out as the SDK's do. */
    private static final Duration AT_LEAST = Duration.ofMillis(1);

    private final Duration timeout;
    private final long start = System.nanoTime();

    private Deadline(Duration timeout) {
        this.timeout = timeout;
    }

    /** @param timeout the caller's timeout, or {@code null} for none */
    static Deadline of(Duration timeout) {
        return new Deadline(timeout);
    }

    /** @return the time left for the next request, or {@code null} if there is no timeout */
    Duration remaining() {
        if (timeout == null) {
            return null;
        }
        Duration left = timeout.minusNanos(System.nanoTime() - start);
        return left.compareTo(AT_LEAST) < 0 ? AT_LEAST : left;
    }
}
