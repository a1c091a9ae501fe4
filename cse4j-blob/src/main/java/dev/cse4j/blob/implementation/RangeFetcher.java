package dev.cse4j.blob.implementation;

import com.azure.core.util.Context;
import com.azure.core.util.FluxUtil;
import com.azure.storage.blob.BlobAsyncClient;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.DownloadRetryOptions;
import dev.cse4j.core.implementation.Blocking;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousByteChannel;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Fetches stored byte ranges of one version of a blob: every request carries {@code If-Match} with the ETag read
 * when the download started (and the caller's lease id), so a download made of several requests never mixes two
 * versions of the blob; a blob replaced meanwhile fails with the service's 412 error. Thread-safe.
 *
 * <p>Response bodies go straight from the HTTP client's buffers into the caller's array (the SDK's
 * {@code writeValueToAsync}, which also resumes an interrupted body per the retry options), not through the
 * per-chunk heap copies of the SDK's {@code OutputStream} download: a download makes no garbage in proportion to its
 * size. The requests go through the wrapped client's own pipeline, with its service version, encryption scope and
 * customer-provided key.
 *
 * <p>A request that receives nothing for the no-progress bound fails ({@link NoProgress}), so a frozen service stops
 * a download within that bound, for both kinds of client.
 */
public final class RangeFetcher {
    private final Supplier<BlobAsyncClient> client;
    private BlobAsyncClient blob; // got on the first read: opening a blob only for its properties builds nothing
    private final BlobRequestConditions conditions;
    private final Duration timeout;
    private final Duration noProgressTimeout;
    private final Context context;
    private final String what;

    /**
     * @param blob the blob (and snapshot or version), as an asynchronous client on its client's pipeline (got when
     *     first needed)
     * @param etag the ETag of the version to read
     * @param leaseId the caller's lease id, or {@code null}
     * @param timeout of each request, or {@code null}
     * @param noProgressTimeout the longest a request may go without receiving a byte ({@link NoProgress})
     * @param context passed to each request, or {@code null}
     * @param what the blob, for messages, e.g. {@code "Blob 'c/b'"}
     */
    public RangeFetcher(Supplier<BlobAsyncClient> blob, String etag, String leaseId, Duration timeout,
        Duration noProgressTimeout, Context context, String what) {
        this.client = Objects.requireNonNull(blob, "blob");
        this.conditions = new BlobRequestConditions().setIfMatch(etag).setLeaseId(leaseId);
        this.timeout = timeout;
        this.noProgressTimeout = Objects.requireNonNull(noProgressTimeout, "noProgressTimeout");
        this.context = context == null ? Context.NONE : context;
        this.what = what;
    }

    private synchronized BlobAsyncClient blob() {
        if (blob == null) {
            blob = client.get();
        }
        return blob;
    }

    /**
     * The stored bytes {@code [offset, offset + count)}, waited for; fewer if the blob ends first (the plans check
     * the length).
     */
    public byte[] fetch(long offset, long count) {
        byte[] bytes = new byte[Math.toIntExact(count)];
        int n = fetch(offset, count, bytes);
        return n == bytes.length ? bytes : Arrays.copyOf(bytes, n);
    }

    /**
     * {@link #read(long, long, byte[])}, waited for (for synchronous readers: input streams and channels).
     *
     * @return the bytes read
     */
    public int fetch(long offset, long count, byte[] into) {
        Integer read = Blocking.await(read(offset, count, into));
        return read == null ? 0 : read;
    }

    /**
     * Reads the stored bytes {@code [offset, offset + count)} into the start of {@code into} (fewer if the blob ends
     * first; the plans check the length). The body is copied into {@code into} on the HTTP client's thread, as it
     * arrives; the {@link Mono} completes there. Cancelling it closes the response (its connection is not reused).
     * It fails with {@link NoProgress}'s failure if nothing arrives for the no-progress bound.
     *
     * @return the bytes read
     */
    public Mono<Integer> read(long offset, long count, byte[] into) {
        return read(offset, count, into, null);
    }

    /**
     * {@link #read(long, long, byte[])}, running {@code onResponse} (if not {@code null}) when the response arrives,
     * before its body, on the thread that received it (the HTTP client's).
     */
    Mono<Integer> read(long offset, long count, byte[] into, Runnable onResponse) {
        if (count == 0) {
            return Mono.just(0);
        }
        return Mono.defer(() -> {
            ArrayChannel sink = new ArrayChannel(into, Math.toIntExact(count));
            Mono<Void> download = blob().downloadStreamWithResponse(new BlobRange(offset, count),
                    new DownloadRetryOptions(), conditions, false)
                .flatMap(response -> {
                    if (onResponse != null) {
                        onResponse.run();
                    }
                    return response.writeValueToAsync(sink, null).doFinally(signal -> close(response));
                });
            if (timeout != null) {
                download = download.timeout(timeout);
            }
            return NoProgress.bound(download, noProgressTimeout, () -> sink.lastProgress, what)
                .contextWrite(FluxUtil.toReactorContext(context)).then(Mono.fromSupplier(() -> sink.size));
        });
    }

    private static void close(AutoCloseable response) {
        try {
            response.close();
        } catch (Exception e) {
            // the body was read or abandoned; nothing is left to release
        }
    }

    /**
     * Collects a response body into the start of an array, refusing more than the bytes requested. Each write
     * completes at once, on the writing thread.
     */
    private static final class ArrayChannel implements AsynchronousByteChannel {
        private final byte[] buffer;
        private final int capacity;
        private int size;
        /** {@link System#nanoTime()} of the request's start or its last byte. */
        private volatile long lastProgress = System.nanoTime();

        ArrayChannel(byte[] buffer, int capacity) {
            this.buffer = buffer;
            this.capacity = capacity;
        }

        private int put(ByteBuffer src) throws IOException {
            int len = src.remaining();
            if (len > capacity - size) {
                throw new IOException("The service returned more bytes than the " + capacity + " requested");
            }
            src.get(buffer, size, len);
            size += len;
            lastProgress = System.nanoTime();
            return len;
        }

        @Override
        public <A> void write(ByteBuffer src, A attachment, CompletionHandler<Integer, ? super A> handler) {
            int written;
            try {
                written = put(src);
            } catch (IOException e) {
                handler.failed(e, attachment);
                return;
            }
            handler.completed(written, attachment);
        }

        @Override
        public Future<Integer> write(ByteBuffer src) {
            try {
                return CompletableFuture.completedFuture(put(src));
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public <A> void read(ByteBuffer dst, A attachment, CompletionHandler<Integer, ? super A> handler) {
            throw new UnsupportedOperationException("write-only");
        }

        @Override
        public Future<Integer> read(ByteBuffer dst) {
            throw new UnsupportedOperationException("write-only");
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
