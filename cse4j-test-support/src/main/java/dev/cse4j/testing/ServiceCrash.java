package dev.cse4j.testing;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Azurite killed and started again in the middle of an operation: the operation runs on another thread, through a
 * {@link FaultProxy} holding a request back with a {@linkplain FaultRule.Trigger#stall() stall} rule; once the rule
 * has fired (the operation is mid-way, its request on the wire), the server is {@linkplain Azurite#kill() killed}
 * (the held connection is reset), {@linkplain Azurite#startAgain() started again} on the same ports, and the stall
 * released; the operation then fails or goes on (its retries reach the new server). Give the server a
 * {@linkplain AzuriteOptions#withPersistenceDirectory persistence directory}, or the new one starts empty.
 * <pre>{@code
 * ServiceCrash.Result<Void> crash = ServiceCrash.during(azurite, proxy,
 *     FaultRule.requests().method("PUT").targetMatching("comp=blocklist").stall(), () -> { upload(); return null; });
 * azurite = crash.restarted(); // close it when done
 * }</pre>
 */
public final class ServiceCrash {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private ServiceCrash() {
    }

    /**
     * What happened.
     *
     * @param restarted the new server, on the old one's ports
     * @param value what the operation returned, or {@code null}
     * @param failure what it threw, or {@code null}
     * @param midway whether the stall fired, i.e. the server was killed while the request was held (otherwise
     *     after the operation ended)
     */
    public record Result<T>(Azurite restarted, T value, RuntimeException failure, boolean midway) {
    }

    /**
     * Runs {@code operation}, killing and restarting {@code azurite} once {@code stall} fires (or after the
     * operation, if it never does).
     *
     * @param stall a stall rule, not yet added; it is added to {@code proxy}, and the proxy cleared afterwards
     */
    public static <T> Result<T> during(Azurite azurite, FaultProxy proxy, FaultRule stall, Supplier<T> operation) {
        proxy.add(stall);
        CompletableFuture<T> running = CompletableFuture.supplyAsync(operation, runnable -> {
            Thread thread = new Thread(runnable, "cse4j-service-crash-operation");
            thread.setDaemon(true);
            thread.start();
        });
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (stall.firings() == 0 && !running.isDone() && System.nanoTime() < deadline) {
            sleep(5);
        }
        boolean midway = stall.firings() > 0;
        azurite.kill();
        Azurite restarted = azurite.startAgain();
        proxy.clear();
        try {
            return new Result<>(restarted, running.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), null, midway);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                return new Result<>(restarted, null, failure, midway);
            }
            throw new IllegalStateException("The operation failed with " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("The operation did not end within " + TIMEOUT + " of the restart", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the operation", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the stall", e);
        }
    }
}
