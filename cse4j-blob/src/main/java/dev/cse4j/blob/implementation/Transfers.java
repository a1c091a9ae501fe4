package dev.cse4j.blob.implementation;

import dev.cse4j.core.ClientSideEncryptionException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Collection;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker threads of every transfer: one shared pool of daemon threads, created as needed and dropped when idle.
 * Each transfer bounds its own concurrency (its window of blocks in flight), so the pool itself is unbounded.
 * Workers fetch or stage blocks and encrypt or decrypt their regions, so region crypto runs on several cores.
 */
final class Transfers {
    private static final ExecutorService POOL = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "cse4j-blob-transfer-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    });

    private Transfers() {
    }

    static ExecutorService pool() {
        return POOL;
    }

    /** Bytes per file write: the JDK copies each write through a per-thread direct buffer of its size. */
    static final int WRITE_SLICE = 256 * 1024;

    /** Writes {@code bytes[offset, offset + length)} at {@code position} of {@code channel}, in slices. */
    static void writeFully(FileChannel channel, byte[] bytes, int offset, int length, long position) {
        try {
            for (int done = 0; done < length; ) {
                done += channel.write(ByteBuffer.wrap(bytes, offset + done, Math.min(WRITE_SLICE, length - done)),
                    position + done);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for {@code future} and rethrows its failure as it was thrown (unchecked). */
    static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a blob transfer", e);
        } catch (CancellationException e) {
            throw new IllegalStateException("The blob transfer was cancelled", e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    /** Cancels every future (interrupting its worker) after a failure. */
    static void cancelAll(Collection<? extends Future<?>> futures) {
        for (Future<?> future : futures) {
            future.cancel(true);
        }
    }

    static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof ClientSideEncryptionException e) {
            throw e;
        }
        if (cause instanceof RuntimeException e) {
            throw e;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        if (cause instanceof IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException(cause);
    }
}
