package dev.cse4j.blob;

import com.azure.core.exception.UnexpectedLengthException;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.blob.specialized.BlobClientBase;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.keys.AesKeyWrapKey;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.CountingKeys;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Everything around the data: properties, metadata and tags, encryptiondata kept by setMetadata, snapshots and
 * copies, one key unwrap per download, one blob version per download, operations that cannot be encrypted.
 */
@ExtendWith(AzuriteExtension.class)
class BlobOperationsTest {
    private static BlobContainerClient container;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(Azurite azurite) {
        container = Fixtures.container(azurite, "operations");
    }

    private static EncryptedBlobClient uploaded(String name, byte[] data) {
        EncryptedBlobClient client = Fixtures.encrypted21(container, name);
        client.upload(BinaryData.fromBytes(data));
        return client;
    }

    private static Map<String, String> rawMetadata(String name) {
        return container.getBlobClient(name).getProperties().getMetadata();
    }

    @Test
    void properties_reportPlaintextAndEncryptedSize() {
        EncryptedBlobClient client = uploaded("props", TestData.random(100, 1));
        EncryptedBlobProperties properties = client.getProperties();

        assertThat(properties.getPlaintextSize()).isEqualTo(100);
        assertThat(properties.getEncryptedSize()).isEqualTo(100 + 7 * 28);
        assertThat(properties.isEncrypted()).isTrue();
        assertThat(properties.getProtocol()).isEqualTo(EncryptionProtocol.V2_1);
        assertThat(properties.getEncryptionData().encryptedRegionInfo().dataLength()).isEqualTo(16);
        assertThat(properties.getBlobProperties().getMetadata()).containsKey("encryptiondata");
    }

    @Test
    void upload_keepsMetadataTagsAndHeadersBesideEncryptionData() {
        EncryptedBlobClient client = Fixtures.encrypted(container, "with-metadata");
        client.uploadWithResponse(new EncryptedBlobUploadOptions(BinaryData.fromString("secret"))
            .setMetadata(Map.of("owner", "team-a")).setTags(Map.of("project", "x"))
            .setHeaders(new BlobHttpHeaders().setContentType("text/plain")), null, Context.NONE);

        assertThat(rawMetadata("with-metadata")).containsEntry("owner", "team-a").containsKey("encryptiondata");
        assertThat(client.getProperties().getMetadata()).containsExactly(Map.entry("owner", "team-a"));
        assertThat(client.getProperties().getContentType()).isEqualTo("text/plain");
        assertThat(client.getTags()).containsEntry("project", "x");
        assertThat(client.downloadContent().toString()).isEqualTo("secret");
    }

    @Test
    void upload_withUserEncryptionDataKeyInAnyCase_isRefusedAndWritesNothing() {
        EncryptedBlobClient client = Fixtures.encrypted(container, "reserved-upload");
        assertThatThrownBy(() -> client.uploadWithResponse(new EncryptedBlobUploadOptions(BinaryData.fromString("x"))
            .setMetadata(Map.of("EncryptionData", "{}")), null, Context.NONE))
            .isInstanceOf(EncryptionPolicyException.class).hasMessageContaining("reserved");
        assertThat(client.exists()).isFalse();
    }

    @Test
    void setMetadata_keepsEncryptionDataAndIntegrityRecord_andRefusesToReplaceThem() {
        byte[] data = TestData.random(40, 2);
        EncryptedBlobClient client = uploaded("set-metadata", data);
        String before = rawMetadata("set-metadata").get("encryptiondata");
        String record = rawMetadata("set-metadata").get("cse4jintegrity");
        assertThat(record).isNotBlank();

        client.setMetadata(Map.of("color", "blue"));
        assertThat(rawMetadata("set-metadata")).containsEntry("color", "blue").containsEntry("encryptiondata", before)
            .containsEntry("cse4jintegrity", record);
        client.setMetadata(Map.of());
        assertThat(rawMetadata("set-metadata")).containsOnlyKeys("encryptiondata", "cse4jintegrity");
        assertThatThrownBy(() -> client.setMetadata(Map.of("ENCRYPTIONDATA", "")))
            .isInstanceOf(EncryptionPolicyException.class);
        assertThatThrownBy(() -> client.setMetadata(Map.of("Cse4jIntegrity", "")))
            .isInstanceOf(EncryptionPolicyException.class);
        assertThat(rawMetadata("set-metadata")).containsEntry("encryptiondata", before)
            .containsEntry("cse4jintegrity", record);
        assertThat(client.verifyIntegrityRecord().plaintextLength()).isEqualTo(40);
        assertThat(client.downloadContent().toBytes()).isEqualTo(data);
    }

