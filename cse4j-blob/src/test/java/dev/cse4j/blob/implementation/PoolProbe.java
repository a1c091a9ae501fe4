package dev.cse4j.blob.implementation;

/**
 * What tests see of the transfers' buffer pools ({@link BufferPool}'s package-private counters, across every pool of
 * this JVM): the buffers live now and the most there were at once. Test code only; not API.
 */
public final class PoolProbe {
    private PoolProbe() {
    }

    /** Buffers allocated now, neither zeroed and dropped nor handed to a subscriber. */
    public static int liveBuffers() {
        return BufferPool.liveBuffers();
    }

    /** The most live buffers at once since {@link #reset()}. */
    public static int highWaterMark() {
        return BufferPool.highWaterMark();
    }

    /** Starts a new high-water mark from the buffers live now. */
    public static void reset() {
        BufferPool.resetHighWaterMark();
    }
}
