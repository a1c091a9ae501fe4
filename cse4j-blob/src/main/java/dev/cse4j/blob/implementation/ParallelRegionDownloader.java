package dev.cse4j.blob.implementation;

import com.azure.core.util.ProgressReporter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * Runs a {@link DownloadPlan}: fetches chunks in parallel ({@code maxConcurrency} in flight), each into a buffer of
 * the transfer's {@link BufferPool}; verifies and decrypts each chunk in place on the worker that fetched it (so
 * region crypto runs on several cores); and writes the plaintext either in order to a stream (on the calling
 * thread) or at its position in a file (on the worker). Memory is {@code maxConcurrency} buffers of one chunk's
 * stored size, whatever the blob size. A plan of one chunk runs on the calling thread.
 *
 * <p>On failure the chunks still in flight are cancelled and the first failure is thrown; plaintext already written
 * to a stream stays there (each chunk was verified before it was written), and file downloads discard their file
 * ({@link FileDownload}).
 */
public final class ParallelRegionDownloader {
    private final RangeFetcher fetcher;
    private final int maxConcurrency;
    private final ProgressReporter progress;

    /**
     * @param progress receives plaintext bytes written, or {@code null}
     */
    public ParallelRegionDownloader(RangeFetcher fetcher, int maxConcurrency, ProgressReporter progress) {
        this.fetcher = fetcher;
        this.maxConcurrency = Math.max(1, maxConcurrency);
        this.progress = progress;
    }

    /** Writes the plan's plaintext to {@code out} in order; returns the bytes written. */
    public long toStream(DownloadPlan plan, OutputStream out) {
        return run(plan, plain -> {
            try {
                out.write(plain.bytes(), plain.offset(), plain.length());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, null);
    }

    /** Writes the plan's plaintext into {@code channel} at {@code position + outputOffset}; returns the bytes. */
    public long toFile(DownloadPlan plan, FileChannel channel, long position) {
        return run(plan, null, (i, plain) -> Transfers.writeFully(channel, plain.bytes(), plain.offset(),
            plain.length(), position + plan.outputOffset(i)));
    }

    private interface OrderedSink {
        void accept(DownloadPlan.Plain plain);
    }

    private interface PositionalSink {
        void accept(int chunk, DownloadPlan.Plain plain);
    }

    /**
     * A fetched and verified chunk: its plaintext in {@code buffer} (or an array of its own); for a positional
     * sink, already written, and {@code buffer} already back in the pool ({@code null}).
     */
    private record Chunk(byte[] buffer, DownloadPlan.Plain plain) {
    }

    /** Exactly one of the sinks is set: ordered ones run on the calling thread, positional ones on the workers. */
    private long run(DownloadPlan plan, OrderedSink ordered, PositionalSink positional) {
        int chunks = plan.chunkCount();
        if (chunks == 0) {
            return 0;
        }
        int width = Math.min(maxConcurrency, chunks);
        try (BufferPool pool = new BufferPool(width, plan.maxFetchCount())) {
            Deque<Future<Chunk>> window = new ArrayDeque<>();
            try {
                long total = 0;
                int next = 0;
                for (int i = 0; i < chunks; i++) {
                    while (next < chunks && window.size() < width) {
                        window.add(start(plan, next++, pool, positional, width == 1));
                    }
                    total += deliver(Transfers.await(window.poll()), ordered, pool);
                }
                return total;
            } catch (RuntimeException | Error e) {
                Transfers.cancelAll(window);
                throw e;
            }
        }
    }

    /** Fetches and decrypts chunk {@code i} into a pool buffer, on a worker (or here, if {@code inline}). */
    private Future<Chunk> start(DownloadPlan plan, int i, BufferPool pool, PositionalSink positional,
        boolean inline) {
        byte[] buffer = pool.take();
        Callable<Chunk> task = () -> {
            boolean keep = false;
            try {
                int fetched = fetcher.fetch(plan.fetchOffset(i), plan.fetchCount(i), buffer);
                DownloadPlan.Plain plain = plan.decrypt(i, buffer, fetched);
                if (positional == null) {
                    keep = true;
                    return new Chunk(buffer, plain);
                }
                try {
                    positional.accept(i, plain);
                } finally {
                    plain.wipeUnless(buffer);
                }
                report(plain.length());
                return new Chunk(null, plain);
            } finally {
                if (!keep) {
                    pool.give(buffer);
                }
            }
        };
        if (inline) {
            FutureTask<Chunk> run = new FutureTask<>(task);
            run.run();
            return run;
        }
        return Transfers.pool().submit(task);
    }

    /** Hands a chunk to an ordered sink (a positional one has had it); returns its plaintext bytes. */
    private long deliver(Chunk chunk, OrderedSink ordered, BufferPool pool) {
        DownloadPlan.Plain plain = chunk.plain();
        if (ordered != null) {
            try {
                ordered.accept(plain);
            } finally {
                plain.wipeUnless(chunk.buffer());
                pool.give(chunk.buffer());
            }
            report(plain.length());
        }
        return plain.length();
    }

    private void report(long bytes) {
        if (progress != null && bytes > 0) {
            progress.reportProgress(bytes);
        }
    }
}