    @Test
    void setTags_replacesTagsAndLeavesDataReadable() {
        byte[] data = TestData.random(20, 3);
        EncryptedBlobClient client = uploaded("tags", data);
        client.setTags(Map.of("k", "v"));
        assertThat(client.getTags()).containsExactly(Map.entry("k", "v"));
        assertThat(client.downloadContent().toBytes()).isEqualTo(data);
    }

    @Test
    void snapshots_keepEncryptionData_withAndWithoutNewMetadata() {
        byte[] data = TestData.random(50, 4);
        EncryptedBlobClient client = uploaded("snapshot", data);

        EncryptedBlobClient snapshot = client.createSnapshot();
        EncryptedBlobClient relabelled = client.createSnapshotWithResponse(Map.of("label", "v1"), null, null,
            Context.NONE).getValue();
        client.upload(BinaryData.fromString("newer"), true);

        assertThat(snapshot.getSnapshotId()).isNotNull();
        assertThat(snapshot.downloadContent().toBytes()).isEqualTo(data);
        assertThat(relabelled.downloadContent().toBytes()).isEqualTo(data);
        assertThat(relabelled.getProperties().getMetadata()).containsExactly(Map.entry("label", "v1"));
        assertThat(client.downloadContent().toString()).isEqualTo("newer");
    }

    @Test
    void copies_keepEncryptionData() {
        byte[] data = TestData.random(70, 5);
        EncryptedBlobClient source = uploaded("copy-source", data);

        EncryptedBlobClient copy = Fixtures.encrypted(container, "copy-async");
        copy.beginCopy(source.getBlobUrl(), Duration.ofMillis(50)).waitForCompletion(Duration.ofSeconds(30));
        assertThat(copy.downloadContent().toBytes()).isEqualTo(data);

        EncryptedBlobClient syncCopy = Fixtures.encrypted(container, "copy-sync");
        syncCopy.copyFromUrl(source.getBlobUrl());
        assertThat(syncCopy.downloadContent().toBytes()).isEqualTo(data);
    }

