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
import dev.cse4j.core.EncryptionProtocol;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every range edge through every read path of both clients (synchronous: memory, parallel stream, input stream,
 * file; asynchronous: memory, {@code Flux}, {@code Flux} one buffer at a time, file), for protocol 2.1 with 16-byte
 * regions and for 1.0 (block and page blobs): inside one region or block, across, ending exactly on a boundary, past
 * the end, the last byte, starting at or past the end, and empty blobs in both stored forms.
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
    private static Api.TestBlob reader(Api api, String name, long unit) {
        return api.build(Fixtures.builder(container, name, Fixtures.options().allowUnauthenticatedV1Reads(true))
            .parallelTransferOptions(new ParallelTransferOptions().setBlockSizeLong(2 * unit).setMaxConcurrency(3)));
    }

    private void assertAllPaths(Api.TestBlob client, byte[] data, long unit) throws Exception {
        for (BlobRange range : allRanges(data.length, unit)) {
            byte[] expected = Ranges.slice(data, range);
            for (Api.ReadPath path : client.readPaths()) {
                assertThat(path.read(range, dir)).as("%s %s", path, range).isEqualTo(expected);
            }
        }
    }

    static Stream<Arguments> v21Sizes() {
        return sizes(1, 15, 16, 17, 32, 83);
    }

    static Stream<Arguments> v1Sizes() {
        return sizes(0, 1, 16, 17, 83);
    }

    private static Stream<Arguments> sizes(int... sizes) {
        return Arrays.stream(Api.values()).flatMap(api -> IntStream.of(sizes).mapToObj(n -> Arguments.of(api, n)));
    }

    @ParameterizedTest(name = "{0} {1} bytes")
    @MethodSource("v21Sizes")
    void v21_everyRangeEdge_everyReadPath(Api api, int size) throws Exception {
        byte[] data = TestData.random(size, size + 7);
        String name = "v21-" + api + "-" + size;
        api.build(Fixtures.builder(container, name, Fixtures.options().blobProtocol(EncryptionProtocol.V2_1)
            .blobRegionLength(16))).upload(BinaryData.fromBytes(data));
        assertAllPaths(reader(api, name, 16), data, 16);
    }

    @ParameterizedTest(name = "{0} {1} bytes")
    @MethodSource("v1Sizes")
    void v1_everyRangeEdge_everyReadPath(Api api, int size) throws Exception {
        byte[] data = TestData.random(size, size + 8);
        EncryptionSettings settings = EncryptionSettings.of(Fixtures.options().build());
        Envelope envelope = Envelope.sealLegacyV1(settings, EncryptionData.FULL_BLOB);
        byte[] stored = envelope.cbc().encryptLegacy(data);
        String name = "v1-" + api + "-" + size;
        container.getBlobClient(name).getBlockBlobClient().uploadWithResponse(new BlockBlobSimpleUploadOptions(
            BinaryData.fromBytes(stored)).setMetadata(Map.of("encryptiondata", envelope.data().toJsonString())),
            null, Context.NONE);
        assertAllPaths(reader(api, name, 16), data, 16);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void v1PageBlob_isReadWithoutPadding(Api api) throws Exception {
        byte[] data = TestData.random(512, 5);
        EncryptionSettings settings = EncryptionSettings.of(Fixtures.options().build());
        Envelope envelope = Envelope.sealLegacyV1(settings, EncryptionData.FULL_BLOB);
        Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, envelope.key().secretKey(),
            new IvParameterSpec(envelope.data().contentEncryptionIv()));
        byte[] stored = cipher.doFinal(data);
        String name = "v1-page-" + api;
        var page = container.getBlobClient(name).getPageBlobClient();
        page.create(stored.length);
        page.uploadPages(new com.azure.storage.blob.models.PageRange().setStart(0).setEnd(stored.length - 1),
            new ByteArrayInputStream(stored));
        page.setMetadata(Map.of("encryptiondata", envelope.data().toJsonString()));

        Api.TestBlob client = reader(api, name, 16);
        assertThat(client.getProperties().getPlaintextSize()).isEqualTo(512);
        assertAllPaths(client, data, 16);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void emptyBlob_bothStoredForms_readAsEmpty(Api api) throws Exception {
        KnownAnswerVector java = Vectors.load(Vectors.JAVA_SDK, "v2-empty");
        container.getBlobClient("empty-java-" + api).getBlockBlobClient().uploadWithResponse(
            new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(java.rawBytes())).setMetadata(java.metadata()),
            null, Context.NONE);
        assertThat(java.rawBytes()).hasSize(28);
        api.build(Fixtures.builder(container, "empty-ours-" + api)).upload(BinaryData.fromBytes(new byte[0]));
        assertThat(container.getBlobClient("empty-ours-" + api).getProperties().getBlobSize()).isZero();

        for (String name : List.of("empty-java-" + api, "empty-ours-" + api)) {
            Api.TestBlob client = reader(api, name, 16);
            assertThat(client.getProperties().getPlaintextSize()).as(name).isZero();
            assertAllPaths(client, new byte[0], 16);
        }
    }
}
