package dev.cse4j.blob.implementation;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The plaintext of a {@link DownloadPlan}, decrypted as it is read: chunk after chunk, each fetched (from the opened
 * version of the blob) and verified before any of its bytes are returned. Memory is one chunk's buffer, allocated on
 * the first read. Closing it zeroes the buffer and destroys the blob's content key.
 */
public final class DecryptingBlobInputStream extends InputStream {
    private final OpenedBlob blob;
    private final DownloadPlan plan;
    private int nextChunk;
    private byte[] buffer;
    private DownloadPlan.Plain current;
    private int position;
    private boolean closed;

    public DecryptingBlobInputStream(OpenedBlob blob, DownloadPlan plan) {
        this.blob = Objects.requireNonNull(blob, "blob");
        this.plan = Objects.requireNonNull(plan, "plan");
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        if (len == 0) {
            return 0;
        }
        while (current == null || position == current.length()) {
            if (!advance()) {
                return -1;
            }
        }
        int n = Math.min(len, current.length() - position);
        System.arraycopy(current.bytes(), current.offset() + position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() throws IOException {
        ensureOpen();
        return current == null ? 0 : current.length() - position;
    }

    private boolean advance() {
        if (current != null) {
            current.wipeUnless(buffer);
            current = null;
        }
        if (nextChunk >= plan.chunkCount()) {
            return false;
        }
        if (buffer == null) {
            buffer = new byte[plan.maxFetchCount()];
        }
        int i = nextChunk++;
        int fetched = blob.fetcher().fetch(plan.fetchOffset(i), plan.fetchCount(i), buffer);
        current = plan.decrypt(i, buffer, fetched);
        position = 0;
        return true;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("Stream closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (current != null) {
                current.wipeUnless(buffer);
            }
            if (buffer != null) {
                java.util.Arrays.fill(buffer, (byte) 0);
            }
            blob.close();
        }
    }
}
