package dev.cse4j.core.implementation;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Which kind of client runs an operation, and so where what can block may run: a key or resolver (Key Vault's
 * synchronous client makes an HTTP call) and the system's random source (which reads {@code /dev/urandom}). The
 * envelope operations ({@link Envelope#seal}, {@link Envelope#open}) and the blob transfers are each written once,
 * as a {@link Mono}, and take the mode: {@link #ALLOWED} calls {@link ContentKeyResolver}'s blocking forms on the
 * calling thread, {@link #OFFLOADED} its asynchronous forms, which never block.
 */
public enum Blocking {
    /**
     * A synchronous client's operation: what may block runs on the calling thread, where blocking is expected, and
     * the operation ends with {@link #await(Mono)}.
     */
    ALLOWED,
    /**
     * An asynchronous client's operation: what may block runs on {@link Schedulers#boundedElastic()}, never on the
     * subscriber's thread (which may be an HTTP client's event loop or a parallel scheduler's worker).
     */
    OFFLOADED;

    /** The package of the Netty HTTP client's exceptions. */
    private static final String NETTY = "io.netty.";

    /** {@code work} as a {@link Mono}, run where this mode allows blocking. */
    public <T> Mono<T> call(Callable<T> work) {
        Mono<T> mono = Mono.fromCallable(work);
        return this == ALLOWED ? mono : mono.subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * The value of {@code mono}, waiting for it on the calling thread: how synchronous clients end a key operation
     * (with synchronous keys it has completed by the time it was subscribed) or a transfer. Its failure is rethrown
     * as it was signalled: unchecked exceptions and errors as they are, but a connection failure (after the client's
     * retries: an {@link IOException}, or one of the Netty HTTP client's own unchecked exceptions, such as a response
     * closed before its headers) as an {@link UncheckedIOException}, the one type synchronous callers catch for I/O
     * failures; other checked exceptions wrapped in an {@link IllegalStateException}. An interrupted wait cancels
     * {@code mono} (a transfer stops, commits nothing and leaves no file) and throws {@link IllegalStateException}
     * with the thread's interrupt status set.
     *
     * @return the value, or {@code null} if {@code mono} completed empty
     */
    public static <T> T await(Mono<T> mono) {
        java.util.concurrent.CompletableFuture<T> result = mono.toFuture();
        try {
            return result.get();
        } catch (InterruptedException e) {
            result.cancel(true); // disposes the subscription: the work stops, releasing what it holds
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting", e);
        } catch (CancellationException e) {
            throw new IllegalStateException("Cancelled", e);
        } catch (ExecutionException | CompletionException e) {
            throw propagate(e.getCause());
        }
    }

    private static RuntimeException propagate(Throwable cause) {
        if (cause instanceof IOException io) {
            throw connectionFailed(io);
        }
        if (cause instanceof RuntimeException runtime) {
            // the HTTP client's own (Netty's) exceptions are unchecked, whatever the connection did
            throw runtime.getClass().getName().startsWith(NETTY) ? connectionFailed(new IOException(runtime.toString(),
                runtime)) : runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException(cause);
    }

    private static UncheckedIOException connectionFailed(IOException cause) {
        return new UncheckedIOException("The connection to the service failed (" + cause + "), after the client's "
            + "retries. Retry the operation once the service is reachable; the builder's retryOptions set how long the "
            + "client itself retries.", cause);
    }
}
