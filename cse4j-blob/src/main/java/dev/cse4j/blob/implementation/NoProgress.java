package dev.cse4j.blob.implementation;

import dev.cse4j.blob.EncryptedBlobDownloadToFileOptions;
import reactor.core.publisher.Mono;

import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The no-progress bound of a download's requests, for both kinds of client: a request that receives nothing for the
 * bound (no response, or no byte of its body, across the pipeline's retries) is cancelled, which closes its
 * connection, and fails with an {@link UncheckedIOException} wrapping a {@link SocketTimeoutException} whose message
 * says so. A frozen service is detected within the bound instead of after the HTTP client's timeouts and every
 * retry; a slow service that keeps sending is not stopped. The watch is a timer ({@link Mono#delay}), so no thread
 * waits for it.
 */
final class NoProgress {
    private NoProgress() {
    }

    /**
     * {@code request}, failed once it went {@code bound} without progress.
     *
     * @param lastProgress {@link System#nanoTime()} of the request's last progress (its start, or its last byte)
     * @param what what was waited for, for the message, e.g. {@code "Blob 'c/b'"}
     */
    static <T> Mono<T> bound(Mono<T> request, Duration bound, LongSupplier lastProgress, String what) {
        return request.timeout(idle(bound, lastProgress), Mono.error(() -> stalled(bound, what)));
    }

    /**
     * A request answered as a whole (no body to watch, such as Get Properties): failed once it went {@code bound}
     * without an answer.
     */
    static <T> Mono<T> bound(Mono<T> request, Duration bound, String what) {
        return request.timeout(bound, Mono.error(() -> stalled(bound, what)));
    }

    /** Emits once {@code bound} passed since the last progress, looking again whenever progress was made meanwhile. */
    private static Mono<Long> idle(Duration bound, LongSupplier lastProgress) {
        return Mono.defer(() -> {
            long left = bound.toNanos() - (System.nanoTime() - lastProgress.getAsLong());
            return left <= 0 ? Mono.just(0L) : Mono.delay(Duration.ofNanos(left)).then(idle(bound, lastProgress));
        });
    }

    /** The failure of a request that made no progress for {@code bound}. */
    static UncheckedIOException stalled(Duration bound, String what) {
        String message = what + ": no data from the storage service for " + describe(bound) + ", so it was stopped "
            + "(the service or the network is stalled). Try again later, or allow longer: setNoProgressTimeout of the "
            + "download options (default " + describe(EncryptedBlobDownloadToFileOptions.DEFAULT_NO_PROGRESS_TIMEOUT)
            + ").";
        return new UncheckedIOException(message, new SocketTimeoutException(message));
    }

    /** Whether {@code failure} is (or was caused by) a timeout. */
    static boolean timedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
