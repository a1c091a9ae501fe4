package dev.cse4j.blob;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.specialized.cryptography.EncryptionVersion;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.IntegrityRecord;
import dev.cse4j.core.implementation.ContentKey;
import dev.cse4j.core.implementation.EncryptionSettings;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The integrity record around the data: every upload path writes it (one Put Blob, staged blocks, the spool file,
 * streams of unknown length, files); snapshots and copies keep it; re-wrapping the content key with another key
 * encryption key (rotation) leaves it valid; blobs of Microsoft's SDK have none and are read unless the client
 * requires records.
 */
@ExtendWith(AzuriteExtension.class)
class IntegrityRecordBlobTest {
    private static BlobContainerClient container;
    private static Azurite azurite;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(Azurite server) {
        azurite = server;
        container = Fixtures.container(server, "record");
    }

    private static EncryptedBlobClient strict(String name) {
        return Fixtures.builder(container, name, Fixtures.options().requireIntegrityRecord(true))
            .buildEncryptedBlobClient();
    }

    private static String record(String name) {
        return container.getBlobClient(name).getProperties().getMetadata().get("cse4jintegrity");
    }

    /** Block size 4 MiB, 2 in flight, one Put Blob up to 9 MiB: 3 MiB fits the pool, 9 MiB spools, 20 MiB stages. */
    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 3 << 20, 9 << 20, 20 << 20})
    void everyUploadPath_writesAVerifiableRecord(int size) throws Exception {
        byte[] data = TestData.random(size, size);
        EncryptedBlobClient writer = Fixtures.builder(container, "paths-" + size).parallelTransferOptions(
            new ParallelTransferOptions().setMaxConcurrency(2).setMaxSingleUploadSizeLong(9L << 20))
            .buildEncryptedBlobClient();
        writer.upload(new ByteArrayInputStream(data), size, true);
        assertThat(strict("paths-" + size).verifyIntegrityRecord().plaintextLength()).isEqualTo(size);

        writer.upload(new ByteArrayInputStream(data), true); // unknown length
        assertThat(strict("paths-" + size).verifyIntegrityRecord().plaintextLength()).isEqualTo(size);

        Path file = dir.resolve("in.bin");
        Files.write(file, data);
        writer.uploadFromFile(file.toString(), true);
        IntegrityRecord record = strict("paths-" + size).verifyIntegrityRecord();
        assertThat(record.plaintextLength()).isEqualTo(size);
        assertThat(record.protocol()).isEqualTo(EncryptionProtocol.V2_0);
        assertThat(record.regionDataLength()).isEqualTo(4 << 20);
        assertThat(strict("paths-" + size).downloadContent().toBytes()).isEqualTo(data);
    }

    @Test
    void snapshotsAndCopies_keepTheRecord() {
        byte[] data = TestData.random(500, 1);
        EncryptedBlobClient source = strict("source");
        source.upload(BinaryData.fromBytes(data));
        String record = record("source");

        EncryptedBlobClient snapshot = source.createSnapshot();
        EncryptedBlobClient relabelled = source.createSnapshotWithResponse(Map.of("label", "v1"), null, null,
            Context.NONE).getValue();
        strict("copy-async").beginCopy(source.getBlobUrl(), Duration.ofMillis(50))
            .waitForCompletion(Duration.ofSeconds(30));
        strict("copy-sync").copyFromUrl(source.getBlobUrl());
        source.setMetadata(Map.of("after", "copies"));

        for (EncryptedBlobClient client : new EncryptedBlobClient[] {snapshot, relabelled, strict("copy-async"),
            strict("copy-sync"), source}) {
            assertThat(client.verifyIntegrityRecord().plaintextLength()).as(client.toString()).isEqualTo(500);
            assertThat(client.downloadContent().toBytes()).isEqualTo(data);
        }
        assertThat(record("copy-sync")).isEqualTo(record).isEqualTo(record("source"));
    }

    /** What key rotation does (issue 11): the same content key, wrapped by another key encryption key. */
    @Test
    void contentKeyRewrappedWithAnotherKek_keepsTheRecordValid() {
        byte[] data = TestData.random(300, 2);
        strict("rotated").upload(BinaryData.fromBytes(data));
        Map<String, String> metadata = new HashMap<>(container.getBlobClient("rotated").getProperties()
            .getMetadata());
        EncryptionData before = EncryptionData.parse(metadata.get("encryptiondata"));
        ContentKey key = EncryptionSettings.of(Fixtures.options().build()).contentKeys().unwrap(before);
        ClientSideEncryptionOptions newKek = ClientSideEncryptionOptions.builder()
            .key(Fixtures.otherKek("kek-2026"), "A256KW").requireIntegrityRecord(true).build();
        EncryptionData after = before.withWrappedContentKey(EncryptionSettings.of(newKek).contentKeys()
            .wrap(key, before.protocol()));
        metadata.put("encryptiondata", after.toJsonString());
        container.getBlobClient("rotated").setMetadata(metadata);

        EncryptedBlobClient reader = new EncryptedBlobClientBuilder().blobClient(container.getBlobClient("rotated"))
            .clientSideEncryptionOptions(newKek).buildEncryptedBlobClient();
        assertThat(record("rotated")).isEqualTo(metadata.get("cse4jintegrity"));
        assertThat(reader.verifyIntegrityRecord().plaintextLength()).isEqualTo(300);
        assertThat(reader.downloadContent().toBytes()).isEqualTo(data);
    }

    @Test
    void microsoftsBlobs_haveNoRecord_andAreReadUnlessRecordsAreRequired() {
        byte[] data = TestData.random(100, 3);
        new com.azure.storage.blob.specialized.cryptography.EncryptedBlobClientBuilder(EncryptionVersion.V2)
            .blobClient(container.getBlobClient("microsoft")).key(Fixtures.kek().asAsync(), "A256KW")
            .buildEncryptedBlobClient().upload(BinaryData.fromBytes(data));

        assertThat(Fixtures.encrypted(container, "microsoft").verifyIntegrityRecord()).isNull();
        assertThat(Fixtures.encrypted(container, "microsoft").downloadContent().toBytes()).isEqualTo(data);
        assertThatThrownBy(() -> strict("microsoft").downloadContent()).isInstanceOf(EncryptionPolicyException.class)
            .hasMessageContaining("no integrity record");
        assertThatThrownBy(() -> strict("microsoft").openSeekableByteChannelRead())
            .isInstanceOf(EncryptionPolicyException.class);
    }

    @Test
    void requiringRecords_doesNotConcernUnencryptedOrLegacyBlobs() {
        container.getBlobClient("plain").upload(BinaryData.fromString("plain"));
        EncryptedBlobClient plainAllowed = Fixtures.builder(container, "plain", Fixtures.options()
            .requireEncryption(false).requireIntegrityRecord(true)).buildEncryptedBlobClient();
        assertThat(plainAllowed.downloadContent().toString()).isEqualTo("plain");
        assertThat(plainAllowed.verifyIntegrityRecord()).isNull();
        assertThatThrownBy(() -> strict("plain").verifyIntegrityRecord())
            .isInstanceOf(EncryptionPolicyException.class).hasMessageContaining("not encrypted");
    }
}
