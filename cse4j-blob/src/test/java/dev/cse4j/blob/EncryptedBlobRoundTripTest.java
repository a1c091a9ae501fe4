package dev.cse4j.blob;

import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.models.ParallelTransferOptions;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.HoldingGcmProvider;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(AzuriteExtension.class)
class EncryptedBlobRoundTripTest {
    private static BlobContainerClient container;
    private static Azurite azurite;

    @BeforeAll
    static void setUp(Azurite service) {
        azurite = service;
        container = Fixtures.container(azurite, "roundtrip");
    }

    /**
     * The synchronous client's read passes the caller's {@link Context} to every request it makes: the properties
     * request and each range request (a policy of the pipeline records what each saw).
     */
    @Test
    void downloadStream_syncClient_callersContextReachesThePropertiesAndEveryRangeRequest() {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        HttpPipelinePolicy recorder = (call, next) -> {
            seen.add(call.getHttpRequest().getHttpMethod() + " " + call.getData("cse4j-probe").orElse("none"));
            return next.process();
        };
        BlobContainerClient recorded = new BlobServiceClientBuilder().connectionString(azurite.connectionString())
            .addPolicy(recorder).buildClient().getBlobContainerClient(container.getBlobContainerName());
        EncryptedBlobClient client = Fixtures.builder(recorded, "context").buildEncryptedBlobClient();
        byte[] data = TestData.random(9 * 1024 * 1024 + 7, 17);
        client.upload(BinaryData.fromBytes(data), true);
        seen.clear();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        client.downloadStreamWithResponse(out, new EncryptedBlobDownloadStreamOptions(), null,
            new Context("cse4j-probe", "caller's"));

        assertThat(out.toByteArray()).isEqualTo(data);
        assertThat(seen).contains("HEAD caller's").filteredOn(request -> request.startsWith("GET")).hasSize(3);
        assertThat(seen).allMatch(request -> request.endsWith(" caller's"), "every request saw the context");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 16, 17, 31, 32, 33, 100, 1000})
    void upload_thenDownload_v21SmallRegions_returnsSameBytes(int size) {
        EncryptedBlobClient client = Fixtures.encrypted21(container, "rt21-" + size);
        byte[] data = TestData.random(size, size);
        client.upload(BinaryData.fromBytes(data));

        assertThat(client.downloadContent().toBytes()).isEqualTo(data);
        assertThat(container.getBlobClient("rt21-" + size).getProperties().getBlobSize())
            .isEqualTo(size + (long) Math.ceil(size / 16.0) * 28);
        assertThat(client.getProperties().getPlaintextSize()).isEqualTo(size);
    }

    /**
     * Data of known length larger than the blocks in flight is encrypted into a spool file slice by slice, and sent
     * from it as one Put Blob or as staged blocks taking turns in the file's slots: regions smaller than a slice, of
     * a length that is no multiple of 16, and larger than a slice but no multiple of it; blocks of two regions, the
     * last one short; and with a JCA provider that returns the ciphertext only at a region's end, as SunPKCS11 does
     * (then whole regions, larger than a slice here). (That it holds one buffer: {@code EncryptedBlobAsyncClientTest},
     * isolated for the pools' counters.)
     */
    @ParameterizedTest(name = "R={0} putBlob={1} holdingProvider={2}")
    @CsvSource({"16, true, false", "16, false, false", "1000, true, false", "1000, false, false",
        "1500007, true, false", "1500007, false, false", "1500007, true, true", "1500007, false, true"})
    void upload_knownLengthLargerThanTheBlocksInFlight_roundTrips(int regionLength, boolean putBlob,
        boolean holdingProvider) {
        String name = "spooled-" + regionLength + "-" + putBlob + "-" + holdingProvider;
        ClientSideEncryptionOptions.Builder options = Fixtures.options().blobProtocol(EncryptionProtocol.V2_1)
            .blobRegionLength(regionLength);
        if (holdingProvider) {
            options.cryptoProvider(new HoldingGcmProvider());
        }
        EncryptedBlobClient client = Fixtures.builder(container, name, options).parallelTransferOptions(
                new ParallelTransferOptions().setBlockSizeLong(2L * regionLength).setMaxConcurrency(2)
                    .setMaxSingleUploadSizeLong(putBlob ? 64L << 20 : 1L)).buildEncryptedBlobClient();
        byte[] data = TestData.random(7 * regionLength + 5 + (regionLength < 1000 ? 1000 : 0), regionLength);
        client.upload(new ByteArrayInputStream(data), data.length, true);

        assertThat(client.downloadContent().toBytes()).isEqualTo(data);
        long regions = (data.length + regionLength - 1) / regionLength;
        assertThat(container.getBlobClient(name).getProperties().getBlobSize()).isEqualTo(data.length + regions * 28);
        assertThat(container.getBlobClient(name).getBlockBlobClient().listBlocks(BlockListType.COMMITTED)
            .getCommittedBlocks()).hasSize(putBlob ? 0 : (int) ((regions + 1) / 2));
    }

    @Test
    void upload_multiBlockStream_unknownLength_stagesBlocksAndRoundTrips() throws IOException {
        EncryptedBlobClient client = Fixtures.builder(container, "multiblock", Fixtures.options()
            .blobProtocol(EncryptionProtocol.V2_1).blobRegionLength(1024)).parallelTransferOptions(new ParallelTransferOptions().setBlockSizeLong(10_000L)
                .setMaxConcurrency(3)).buildEncryptedBlobClient();
        byte[] data = TestData.random(100_003, 7);
        client.upload(new ByteArrayInputStream(data));

        assertThat(container.getBlobClient("multiblock").getBlockBlobClient().listBlocks(
            com.azure.storage.blob.models.BlockListType.COMMITTED).getCommittedBlocks()).hasSize(11);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        client.downloadStream(out);
        assertThat(out.toByteArray()).isEqualTo(data);
        try (InputStream in = client.openInputStream(new BlobRange(5000, 20_000L))) {
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 5000, 25_000));
        }
    }

    @Test
    void upload_existingBlobWithoutOverwrite_fails() {
        EncryptedBlobClient client = Fixtures.encrypted(container, "no-overwrite");
        client.upload(BinaryData.fromString("first"));
        assertThatThrownBy(() -> client.upload(BinaryData.fromString("second")))
            .isInstanceOf(BlobStorageException.class);
        client.upload(BinaryData.fromString("third"), true);
        assertThat(client.downloadContent().toString()).isEqualTo("third");
    }

    @Test
    void downloadToFile_writesPlaintextAndReportsProgress(@TempDir Path dir) throws IOException {
        EncryptedBlobClient client = Fixtures.builder(container, "to-file", Fixtures.options()
            .blobProtocol(EncryptionProtocol.V2_1).blobRegionLength(4096)).buildEncryptedBlobClient();
        byte[] data = "héllo wörld ✓ ".repeat(5000).getBytes(StandardCharsets.UTF_8);
        client.upload(BinaryData.fromBytes(data));
        AtomicLong progress = new AtomicLong();
        Path file = dir.resolve("out.bin");

        client.downloadToFileWithResponse(new EncryptedBlobDownloadToFileOptions(file.toString())
            .setParallelTransferOptions(new ParallelTransferOptions().setBlockSizeLong(8192L).setMaxConcurrency(4))
            .setProgressListener(progress::set), null, null);

        assertThat(Files.readAllBytes(file)).isEqualTo(data);
        assertThat(progress.get()).isEqualTo(data.length);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }
}
