package dev.cse4j.blob.implementation;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The buffers of one transfer: at most {@code capacity} arrays of {@code size} bytes, created on first need and
 * reused, so a transfer's memory is {@code capacity × size} whatever the blob size, and it makes no garbage per
 * block. A transfer takes a buffer only when it has room for one more block in flight (its window is the pool's
 * capacity), so {@link #lease()} never waits: a pool asked for more than its capacity is a bug, and says so.
 *
 * <p>Buffers hold plaintext at some point: {@link #close()} zeroes the free ones, and a buffer given back after the
 * pool closed (by a request or a decryption that was still running when the transfer was cancelled or failed) is
 * zeroed then and dropped. A buffer {@link Lease#handOff() handed off} to a caller (a downloaded chunk emitted to a
 * subscriber) leaves the pool: its plaintext is the caller's. Thread-safe.
 *
 * <p>For tests (package-private, not API): {@link #liveBuffers()} counts the buffers of every pool in this JVM that
 * are neither zeroed and dropped nor handed off, and {@link #highWaterMark()} the most there were at once since
 * {@link #resetHighWaterMark()}.
 */
final class BufferPool implements AutoCloseable {
    private static final AtomicInteger LIVE = new AtomicInteger();
    private static final AtomicInteger HIGH_WATER = new AtomicInteger();

    private final int capacity;
    private final int size;
    private final Deque<byte[]> free = new ArrayDeque<>();
    private int created;
    private boolean closed;

    BufferPool(int capacity, int size) {
        this.capacity = Math.max(1, capacity);
        this.size = size;
    }

    /** Bytes per buffer. */
    int size() {
        return size;
    }

    int capacity() {
        return capacity;
    }

    /**
     * A free buffer (contents undefined), to give back through its lease.
     *
     * @throws IllegalStateException if every buffer is in use (the transfer asked for more blocks in flight than
     *     its window) or the pool is closed (the transfer ended)
     */
    synchronized Lease lease() {
        if (closed) {
            throw new IllegalStateException("The transfer ended; its buffers are released");
        }
        if (!free.isEmpty()) {
            return new Lease(free.pop());
        }
        if (created >= capacity) {
            throw new IllegalStateException("All " + capacity + " transfer buffers are in use");
        }
        created++;
        int live = LIVE.incrementAndGet();
        HIGH_WATER.accumulateAndGet(live, Math::max);
        return new Lease(new byte[size]);
    }

    private synchronized void giveBack(byte[] buffer) {
        if (closed) {
            Arrays.fill(buffer, (byte) 0);
            drop();
        } else {
            free.push(buffer);
        }
    }

    private synchronized void forget() {
        drop();
    }

    private void drop() {
        created--;
        LIVE.decrementAndGet();
    }

    /**
     * Zeroes and drops the free buffers; those still in use are zeroed and dropped when given back. Call when the
     * transfer is over (completed, failed or cancelled); idempotent.
     */
    @Override
    public synchronized void close() {
        closed = true;
        for (byte[] buffer : free) {
            Arrays.fill(buffer, (byte) 0);
            drop();
        }
        free.clear();
    }

    /** Buffers of all pools now allocated, neither dropped nor handed off (for tests). */
    static int liveBuffers() {
        return LIVE.get();
    }

    /** The most {@link #liveBuffers()} there were at once since the last reset (for tests). */
    static int highWaterMark() {
        return HIGH_WATER.get();
    }

    /** Starts a new high-water mark from the buffers live now (for tests). */
    static void resetHighWaterMark() {
        HIGH_WATER.set(LIVE.get());
    }

    /**
     * One buffer taken from the pool, released exactly once whatever happens: given back (or zeroed, if the pool
     * has closed meanwhile) by {@link #release()}, or handed off for good by {@link #handOff()}. A second release,
     * from a cancellation racing a decryption that was still writing plaintext into the buffer, zeroes it again if
     * the pool has closed; a release after a hand-off does nothing. Thread-safe.
     */
    final class Lease {
        private final byte[] buffer;
        private int state; // 0 in use, 1 released, 2 handed off

        private Lease(byte[] buffer) {
            this.buffer = buffer;
        }

        byte[] buffer() {
            return buffer;
        }

        /** Gives the buffer back to the pool; idempotent. */
        void release() {
            int was;
            synchronized (this) {
                was = state;
                if (was == 0) {
                    state = 1;
                }
            }
            if (was == 0) {
                giveBack(buffer);
            } else if (was == 1) {
                synchronized (BufferPool.this) {
                    if (closed) {
                        Arrays.fill(buffer, (byte) 0);
                    }
                }
            }
        }

        /**
         * Hands the buffer to the caller for good: the pool forgets it (it no longer counts against the capacity
         * or the live buffers) and never zeroes or reuses it.
         *
         * @return the buffer, or {@code null} if it was released already (the transfer was cancelled)
         */
        byte[] handOff() {
            synchronized (this) {
                if (state != 0) {
                    return null;
                }
                state = 2;
            }
            forget();
            return buffer;
        }
    }
}
