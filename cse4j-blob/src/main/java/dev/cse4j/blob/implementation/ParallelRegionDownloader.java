package dev.cse4j.blob.implementation;

import com.azure.core.util.ProgressReporter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;

/**
 * Runs a {@link DownloadPlan}: fetches chunks in parallel ({@code maxConcurrency} in flight), verifies and decrypts
 * each chunk on the worker that fetched it (so region crypto runs on several cores), and writes the plaintext either
 * in order to a stream or at its position in a file. Memory is about {@code maxConcurrency} chunks (stored and
 * plaintext bytes), whatever the blob size. A plan of one chunk runs on the calling thread.
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
        return run(plan, null, (i, plain) -> {
            ByteBuffer buffer = ByteBuffer.wrap(plain.bytes(), plain.offset(), plain.length());
            long at = position + plan.outputOffset(i);
            try {
                while (buffer.hasRemaining()) {
                    at += channel.write(buffer, at);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private interface OrderedSink {
        void accept(DownloadPlan.Plain plain);
    }

    private interface PositionalSink {
        void accept(int chunk, DownloadPlan.Plain plain);
    }

    /** Exactly one of the sinks is set: ordered ones run on the calling thread, positional ones on the workers. */
    private long run(DownloadPlan plan, OrderedSink ordered, PositionalSink positional) {
        int chunks = plan.chunkCount();
        if (chunks == 0) {
            return 0;
        }
        if (chunks == 1 || maxConcurrency == 1) {
            long total = 0;
            for (int i = 0; i < chunks; i++) {
                total += deliver(i, chunk(plan, i, positional), ordered);
            }
            return total;
        }
        Deque<Future<DownloadPlan.Plain>> window = new ArrayDeque<>();
        int next = 0;
        long total = 0;
        try {
            while (next < chunks && window.size() < maxConcurrency) {
                window.add(submit(plan, next++, positional));
            }
            for (int i = 0; i < chunks; i++) {
                DownloadPlan.Plain plain = Transfers.await(window.poll());
                total += deliver(i, plain, ordered);
                if (next < chunks) {
                    window.add(submit(plan, next++, positional));
                }
            }
            return total;
        } catch (RuntimeException | Error e) {
            Transfers.cancelAll(window);
            throw e;
        }
    }

    private Future<DownloadPlan.Plain> submit(DownloadPlan plan, int i, PositionalSink positional) {
        Callable<DownloadPlan.Plain> task = () -> chunk(plan, i, positional);
        return Transfers.pool().submit(task);
    }

    /** Fetches and decrypts chunk {@code i}; a positional sink gets it at once (on this thread). */
    private DownloadPlan.Plain chunk(DownloadPlan plan, int i, PositionalSink positional) {
        byte[] fetched = fetcher.fetch(plan.fetchOffset(i), plan.fetchCount(i));
        DownloadPlan.Plain plain = plan.decrypt(i, fetched);
        if (positional != null) {
            try {
                positional.accept(i, plain);
            } finally {
                plain.wipe();
            }
            report(plain.length());
            return new DownloadPlan.Plain(plain.bytes(), 0, plain.length());
        }
        return plain;
    }

    private long deliver(int i, DownloadPlan.Plain plain, OrderedSink ordered) {
        if (ordered == null) {
            return plain.length();
        }
        try {
            ordered.accept(plain);
        } finally {
            plain.wipe();
        }
        report(plain.length());
        return plain.length();
    }

    private void report(long bytes) {
        if (progress != null && bytes > 0) {
            progress.reportProgress(bytes);
        }
    }
}
