package dev.cse4j.blob.implementation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * The buffers of one transfer: at most {@code capacity} arrays of {@code size} bytes, created on first need and
 * reused, so a transfer's memory is {@code capacity × size} whatever the blob size, and it makes no garbage per
 * block. {@link #take()} waits while every buffer is in use: that is the transfer's back-pressure. {@link #close()}
 * zeroes every buffer (they held plaintext at some point). Thread-safe.
 */
final class BufferPool implements AutoCloseable {
    private final int capacity;
    private final int size;
    private final Deque<byte[]> free = new ArrayDeque<>();
    private final List<byte[]> all = new ArrayList<>();

    BufferPool(int capacity, int size) {
        this.capacity = Math.max(1, capacity);
        this.size = size;
    }

    /** Bytes per buffer. */
    int size() {
        return size;
    }

    /** A free buffer (contents undefined), waiting for one to be given back if all are in use. */
    synchronized byte[] take() {
        while (free.isEmpty() && all.size() >= capacity) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for a transfer buffer", e);
            }
        }
        if (!free.isEmpty()) {
            return free.pop();
        }
        byte[] buffer = new byte[size];
        all.add(buffer);
        return buffer;
    }

    /** Returns a buffer taken from this pool. */
    synchronized void give(byte[] buffer) {
        free.push(buffer);
        notifyAll();
    }

    /** Zeroes every buffer; call once the transfer is over (no buffer still in use). */
    @Override
    public synchronized void close() {
        for (byte[] buffer : all) {
            Arrays.fill(buffer, (byte) 0);
        }
        free.clear();
        all.clear();
    }
}
