package dev.cse4j.core.implementation;

import dev.cse4j.core.ClientSideEncryptionException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The bounded worker loop of fleet operations ({@code dev.cse4j.fleet.FleetOperation#applyAll}): one shared pool
 * of daemon threads, created as needed and dropped when idle. Every run bounds its own concurrency (its objects in
 * flight), so the pool itself is unbounded and a run never waits for another run's objects.
 */
public final class Workers {
    private static final ExecutorService POOL = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "cse4j-worker-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    });

    private Workers() {
    }

    /**
     * Runs {@code task} on every item of {@code source} on the shared pool, at most {@code maxInFlight} at once, and
     * hands each result to {@code sink} on the calling thread as soon as its task is done (so in completion order;
     * the sink needs no locking). Items are taken from {@code source} on the calling thread, one at a time and only
     * when a task may start, so at most {@code maxInFlight} items are held beyond the one being taken, whatever the
     * source's size.
     *
     * <p>The first exception of a task, of the source or of the sink ends the run: the tasks still running are
     * cancelled (interrupted) and the exception is rethrown as it was thrown (an {@link IOException} as an
     * {@link UncheckedIOException}).
     *
     * @return the number of items run
     * @throws IllegalStateException if the calling thread is interrupted while it waits (its flag is set again)
     */
    public static <T, R> long run(Iterator<? extends T> source, int maxInFlight,
        Function<? super T, ? extends R> task, Consumer<? super R> sink) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(sink, "sink");
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, not " + maxInFlight);
        }
        BlockingQueue<Future<R>> finished = new LinkedBlockingQueue<>();
        Set<Future<R>> running = new LinkedHashSet<>();
        long count = 0;
        try {
            while (true) {
                for (Future<R> done; (done = finished.poll()) != null; count++) {
                    running.remove(done);
                    sink.accept(await(done));
                }
                if (running.size() < maxInFlight && source.hasNext()) {
                    T item = source.next();
                    FutureTask<R> future = new FutureTask<>(() -> task.apply(item)) {
                        @Override
                        protected void done() {
                            finished.add(this);
                        }
                    };
                    running.add(future);
                    POOL.execute(future);
                    continue;
                }
                if (running.isEmpty()) {
                    return count;
                }
                Future<R> done = finished.take();
                running.remove(done);
                count++;
                sink.accept(await(done));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancelAll(running);
            throw new IllegalStateException("Interrupted while waiting for cse4j's workers", e);
        } catch (RuntimeException | Error e) {
            cancelAll(running);
            throw e;
        }
    }

    /** Waits for {@code future} and rethrows its failure as it was thrown (unchecked). */
    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for cse4j's workers", e);
        } catch (CancellationException e) {
            throw new IllegalStateException("The work was cancelled", e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    /** Cancels every future (interrupting its worker) after a failure. */
    private static void cancelAll(Collection<? extends Future<?>> futures) {
        for (Future<?> future : futures) {
            future.cancel(true);
        }
    }

    /** Throws {@code cause} unchecked: as it is if it is unchecked, an {@link IOException} wrapped. */
    private static RuntimeException rethrow(Throwable cause) {
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