    /**
     * The destination's credential (a SAS for its own container) cannot read the source; the SAS in the source URL
     * can, and is what reads the source's properties before the copy, for both clients.
     */
    @Test
    void copyFromUrl_ofASourceOnlyItsUrlsSasOpens_readsTheSourceWithThatSas(Azurite azurite) {
        byte[] data = TestData.random(70, 6);
        BlobContainerClient sources = Fixtures.container(azurite, "copy-sas-sources");
        EncryptedBlobClient source = Fixtures.encrypted(sources, "source");
        source.upload(BinaryData.fromBytes(data));
        String readSource = sources.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
            new BlobContainerSasPermission().setReadPermission(true)));
        String writeHere = container.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
            new BlobContainerSasPermission().setReadPermission(true).setWritePermission(true)
                .setCreatePermission(true)));
        EncryptedBlobClientBuilder destination = new EncryptedBlobClientBuilder()
            .endpoint(container.getBlobContainerUrl() + "/copy-by-sas?" + writeHere)
            .clientSideEncryptionOptions(Fixtures.options().build());

        destination.buildEncryptedBlobClient().copyFromUrl(source.getBlobUrl() + "?" + readSource);
        assertThat(Fixtures.encrypted(container, "copy-by-sas").downloadContent().toBytes()).isEqualTo(data);
        container.getBlobClient("copy-by-sas").delete();
        destination.buildEncryptedBlobAsyncClient().copyFromUrl(source.getBlobUrl() + "?" + readSource).block();
        assertThat(Fixtures.encrypted(container, "copy-by-sas").downloadContent().toBytes()).isEqualTo(data);
    }

    @Test
    void copyFromUrl_ofASourceUrlThatIsNotAUrl_isRefusedWithoutQuotingItsSas_byBothClients(Azurite azurite) {
        String signature = "c2VjcmV0U2lnbmF0dXJl";
        String noProtocol = container.getBlobClient("source").getBlobUrl().replaceFirst("^https?://", "")
            + "?sv=2021-08-06&sr=c&sp=r&sig=" + signature;
        EncryptedBlobClient copy = Fixtures.encrypted(container, "copy-of-no-url");

        for (Throwable refused : List.of(catchThrowable(() -> copy.copyFromUrl(noProtocol)),
            catchThrowable(() -> copy.beginCopy(noProtocol, null)),
            catchThrowable(() -> new EncryptedBlobClientBuilder().connectionString(azurite.connectionString())
                .containerName(container.getBlobContainerName()).blobName("copy-of-no-url")
                .clientSideEncryptionOptions(Fixtures.options().build()).buildEncryptedBlobAsyncClient()
                .copyFromUrl(noProtocol).block()))) {
            assertThat(refused).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("The copy source URL is not valid").hasNoCause();
            assertThat(refused.toString()).doesNotContain(signature);
        }
        assertThat(copy.exists()).isFalse();
    }

    @Test
    void copy_ofUnencryptedSource_isRefusedWhenEncryptionIsRequired() {
        container.getBlobClient("plain-source").upload(BinaryData.fromString("plaintext"));
        EncryptedBlobClient copy = Fixtures.encrypted(container, "copy-of-plain");
        assertThatThrownBy(() -> copy.beginCopy(container.getBlobClient("plain-source").getBlobUrl(), null))
            .isInstanceOf(EncryptionPolicyException.class);
        assertThat(copy.exists()).isFalse();
    }

    @Test
    void operationsThatCannotBeEncrypted_areNotOffered() {
        assertThat(BlobClientBase.class.isAssignableFrom(EncryptedBlobClient.class)).isFalse();
        for (Method method : EncryptedBlobClient.class.getMethods()) {
            if (!Modifier.isPublic(method.getModifiers()) || method.getDeclaringClass() == Object.class) {
                continue;
            }
            assertThat(method.getName()).as("method %s", method)
                .doesNotContainIgnoringCase("stageBlock").doesNotContainIgnoringCase("commitBlock")
                .doesNotContainIgnoringCase("appendBlock").doesNotContainIgnoringCase("pages")
                .doesNotContainIgnoringCase("pageBlob").doesNotContainIgnoringCase("appendBlob")
                .doesNotContainIgnoringCase("blockBlobClient");
            assertThat(BlobClientBase.class.isAssignableFrom(method.getReturnType())).as("returns %s", method)
                .isFalse();
            assertThat(method.getReturnType().getPackageName()).as("returns %s", method)
                .isNotEqualTo("com.azure.storage.blob.specialized");
        }
    }

    @Test
    void readOnlyClient_cannotUpload() {
        EncryptedBlobClient reader = Fixtures.builder(container, "ro", ClientSideEncryptionOptions.builder()
            .keyResolver(id -> Fixtures.kek())).buildEncryptedBlobClient();
        assertThatThrownBy(() -> reader.upload(BinaryData.fromString("x"))).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("key(keyEncryptionKey, keyWrapAlgorithm)");
        assertThat(reader.exists()).isFalse();
    }

    @Test
    void keyResolver_findsTheKeyByStoredId() {
        AesKeyWrapKey other = Fixtures.otherKek("local:rotated");
        Fixtures.builder(container, "resolved", ClientSideEncryptionOptions.builder().key(other, "A256KW"))
            .buildEncryptedBlobClient().upload(BinaryData.fromString("by id"));

        EncryptedBlobClient reader = Fixtures.builder(container, "resolved", Fixtures.options()
            .keyResolver(id -> id.equals("local:rotated") ? other : null)).buildEncryptedBlobClient();
        assertThat(reader.downloadContent().toString()).isEqualTo("by id");
    }

    @Test
    void everyDownload_unwrapsTheKeyExactlyOnce_howeverManyParallelChunks() throws Exception {
        CountingKeys key = new CountingKeys();
        EncryptedBlobClient client = Fixtures.builder(container, "counted", ClientSideEncryptionOptions.builder()
                .key(key.key(Fixtures.kek()), "A256KW").blobProtocol(EncryptionProtocol.V2_1).blobRegionLength(64))
            .parallelTransferOptions(new ParallelTransferOptions().setBlockSizeLong(128L).setMaxConcurrency(6))
            .buildEncryptedBlobClient();
        byte[] data = TestData.random(10_000, 6);
        client.upload(BinaryData.fromBytes(data));
        assertThat(key.unwraps()).isEqualTo(0);

        assertThat(client.downloadContent().toBytes()).isEqualTo(data);
        assertThat(key.unwraps()).isEqualTo(1);
        client.downloadToFile(dir.resolve("counted.bin").toString());
        assertThat(key.unwraps()).isEqualTo(2);
        try (InputStream in = client.openInputStream(new BlobRange(100, 5000L))) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 100, 5100));
        }
        assertThat(key.unwraps()).isEqualTo(3);
        client.getProperties();
        assertThat(key.unwraps()).isEqualTo(3);
    }

    @Test
    void download_neverMixesVersions_blobReplacedMidReadFails() throws Exception {
        EncryptedBlobClient client = Fixtures.builder(container, "versioned", Fixtures.options()
            .blobProtocol(EncryptionProtocol.V2_1).blobRegionLength(16)).parallelTransferOptions(new ParallelTransferOptions().setBlockSizeLong(32L))
            .buildEncryptedBlobClient();
        client.upload(BinaryData.fromBytes(TestData.random(200, 7)));
        try (InputStream in = client.openInputStream()) {
            assertThat(in.readNBytes(10)).hasSize(10);
            client.upload(BinaryData.fromBytes(TestData.random(200, 8)), true);
            assertThatThrownBy(in::readAllBytes).isInstanceOf(BlobStorageException.class)
                .satisfies(e -> assertThat(((BlobStorageException) e).getStatusCode()).isEqualTo(412));
        }
    }

    @Test
    void upload_streamShorterThanDeclared_throwsUnexpectedLength() {
        EncryptedBlobClient client = Fixtures.encrypted(container, "short-stream");
        assertThatThrownBy(() -> client.upload(new ByteArrayInputStream(new byte[10]), 20, true))
            .isInstanceOf(UnexpectedLengthException.class);
        assertThat(client.exists()).isFalse();
    }

    @Test
    void fileRoundTrip_withProgress_andNoOverwriteOfExistingFile() throws Exception {
        byte[] data = TestData.random(300_000, 9);
        Path source = dir.resolve("source.bin");
        Files.write(source, data);
        EncryptedBlobClient client = Fixtures.builder(container, "from-file", Fixtures.options()
            .blobProtocol(EncryptionProtocol.V2_1).blobRegionLength(4096)).buildEncryptedBlobClient();
        AtomicLong uploaded = new AtomicLong();
        client.uploadFromFileWithResponse(new EncryptedBlobUploadFromFileOptions(source.toString())
            .setParallelTransferOptions(new ParallelTransferOptions().setBlockSizeLong(65536L))
            .setProgressListener(uploaded::set), null, Context.NONE);
        assertThat(uploaded.get()).isEqualTo(data.length);

        Path target = dir.resolve("target.bin");
        Files.writeString(target, "keep me");
        assertThatThrownBy(() -> client.downloadToFile(target.toString())).isInstanceOf(UncheckedIOException.class);
        assertThat(Files.readString(target)).isEqualTo("keep me");
        client.downloadToFile(target.toString(), true);
        assertThat(Files.readAllBytes(target)).isEqualTo(data);
    }
}
