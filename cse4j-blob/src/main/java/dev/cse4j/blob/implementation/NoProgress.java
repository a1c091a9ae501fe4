package dev.cse4j.blob.implementation;

import dev.cse4j.blob.EncryptedBlobDownloadToFileOptions;
import reactor.core.publisher.Mono;

import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Waits for a request while it makes progress: a request that receives nothing for the bound (no response, or no
 * byte of its body, across the pipeline's retries) is cancelled, which closes its connection, and fails with an
 * {@link UncheckedIOException} wrapping a {@link SocketTimeoutException} whose message says so. A frozen service is
 * detected within the bound instead of after the HTTP client's timeouts and every retry.
 */
final class NoProgress {
    private NoProgress() {
    }

    /**
     * The request's result, waited for while it progresses.
     *
     * @param bound the longest the request may go without progress
     * @param lastProgress {@link System#nanoTime()} of the request's last progress (its start, or its last byte)
     * @param what what was waited for, for the message, e.g. {@code "Reading blob 'c/b'"}
     */
    static <T> T await(Mono<T> request, Duration bound, LongSupplier lastProgress, String what) {
        CompletableFuture<T> result = request.toFuture();
        long boundNanos = bound.toNanos();
        try {
            while (true) {
                long idle = System.nanoTime() - lastProgress.getAsLong();
                if (idle >= boundNanos) {
                    result.cancel(true); // disposes the subscription: the connection is closed
                    throw stalled(bound, what);
                }
                try {
                    return result.get(boundNanos - idle, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // progress may have been made meanwhile: look again
                }
            }
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " was interrupted", e);
        } catch (CancellationException e) {
            throw new IllegalStateException(what + " was cancelled", e);
        } catch (ExecutionException e) {
            throw Transfers.rethrow(e.getCause());
        }
    }

    /** The failure of a request that made no progress for {@code bound}. */
    static UncheckedIOException stalled(Duration bound, String what) {
        String message = what + ": no data from the storage service for " + describe(bound) + ", so it was stopped "
            + "(the service or the network is stalled). Try again later, or allow longer: setNoProgressTimeout of the "
            + "download options (default " + describe(EncryptedBlobDownloadToFileOptions.DEFAULT_NO_PROGRESS_TIMEOUT)
            + ").";
        return new UncheckedIOException(message, new SocketTimeoutException(message));
    }

    static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
