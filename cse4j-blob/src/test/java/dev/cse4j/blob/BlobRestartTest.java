package dev.cse4j.blob;

import com.azure.core.exception.AzureException;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import dev.cse4j.core.ClientSideEncryptionException;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteOptions;
import dev.cse4j.testing.FaultMatrix;
import dev.cse4j.testing.FaultProxy;
import dev.cse4j.testing.FaultRule;
import dev.cse4j.testing.ServiceCrash;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Azurite killed (SIGKILL) and started again on the same ports in the middle of an upload (while it stages a block,
 * or while it commits) or of a download (mid-body) (issue 14, fault injection). Azurite keeps its data on disk here
 * (a temporary folder), and the blobs the tests start from were written before a graceful restart, so the crash
 * cannot lose them (Azurite saves its metadata every 5 s and when stopped; a crash loses the last seconds). The
 * client retries for about 6 s, long enough to reach the restarted server. Outcomes as without a crash: the blob
 * is the old version or the new one whole (downloaded and decrypted), never mismatched; a download returns the
 * plaintext byte-exact or fails typed leaving the target file as it was and no other file.
 * <p>Tag {@code large} ({@code -Dgroups=large}, README "Tests"): each case kills and restarts a Node.js server and
 * waits out retries and visibility timeouts; the fault-proxy tests cut the same operations in the default suite.
 */
@Tag("large")
class BlobRestartTest {
    private static final byte[] OLD = TestData.random(20_000, 501);
    private static final byte[] NEW = TestData.random(20_000, 502);
    private static final byte[] PREVIOUS = "the file before the download".getBytes(StandardCharsets.US_ASCII);
    private static final FaultMatrix MATRIX = new FaultMatrix("blob, Azurite killed and restarted",
        AzureException.class, UncheckedIOException.class, ClientSideEncryptionException.class);

    @TempDir
    static Path data;
    @TempDir
    Path dir;

    private static Azurite azurite;
    private static String container;
    private FaultProxy proxy;

    @BeforeAll
    static void start() {
        azurite = Azurite.start(AzuriteOptions.defaults().withPersistenceDirectory(data));
        BlobContainerClient direct = Fixtures.container(azurite, "restart");
        container = direct.getBlobContainerName();
        for (String name : new String[] {"commit", "stage", "download"}) {
            upload(client(direct, name), OLD, "old");
        }
        azurite.close(); // saves everything
        azurite = azurite.startAgain();
    }

    @AfterAll
    static void stop() {
        azurite.close();
        MATRIX.print();
    }

    @BeforeEach
    void startProxy() {
        proxy = FaultProxy.start(azurite.blobPort());
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    private static EncryptedBlobClient client(BlobContainerClient container, String name) {
        return Fixtures.builder(container, name, Fixtures.options().blobProtocol(EncryptionProtocol.V2_1)
            .blobRegionLength(1024)).buildEncryptedBlobClient();
    }

    /** The blob's client through the proxy, retrying for about 6 s. */
    private EncryptedBlobClient throughProxy(String name) {
        return client(new BlobServiceClientBuilder().connectionString(azurite.connectionStringThrough(proxy))
            .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 7, Duration.ofSeconds(30),
                Duration.ofSeconds(1), Duration.ofSeconds(1), null)).buildClient()
            .getBlobContainerClient(container), name);
    }

    /** Uploads in staged 4 KiB blocks, two at a time, with {@code generation} in the metadata. */
    private static void upload(EncryptedBlobClient client, byte[] data, String generation) {
        client.uploadWithResponse(new EncryptedBlobUploadOptions(BinaryData.fromBytes(data))
            .setMetadata(Map.of("generation", generation))
            .setParallelTransferOptions(new ParallelTransferOptions().setBlockSizeLong(4096L).setMaxConcurrency(2)
                .setMaxSingleUploadSizeLong(1L)), null, Context.NONE);
    }

    @Test
    void killedWhileCommitting_theBlobIsTheOldVersionOrTheNewOneWhole() {
        uploadAcrossACrash("commit", FaultRule.requests().method("PUT").targetMatching("comp=blocklist").stall());
    }

    @Test
    void killedWhileStaging_theBlobIsTheOldVersionOrTheNewOneWhole() {
        uploadAcrossACrash("stage", FaultRule.requests().method("PUT").targetMatching("comp=block&").skip(2)
            .stall());
    }

    private void uploadAcrossACrash(String name, FaultRule stall) {
        EncryptedBlobClient client = throughProxy(name);
        ServiceCrash.Result<Void> crash = ServiceCrash.during(azurite, proxy, stall, () -> {
            upload(client, NEW, "new");
            return null;
        });
        azurite = crash.restarted();

        assertThat(crash.midway()).as("the crash came while %s was held (the operation ended with %s)",
            stall, crash.failure()).isTrue();
        BlobContainerClient direct = Fixtures.service(azurite).getBlobContainerClient(container);
        String generation = direct.getBlobClient(name).getProperties().getMetadata().get("generation");
        byte[] stored = client(direct, name).downloadContent().toBytes();
        assertThat(stored).as("the %s version, decrypted", generation).isEqualTo("new".equals(generation) ? NEW : OLD);
        if (crash.failure() == null) {
            assertThat(generation).as("after the upload succeeded").isEqualTo("new");
        } else {
            MATRIX.assertTyped(crash.failure(), "upload across the restart");
        }
        MATRIX.count("upload, " + name, (crash.failure() == null ? "retried ok" : "typed error") + ", "
            + ("new".equals(generation) ? "committed whole" : "unchanged"));
    }

    @Test
    void killedMidDownload_theFileIsByteExactOrUntouched() throws IOException {
        Path target = Files.write(dir.resolve("target.bin"), PREVIOUS);
        EncryptedBlobClient client = throughProxy("download");

        ServiceCrash.Result<Void> crash = ServiceCrash.during(azurite, proxy,
            FaultRule.downstream().afterBytes(OLD.length / 2).stall(), () -> {
                client.downloadToFileWithResponse(new EncryptedBlobDownloadToFileOptions(target.toString())
                    .setOverwrite(true), null, Context.NONE);
                return null;
            });
        azurite = crash.restarted();

        assertThat(crash.midway()).as("the crash came mid-body (the operation ended with %s)",
            crash.failure()).isTrue();
        if (crash.failure() == null) {
            assertThat(Files.readAllBytes(target)).isEqualTo(OLD);
        } else {
            MATRIX.assertTyped(crash.failure(), "download across the restart");
            assertThat(Files.readAllBytes(target)).isEqualTo(PREVIOUS);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no transient file left").containsExactly(target);
        }
        MATRIX.count("download to file", crash.failure() == null ? "retried ok, byte-exact"
            : "typed error, nothing left behind");
    }
}
