package dev.cse4j.blob;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.FaultProxy;
import dev.cse4j.testing.FaultRule;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A frozen service is detected within the download's no-progress bound (setNoProgressTimeout, default 60 s),
 * however long the HTTP client's own timeouts and the retries would wait: the read fails with a message saying so,
 * and nothing is left behind; for both clients ({@link Api}: the asynchronous one watches with a timer, no thread
 * waits). The service is frozen by a fault proxy holding a request back or stalling a response mid-body.
 */
@ExtendWith(AzuriteExtension.class)
class NoProgressTest {
    private static final Duration BOUND = Duration.ofSeconds(1);
    private static final byte[] DATA = TestData.random(300_000, 71);
    private static Azurite azurite;
    private FaultProxy proxy;
    private EncryptedBlobClientBuilder builder;

    @TempDir
    Path dir;

    @BeforeAll
    static void upload(Azurite service) {
        azurite = service;
        Fixtures.builder(Fixtures.service(azurite).createBlobContainerIfNotExists("frozen"), "blob")
            .buildEncryptedBlobClient().upload(BinaryData.fromBytes(DATA), true);
    }

    @BeforeEach
    void throughProxy() {
        proxy = FaultProxy.start(azurite.blobPort());
        // the SDK's own retries and timeouts would wait for minutes: the bound must not depend on them
        RequestRetryOptions patient = new RequestRetryOptions(RetryPolicyType.FIXED, 5, Duration.ofSeconds(60),
            null, null, null);
        builder = Fixtures.builder(new BlobServiceClientBuilder().connectionString(azurite.connectionStringThrough(
            proxy)).retryOptions(patient).buildClient().getBlobContainerClient("frozen"), "blob");
    }

    /** Downloads to a file with the client of {@code api}, waiting for the asynchronous one. */
    private void downloadToFile(Api api, EncryptedBlobDownloadToFileOptions options) {
        if (api == Api.SYNC) {
            builder.buildEncryptedBlobClient().downloadToFileWithResponse(options, null, Context.NONE);
        } else {
            builder.buildEncryptedBlobAsyncClient().downloadToFileWithResponse(options).block(Api.TIMEOUT);
        }
    }

    /** Downloads into {@code out} (the asynchronous client: its {@code Flux}, written as it arrives). */
    private void downloadStream(Api api, ByteArrayOutputStream out, EncryptedBlobDownloadStreamOptions options) {
        if (api == Api.SYNC) {
            builder.buildEncryptedBlobClient().downloadStreamWithResponse(out, options, null, Context.NONE);
        } else {
            builder.buildEncryptedBlobAsyncClient().downloadStreamWithResponse(options)
                .flatMapMany(response -> response.getValue())
                .doOnNext(buffer -> {
                    byte[] bytes = new byte[buffer.remaining()];
                    buffer.get(bytes);
                    out.writeBytes(bytes);
                }).blockLast(Api.TIMEOUT);
        }
    }

    @AfterEach
    void close() {
        proxy.close();
    }

    private static void assertStalled(Throwable failure) {
        assertThat(failure).isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(SocketTimeoutException.class)
            .hasMessageContaining("Blob 'frozen/blob'").hasMessageContaining("no data from the storage service for 1 s")
            .hasMessageContaining("setNoProgressTimeout");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void responseNeverComes_downloadToFileFailsWithinTheBound_andLeavesNoFile(Api api) {
        proxy.add(FaultRule.requests().method("GET").stall());

        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> downloadToFile(api,
            new EncryptedBlobDownloadToFileOptions(dir.resolve("out.bin").toString()).setNoProgressTimeout(BOUND)));

        assertStalled(failure);
        try (Stream<Path> files = java.nio.file.Files.list(dir)) {
            assertThat(files).isEmpty();
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void responseStallsMidBody_streamDownloadFailsWithinTheBound(Api api) {
        proxy.add(FaultRule.downstream().afterBytes(100_000).stall());

        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> downloadStream(api,
            new ByteArrayOutputStream(), new EncryptedBlobDownloadStreamOptions().setRange(new BlobRange(0))
                .setNoProgressTimeout(BOUND)));

        assertStalled(failure);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void propertiesRequestNeverAnswered_failsWithinTheBoundToo(Api api) {
        proxy.add(FaultRule.requests().method("HEAD").stall());

        assertStalled(org.assertj.core.api.Assertions.catchThrowable(() -> downloadToFile(api,
            new EncryptedBlobDownloadToFileOptions(dir.resolve("out.bin").toString()).setNoProgressTimeout(BOUND))));
    }

    /**
     * The synchronous client's timeout bounds the properties request as it bounds every data request of the read
     * (an unchecked exception caused by a TimeoutException), when it is shorter than the no-progress bound; nothing
     * is written.
     */
    @Test
    void propertiesRequestNeverAnswered_syncCallersShorterTimeout_failsWithATimeout_andLeavesNoFile() {
        proxy.add(FaultRule.requests().method("HEAD").stall());

        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> builder.buildEncryptedBlobClient()
            .downloadToFileWithResponse(new EncryptedBlobDownloadToFileOptions(dir.resolve("out.bin").toString())
                .setNoProgressTimeout(Duration.ofSeconds(60)), Duration.ofMillis(500), Context.NONE));

        assertThat(failure).isInstanceOf(RuntimeException.class)
            .hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
        try (Stream<Path> files = java.nio.file.Files.list(dir)) {
            assertThat(files).isEmpty();
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void noProgressTimeout_mustBePositive_andDefaultsTo60Seconds() {
        assertThat(new EncryptedBlobDownloadToFileOptions("f").getNoProgressTimeout())
            .isEqualTo(EncryptedBlobDownloadToFileOptions.DEFAULT_NO_PROGRESS_TIMEOUT)
            .isEqualTo(Duration.ofSeconds(60));
        assertThat(new EncryptedBlobDownloadStreamOptions().getNoProgressTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThatThrownBy(() -> new EncryptedBlobDownloadToFileOptions("f").setNoProgressTimeout(Duration.ZERO))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EncryptedBlobDownloadStreamOptions().setNoProgressTimeout(null))
            .isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void slowButProgressingService_isNotStopped_evenPastTheBoundInTotal(Api api) {
        proxy.add(FaultRule.downstream().afterBytes(1_000).slow(150_000)); // ~2 s in all, bytes keep coming
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        downloadStream(api, out, new EncryptedBlobDownloadStreamOptions().setNoProgressTimeout(BOUND));

        assertThat(out.toByteArray()).isEqualTo(DATA);
    }
}
