package dev.cse4j.blob.implementation;

import dev.cse4j.core.ClientSideEncryptionException;

import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where transfers run. The {@link #scheduler() transfer scheduler} is where every transfer of both clients encrypts
 * and decrypts regions and writes files: as many daemon threads as there are cores (region crypto is CPU work; more
 * threads would only take turns), never the HTTP client's event loop, and threads on which blocking file I/O is
 * allowed (Reactor's bounded elastic kind, so BlockHound lets them block on a file). The requests themselves need no
 * thread of ours: the HTTP client's event loop sends and receives them.
 *
 * <p>The {@link #pool() pool} is for a synchronous reader that reads ahead on its own (the seekable channel): daemon
 * threads created as needed and dropped when idle.
 */
final class Transfers {
    private static final Scheduler SCHEDULER = Schedulers.newBoundedElastic(
        Math.max(2, Runtime.getRuntime().availableProcessors()), Integer.MAX_VALUE, "cse4j-blob-crypto", 60, true);

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

    /** Region crypto and file writes of every transfer: one thread per core, daemon threads. */
    static Scheduler scheduler() {
        return SCHEDULER;
    }

    /**
     * Bytes per file read or write: the JDK copies each read or write of a heap array through a direct buffer of its
     * size, which it keeps for the thread (a 4 MiB read would leave each reading thread 4 MiB of native memory).
     */
    static final int IO_SLICE = 256 * 1024;

    /** Writes {@code bytes[offset, offset + length)} at {@code position} of {@code channel}, in slices. */
    static void writeFully(FileChannel channel, byte[] bytes, int offset, int length, long position) {
        try {
            for (int done = 0; done < length; ) {
                done += channel.write(ByteBuffer.wrap(bytes, offset + done, Math.min(IO_SLICE, length - done)),
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
