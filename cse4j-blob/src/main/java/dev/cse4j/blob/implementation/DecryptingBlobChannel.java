package dev.cse4j.blob.implementation;

import dev.cse4j.core.IntegrityException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Random-access reads of one opened version of a blob, decrypted: the plaintext is cut into chunks of whole regions
 * (whole 16-byte blocks for 1.0, plain bytes for unencrypted blobs), each fetched and authenticated whole through
 * the blob's {@link DownloadPlan} before any byte of it is returned. The last {@code cachedChunks} chunks used are
 * kept (least recently used goes first); with read-ahead, a read that continues where the previous chunk ended
 * fetches the next chunk in the background. {@link #size()} is the plaintext length, authenticated when the blob
 * has an integrity record (verified when the blob was opened). Memory: at most {@code cachedChunks + 1} chunks.
 * Read-only; thread-safe (reads are serialized). Closing zeroes every chunk and destroys the content key.
 */
public final class DecryptingBlobChannel implements SeekableByteChannel {
    private final OpenedBlob blob;
    private final long size;
    private final long chunkSize;
    private final int cachedChunks;
    private final boolean readAhead;
    private final Map<Long, Chunk> cache = new LinkedHashMap<>(16, 0.75f, true);
    private long position;
    private long lastChunk = -1;
    private boolean closed;
    // read-ahead: at most one chunk in flight, published under this object's monitor
    private long aheadIndex = -1;
    private Chunk aheadChunk;
    private RuntimeException aheadFailure;
    private boolean aheadDone;

    /**
     * @param chunkSize plaintext bytes per chunk, a multiple of {@link OpenedBlob#unitLength()}
     * @param cachedChunks chunks kept, at least 1
     */
    public DecryptingBlobChannel(OpenedBlob blob, long chunkSize, int cachedChunks, boolean readAhead) {
        this.blob = Objects.requireNonNull(blob, "blob");
        blob.plan(0, 0, chunkSize); // applies the read policy and verifies the integrity record now
        this.size = blob.plaintextLength();
        this.chunkSize = chunkSize;
        this.cachedChunks = Math.max(1, cachedChunks);
        this.readAhead = readAhead;
    }

    /** One chunk's verified plaintext: {@code plain.length()} bytes at {@code plain.offset()} of its array. */
    private record Chunk(byte[] buffer, DownloadPlan.Plain plain) {
        void wipe() {
            plain.wipeUnless(buffer);
            Arrays.fill(buffer, (byte) 0);
        }
    }

    @Override
    public synchronized int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (position >= size) {
            return -1;
        }
        int total = 0;
        while (dst.hasRemaining() && position < size) {
            long index = position / chunkSize;
            Chunk chunk = chunk(index);
            long within = position - index * chunkSize;
            int n = (int) Math.min(dst.remaining(), chunk.plain().length() - within);
            if (n <= 0) {
                throw new IntegrityException("Chunk " + index + " of the blob decrypted to fewer bytes than its "
                    + "plaintext length says; the stored data was modified.");
            }
            dst.put(chunk.plain().bytes(), chunk.plain().offset() + (int) within, n);
            position += n;
            total += n;
            if (readAhead && index == lastChunk + 1) {
                startReadAhead(index + 1);
            }
            lastChunk = index;
        }
        return total;
    }

    /** The verified chunk {@code index}: cached, read ahead, or fetched now. */
    private Chunk chunk(long index) throws IOException {
        Chunk cached = cache.get(index);
        if (cached != null) {
            return cached;
        }
        Chunk chunk = index == aheadIndex ? awaitReadAhead() : load(index);
        cache.put(index, chunk);
        for (Iterator<Map.Entry<Long, Chunk>> it = cache.entrySet().iterator(); cache.size() > cachedChunks; ) {
            it.next().getValue().wipe();
            it.remove();
        }
        return chunk;
    }

    /** Fetches and authenticates chunk {@code index} through a one-chunk plan of the blob. */
    private Chunk load(long index) {
        DownloadPlan plan = blob.plan(index * chunkSize, chunkSize, chunkSize);
        if (plan.chunkCount() != 1) {
            throw new IllegalStateException("A chunk of the channel planned as " + plan.chunkCount() + " chunks");
        }
        byte[] buffer = new byte[plan.maxFetchCount()];
        int fetched = blob.fetcher().fetch(plan.fetchOffset(0), plan.fetchCount(0), buffer);
        return new Chunk(buffer, plan.decrypt(0, buffer, fetched));
    }

    private void startReadAhead(long index) {
        if (aheadIndex >= 0 || index * chunkSize >= size || cache.containsKey(index)) {
            return;
        }
        aheadIndex = index;
        aheadDone = false;
        Transfers.pool().execute(() -> {
            Chunk chunk = null;
            RuntimeException failure = null;
            try {
                chunk = load(index);
            } catch (RuntimeException e) {
                failure = e;
            }
            synchronized (this) {
                if (closed || aheadIndex != index) {
                    if (chunk != null) {
                        chunk.wipe();
                    }
                } else {
                    aheadChunk = chunk;
                    aheadFailure = failure;
                }
                aheadDone = true;
                notifyAll();
            }
        });
    }

    /** Waits for the chunk being read ahead (its failure is thrown now, when it is needed). */
    private Chunk awaitReadAhead() throws IOException {
        while (!aheadDone) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("Interrupted while waiting for a blob read");
            }
        }
        Chunk chunk = aheadChunk;
        RuntimeException failure = aheadFailure;
        aheadIndex = -1;
        aheadChunk = null;
        aheadFailure = null;
        if (failure != null) {
            throw failure;
        }
        return chunk;
    }

    /** @throws NonWritableChannelException always: the channel is read-only */
    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public synchronized long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public synchronized SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("position must not be negative: " + newPosition);
        }
        position = newPosition;
        return this;
    }

    /** The plaintext length (authenticated by the integrity record when the blob has one). */
    @Override
    public synchronized long size() throws IOException {
        ensureOpen();
        return size;
    }

    /** @throws NonWritableChannelException always: the channel is read-only */
    @Override
    public SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public synchronized boolean isOpen() {
        return !closed;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        cache.values().forEach(Chunk::wipe);
        cache.clear();
        if (aheadChunk != null) {
            aheadChunk.wipe();
            aheadChunk = null;
        }
        blob.close();
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }
}
