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
        if (count == 0) {
            return new byte[0];
        }
        ArraySink sink = new ArraySink(Math.toIntExact(count));
        blob.downloadStreamWithResponse(sink, new BlobRange(offset, count), new DownloadRetryOptions(), conditions,
            false, timeout, context);
        return sink.bytes();
    }

    /** Collects a response body into an array of the expected size. */
    private static final class ArraySink extends OutputStream {
        private final byte[] buffer;
        private int size;

        ArraySink(int capacity) {
            this.buffer = new byte[capacity];
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > buffer.length - size) {
                throw new IOException("The service returned more bytes than the " + buffer.length + " requested");
            }
            System.arraycopy(b, off, buffer, size, len);
            size += len;
        }

        byte[] bytes() {
            return size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
        }
    }
}
