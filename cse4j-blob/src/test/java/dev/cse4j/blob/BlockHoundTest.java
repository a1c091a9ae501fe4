package dev.cse4j.blob;

import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * BlockHound is installed for this module's tests ({@link dev.cse4j.testing.BlockHoundInstaller}) and watches the threads the
 * asynchronous clients run on: a blocking call on a Reactor parallel worker or on the HTTP client's event loop fails.
 * Without this, "no BlockHound error" would prove nothing.
 */
@ExtendWith(AzuriteExtension.class)
class BlockHoundTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void sleepingOnAParallelWorker_fails() {
        assertThatThrownBy(() -> Mono.fromCallable(() -> {
            Thread.sleep(1);
            return 1;
        }).subscribeOn(Schedulers.parallel()).block(TIMEOUT)).hasCauseInstanceOf(BlockingOperationError.class);
    }

    @Test
    void sleepingOnTheHttpClientsEventLoop_fails(Azurite azurite) {
        BlobContainerAsyncClient container = new BlobServiceClientBuilder().connectionString(
            azurite.connectionString()).buildAsyncClient().getBlobContainerAsyncClient("blockhound");
        assertThatThrownBy(() -> container.exists().map(exists -> {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return exists;
        }).block(TIMEOUT)).hasCauseInstanceOf(BlockingOperationError.class);
    }
}
