package dev.cse4j.blob;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.implementation.EncryptionSettings;
import dev.cse4j.core.implementation.Envelope;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.KnownAnswerVector;
import dev.cse4j.testing.TestData;
import dev.cse4j.testing.Vectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every range edge through every read path (memory, parallel stream, input stream, file), for protocol 2.1 with
 * 16-byte regions and for 1.0 (block and page blobs): inside one region or block, across, ending exactly on a
 * boundary, past the end, the last byte, starting at or past the end, and empty blobs in both stored forms.
 */
@ExtendWith(AzuriteExtension.class)
class RangeEdgeTest {
    private static BlobContainerClient container;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(Azurite azurite) {
        container = Fixtures.container(azurite, "ranges");
    }

    /** Edges plus the ranges that leave the blob: past the end, at the end, beyond it, empty. */
    static List<BlobRange> allRanges(long n, long unit) {
        List<BlobRange> ranges = new ArrayList<>(Ranges.edges(n, unit));
        ranges.add(new BlobRange(0));
        ranges.add(new BlobRange(Math.max(0, n - 3), 1000L));
        ranges.add(new BlobRange(n));
        ranges.add(new BlobRange(n, 5L));
        ranges.add(new BlobRange(n + 40, 5L));
        ranges.add(new BlobRange(0, 0L));
        return ranges;
    }

    /** Client whose chunks hold 2 units and run 3 at a time, so ranges span parallel chunks. */
    private static EncryptedBlobClient reader(String name, long unit) {
        return Fixtures.builder(container, name, Fixtures.options().allowUnauthenticatedV1Reads(true))
            .parallelTransferOptions(new ParallelTransferOptions().setBlockSizeLong(2 * unit).setMaxConcurrency(3))
            .buildEncryptedBlobClient();
    }

    private void assertAllPaths(EncryptedBlobClient client, byte[] data, long unit) throws Exception {
        int file = 0;
        for (BlobRange range : allRanges(data.length, unit)) {
            byte[] expected = Ranges.slice(data, range);
            assertThat(client.downloadContentWithResponse(range, null, null, Context.NONE).getValue().toBytes())
                .as("memory %s", range).isEqualTo(expected);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            client.downloadStreamWithResponse(out, range, null, null, Context.NONE);
            assertThat(out.toByteArray()).as("stream %s", range).isEqualTo(expected);
            try (InputStream in = client.openInputStream(range)) {
                assertThat(in.readAllBytes()).as("input stream %s", range).isEqualTo(expected);
            }
            Path path = dir.resolve("range-" + file++ + "-" + java.util.UUID.randomUUID());
            client.downloadToFileWithResponse(new EncryptedBlobDownloadToFileOptions(path.toString()).setRange(range),
                null, Context.NONE);
            assertThat(Files.readAllBytes(path)).as("file %s", range).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, 15, 16, 17, 32, 83})
    void v21_everyRangeEdge_everyReadPath(int size) throws Exception {
        byte[] data = TestData.random(size, size + 7);
        Fixtures.encrypted21(container, "v21-" + size).upload(BinaryData.fromBytes(data));
        assertAllPaths(reader("v21-" + size, 16), data, 16);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 16, 17, 83})
    void v1_everyRangeEdge_everyReadPath(int size) throws Exception {
        byte[] data = TestData.random(size, size + 8);
        EncryptionSettings settings = EncryptionSettings.of(Fixtures.options().build());
        Envelope envelope = Envelope.sealLegacyV1(settings, EncryptionData.FULL_BLOB);
        byte[] stored = envelope.cbc().encryptLegacy(data);
        String name = "v1-" + size;
        container.getBlobClient(name).getBlockBlobClient().uploadWithResponse(new BlockBlobSimpleUploadOptions(
            BinaryData.fromBytes(stored)).setMetadata(Map.of("encryptiondata", envelope.data().toJsonString())),
            null, Context.NONE);
        assertAllPaths(reader(name, 16), data, 16);
    }

    @Test
    void v1PageBlob_isReadWithoutPadding() throws Exception {
        byte[] data = TestData.random(512, 5);
        EncryptionSettings settings = EncryptionSettings.of(Fixtures.options().build());
        Envelope envelope = Envelope.sealLegacyV1(settings, EncryptionData.FULL_BLOB);
        Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, envelope.key().secretKey(),
            new IvParameterSpec(envelope.data().contentEncryptionIv()));
        byte[] stored = cipher.doFinal(data);
        var page = container.getBlobClient("v1-page").getPageBlobClient();
        page.create(stored.length);
        page.uploadPages(new com.azure.storage.blob.models.PageRange().setStart(0).setEnd(stored.length - 1),
            new ByteArrayInputStream(stored));
        page.setMetadata(Map.of("encryptiondata", envelope.data().toJsonString()));

        EncryptedBlobClient client = reader("v1-page", 16);
        assertThat(client.getProperties().getPlaintextSize()).isEqualTo(512);
        assertAllPaths(client, data, 16);
    }

    @Test
    void emptyBlob_bothStoredForms_readAsEmpty() throws Exception {
        KnownAnswerVector java = Vectors.load(Vectors.JAVA_SDK, "v2-empty");
        container.getBlobClient("empty-java").getBlockBlobClient().uploadWithResponse(
            new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(java.rawBytes())).setMetadata(java.metadata()),
            null, Context.NONE);
        assertThat(java.rawBytes()).hasSize(28);
        Fixtures.encrypted(container, "empty-ours").upload(BinaryData.fromBytes(new byte[0]));
        assertThat(container.getBlobClient("empty-ours").getProperties().getBlobSize()).isZero();

        for (String name : List.of("empty-java", "empty-ours")) {
            EncryptedBlobClient client = reader(name, 16);
            assertThat(client.getProperties().getPlaintextSize()).as(name).isZero();
            assertAllPaths(client, new byte[0], 16);
        }
    }
}
