package dev.cse4j.blob.implementation;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.DownloadRetryOptions;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Fetches stored byte ranges of one version of a blob: every request carries {@code If-Match} with the ETag read
 * when the download started (and the caller's lease id), so a download made of several requests never mixes two
 * versions of the blob; a blob replaced meanwhile fails with the service's 412 error. Thread-safe.
 */
public final class RangeFetcher {
    private final BlobClient blob;
    private final BlobRequestConditions conditions;
    private final Duration timeout;
    private final Context context;

    /**
     * @param etag the ETag of the version to read
     * @param leaseId the caller's lease id, or {@code null}
     */
    public RangeFetcher(BlobClient blob, String etag, String leaseId, Duration timeout, Context context) {
        this.blob = Objects.requireNonNull(blob, "blob");
        this.conditions = new BlobRequestConditions().setIfMatch(etag).setLeaseId(leaseId);
        this.timeout = timeout;
        this.context = context == null ? Context.NONE : context;
    }

    /**
     * The stored bytes {@code [offset, offset + count)}; fewer if the blob ends first (the plans check the length).
     */
    public byte[] fetch(long offset, long count) {
        byte[] bytes = new byte[Math.toIntExact(count)];
        int n = fetch(offset, count, bytes);
        return n == bytes.length ? bytes : Arrays.copyOf(bytes, n);
    }

    /**
     * Reads the stored bytes {@code [offset, offset + count)} into the start of {@code into} (fewer if the blob ends
     * first; the plans check the length).
     *
     * @return the bytes read
     */
    public int fetch(long offset, long count, byte[] into) {
        if (count == 0) {
            return 0;
        }
        ArraySink sink = new ArraySink(into, Math.toIntExact(count));
        blob.downloadStreamWithResponse(sink, new BlobRange(offset, count), new DownloadRetryOptions(), conditions,
            false, timeout, context);
        return sink.size;
    }

    /** Collects a response body into the start of an array, refusing more than the bytes requested. */
    private static final class ArraySink extends OutputStream {
        private final byte[] buffer;
        private final int capacity;
        private int size;

        ArraySink(byte[] buffer, int capacity) {
            this.buffer = buffer;
            this.capacity = capacity;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > capacity - size) {
                throw new IOException("The service returned more bytes than the " + capacity + " requested");
            }
            System.arraycopy(b, off, buffer, size, len);
            size += len;
        }
    }
}
