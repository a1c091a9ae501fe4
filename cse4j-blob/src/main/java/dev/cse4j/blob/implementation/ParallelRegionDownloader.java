package dev.cse4j.blob.implementation;

import com.azure.core.util.ProgressReporter;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * Runs a {@link DownloadPlan}, for the synchronous and the asynchronous client alike: fetches chunks in parallel
 * ({@code maxConcurrency} in flight), each straight into a buffer of the transfer's {@link BufferPool} on the HTTP
 * client's thread; verifies and decrypts each chunk in place on the {@link Transfers#scheduler() transfer
 * scheduler} (bounded to the cores, never the HTTP client's event loop); and hands the plaintext on, either in
 * order (a {@link Flux}, or a stream) or at its position (a file, an array). Memory is {@code maxConcurrency}
 * buffers of one chunk's stored size, whatever the blob size and however slowly the plaintext is consumed: a chunk
 * is fetched only when a buffer is free, and the buffers of verified chunks not yet consumed count.
 *
 * <p>The first chunk is requested alone, the others once its response arrived, from the thread that received it
 * ({@link FirstResponse}): the download's connections then share one of the HTTP client's event loops, as the Azure
 * SDK's own downloads do.
 *
 * <p>No plaintext of a chunk is handed on before every region of it verified. On failure the chunks in flight are
 * cancelled (their responses closed) and the failure is signalled after the chunks already handed on, all verified;
 * on cancellation likewise. Either way every buffer goes back to the pool, which zeroes it.
 */
public final class ParallelRegionDownloader {
    private final RangeFetcher fetcher;
    private final int maxConcurrency;
    private final ProgressReporter progress;

    /**
     * @param progress receives plaintext bytes handed on, or {@code null}
     */
    public ParallelRegionDownloader(RangeFetcher fetcher, int maxConcurrency, ProgressReporter progress) {
        this.fetcher = fetcher;
        this.maxConcurrency = Math.max(1, maxConcurrency);
        this.progress = progress;
    }

    /**
     * The plan's plaintext, chunk by chunk in order; each {@link ByteBuffer} is the subscriber's to keep (its
     * buffer leaves the pool). Nothing is fetched before it is subscribed.
     */
    public Flux<ByteBuffer> toFlux(DownloadPlan plan) {
        return inOrder(plan).handle((chunk, sink) -> {
            ByteBuffer plaintext = chunk.handOff();
            if (plaintext != null) {
                report(plaintext.remaining());
                sink.next(plaintext);
            }
        });
    }

    /**
     * Writes the plan's plaintext to {@code out} in order, waiting for it (a synchronous client's download to a
     * stream). The writes happen on the transfer scheduler's threads, one at a time.
     *
     * @return the bytes written
     */
    public long toStream(DownloadPlan plan, OutputStream out) {
        Long written = inOrder(plan).map(chunk -> {
            DownloadPlan.Plain plain = chunk.plain();
            try {
                out.write(plain.bytes(), plain.offset(), plain.length());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                chunk.release();
            }
            report(plain.length());
            return (long) plain.length();
        }).reduce(0L, Long::sum).block();
        return written == null ? 0 : written;
    }

    /**
     * Writes the plan's plaintext into {@code channel} at {@code position + outputOffset}, each chunk on the thread
     * that decrypted it.
     *
     * @return the bytes written
     */
    public Mono<Long> toFile(DownloadPlan plan, FileChannel channel, long position) {
        return positional(plan, (i, plain) -> Transfers.writeFully(channel, plain.bytes(), plain.offset(),
            plain.length(), position + plan.outputOffset(i)));
    }

    /**
     * The plan's plaintext in one array.
     *
     * @return the plaintext; an error signal {@link IllegalArgumentException} if it is too large for one array
     */
    public Mono<byte[]> toArray(DownloadPlan plan) {
        return Mono.defer(() -> {
            long hint = plan.outputLengthHint();
            if (hint > Integer.MAX_VALUE - 16) {
                return Mono.error(new IllegalArgumentException("The plaintext (" + hint + " bytes) is too large for "
                    + "memory; download it as a stream or to a file."));
            }
            byte[] out = new byte[Math.toIntExact(plan.outputLengthHint())];
            return positional(plan, (i, plain) -> System.arraycopy(plain.bytes(), plain.offset(), out,
                    Math.toIntExact(plan.outputOffset(i)), plain.length()))
                .map(total -> total == out.length ? out : java.util.Arrays.copyOf(out, Math.toIntExact(total)));
        });
    }

    private interface PositionalSink {
        void accept(int chunk, DownloadPlan.Plain plain);
    }

    /** The verified chunks in order, each to be released (or handed off) by whoever takes it. */
    private Flux<Chunk> inOrder(DownloadPlan plan) {
        int chunks = plan.chunkCount();
        if (chunks == 0) {
            return Flux.empty();
        }
        int width = Math.min(maxConcurrency, chunks);
        return Flux.usingWhen(Mono.fromSupplier(() -> new BufferPool(width, plan.maxFetchCount())),
                pool -> Flux.defer(() -> {
                    FirstResponse first = new FirstResponse();
                    return Flux.range(0, chunks).flatMapSequential(i -> verified(plan, i, pool, first), width, 1);
                }),
                ParallelRegionDownloader::close)
            .onErrorMap(Exceptions::isMultiple, ParallelRegionDownloader::first)
            .doOnDiscard(Chunk.class, Chunk::release);
    }

    /** Each chunk handed to {@code sink} where it was decrypted, in any order. */
    private Mono<Long> positional(DownloadPlan plan, PositionalSink sink) {
        int chunks = plan.chunkCount();
        if (chunks == 0) {
            return Mono.just(0L);
        }
        int width = Math.min(maxConcurrency, chunks);
        return Mono.usingWhen(Mono.fromSupplier(() -> new BufferPool(width, plan.maxFetchCount())),
                pool -> Mono.defer(() -> {
                    FirstResponse first = new FirstResponse();
                    return Flux.range(0, chunks).flatMap(i -> verified(plan, i, pool, first).map(chunk -> {
                        DownloadPlan.Plain plain = chunk.plain();
                        try {
                            sink.accept(i, plain);
                        } finally {
                            chunk.release();
                        }
                        report(plain.length());
                        return (long) plain.length();
                    }), width, 1).reduce(0L, Long::sum);
                }),
                ParallelRegionDownloader::close)
            .onErrorMap(Exceptions::isMultiple, ParallelRegionDownloader::first)
            .doOnDiscard(Chunk.class, Chunk::release);
    }

    /**
     * Chunk {@code i}, fetched into a pool buffer (chunk 0 at once, the others once {@code first} let them: their
     * buffers are taken, and their requests made, on the thread that received the first response) and verified and
     * decrypted on the transfer scheduler.
     */
    private Mono<Chunk> verified(DownloadPlan plan, int i, BufferPool pool, FirstResponse first) {
        Mono<Chunk> chunk = Mono.defer(() -> {
            BufferPool.Lease lease = pool.lease();
            Mono<Integer> fetch = i == 0
                ? fetcher.read(plan.fetchOffset(i), plan.fetchCount(i), lease.buffer(), first::arrived)
                    .doFinally(signal -> first.arrived())
                : fetcher.read(plan.fetchOffset(i), plan.fetchCount(i), lease.buffer());
            return fetch.publishOn(Transfers.scheduler())
                .map(fetched -> new Chunk(lease, plan.decrypt(i, lease.buffer(), fetched)))
                .doOnError(e -> lease.release())
                .doOnCancel(lease::release);
        });
        return i == 0 ? chunk : first.then(chunk);
    }

    /**
     * Holds a download's requests after its first until the first one's response arrived, then lets them go from
     * the thread that received it (later ones go at once, from wherever they are asked). Why: the HTTP client
     * (reactor-netty, whose event loops are colocated by default) makes a connection a request needs on the event
     * loop it is asked from, else on the next one in turn. Asked from the transfer threads, a download's first
     * {@code maxConcurrency} requests opened their connections on as many event loops, each of which then took its
     * own chunk of the client's pooled direct memory: measured, a 256 MiB download used four event loops and 13 MB
     * more native memory than the Azure SDK's own download, which starts its other requests from its first
     * response and uses one. The requests held must be waiting when the first response arrives: they take their
     * buffers only once it did, since allocating a buffer (the pool makes them on first need) took longer than
     * the first response on loopback, and the requests of the buffers allocated after it went from the transfer
     * thread (measured, 256 MiB: two of the first four requests did, so 3-4 event loops were in use, peak RSS
     * 4 MiB higher per loop). The cost is the first response's latency, once per download.
     */
    private static final class FirstResponse {
        private final Sinks.Empty<Void> arrived = Sinks.empty();

        /** The first response arrived (or the first request ended without one): the others may go. */
        void arrived() {
            arrived.tryEmitEmpty();
        }

        /** {@code request}, subscribed once the first response arrived, on the thread that received it. */
        <T> Mono<T> then(Mono<T> request) {
            return arrived.asMono().then(request);
        }
    }

    /** The first of several chunks' failures (they failed at once), the others suppressed by it. */
    private static Throwable first(Throwable multiple) {
        List<Throwable> failures = Exceptions.unwrapMultiple(multiple);
        Throwable first = failures.get(0);
        failures.subList(1, failures.size()).forEach(first::addSuppressed);
        return first;
    }

    private static Mono<Void> close(BufferPool pool) {
        return Mono.fromRunnable(pool::close);
    }

    private void report(long bytes) {
        if (progress != null && bytes > 0) {
            progress.reportProgress(bytes);
        }
    }

    /** A verified chunk: its plaintext, in its pool buffer or (protocol 1.0) an array of its own. */
    private record Chunk(BufferPool.Lease lease, DownloadPlan.Plain plain) {
        /** Zeroes plaintext in an array of its own, and gives the pool buffer back. */
        void release() {
            plain.wipeUnless(lease.buffer());
            lease.release();
        }

        /** The plaintext as the caller's own buffer, or {@code null} if it was released meanwhile (cancelled). */
        ByteBuffer handOff() {
            if (plain.bytes() != lease.buffer()) {
                lease.release();
                return ByteBuffer.wrap(plain.bytes(), plain.offset(), plain.length());
            }
            byte[] buffer = lease.handOff();
            return buffer == null ? null : ByteBuffer.wrap(buffer, plain.offset(), plain.length());
        }
    }
}
