package dev.cse4j.blob;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobContainerItem;
import com.azure.storage.blob.models.ListBlobContainersOptions;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.StorageSharedKeyCredential;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.BuilderRefusals;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Service and container clients: options set once reach the blobs, overrides stay where they are made, one pipeline
 * serves every derived client, container management passes through, builders refuse what every builder refuses.
 */
@ExtendWith(AzuriteExtension.class)
@Isolated("BuilderRefusals sets cse4j.crypto.provider, which every client built meanwhile would read")
class EncryptedBlobServiceClientTest {
    private static Azurite azurite;
    private static ClientSideEncryptionOptions v21;
    private static EncryptedBlobServiceClient service;

    @BeforeAll
    static void setUp(Azurite server) {
        azurite = server;
        v21 = Fixtures.options().blobProtocol(EncryptionProtocol.V2_1).blobRegionLength(16).build();
        service = new EncryptedBlobServiceClientBuilder().connectionString(azurite.connectionString())
            .clientSideEncryptionOptions(v21).buildEncryptedBlobServiceClient();
    }

    private static String newName(String prefix) {
        return (prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
    }

    private static EncryptionData stored(String container, String blob) {
        return EncryptionData.parse(Fixtures.service(azurite).getBlobContainerClient(container).getBlobClient(blob)
            .getProperties().getMetadata().get("encryptiondata"));
    }

    @Test
    void optionsSetOnTheService_reachBlobsTwoLevelsDown() {
        EncryptedBlobContainerClient container = service.createBlobContainerIfNotExists(newName("handed"));
        EncryptedBlobClient blob = container.getEncryptedBlobClient("dir/report.txt");

        blob.upload(BinaryData.fromString("handed down"));

        EncryptionData data = stored(container.getBlobContainerName(), "dir/report.txt");
        assertThat(data.protocol()).isEqualTo(EncryptionProtocol.V2_1);
        assertThat(data.encryptedRegionInfo().dataLength()).isEqualTo(16);
        assertThat(data.wrappedContentKey().keyId()).isEqualTo(Fixtures.KEY_ID);
        assertThat(container.getClientSideEncryptionOptions()).isSameAs(v21);
        assertThat(blob.getClientSideEncryptionOptions()).isSameAs(v21);
        assertThat(blob.getBlobName()).isEqualTo("dir/report.txt");
        assertThat(blob.downloadContent().toString()).isEqualTo("handed down");
    }

    @Test
    void containerAndBlobOverrides_doNotLeakToTheirParents() {
        String name = newName("override");
        service.createBlobContainer(name);
        ClientSideEncryptionOptions otherKey = ClientSideEncryptionOptions.builder()
            .key(Fixtures.otherKek("local:other"), "A256KW").build();

        EncryptedBlobContainerClient overridden = service.getEncryptedBlobContainerClient(name, otherKey);
        overridden.getEncryptedBlobClient("by-override").upload(BinaryData.fromString("other key"));
        EncryptedBlobContainerClient plainChild = service.getEncryptedBlobContainerClient(name);
        plainChild.getEncryptedBlobClient("by-service").upload(BinaryData.fromString("service key"));
        plainChild.getEncryptedBlobClient("by-blob-override", Fixtures.options().build())
            .upload(BinaryData.fromString("blob override"));
        plainChild.getEncryptedBlobClient("after-blob-override").upload(BinaryData.fromString("service key again"));

        assertThat(stored(name, "by-override").wrappedContentKey().keyId()).isEqualTo("local:other");
        assertThat(stored(name, "by-override").protocol()).isEqualTo(EncryptionProtocol.V2_0);
        assertThat(stored(name, "by-service").wrappedContentKey().keyId()).isEqualTo(Fixtures.KEY_ID);
        assertThat(stored(name, "by-service").protocol()).isEqualTo(EncryptionProtocol.V2_1);
        assertThat(stored(name, "by-blob-override").protocol()).isEqualTo(EncryptionProtocol.V2_0);
        assertThat(stored(name, "after-blob-override").protocol()).isEqualTo(EncryptionProtocol.V2_1);
        assertThat(service.getClientSideEncryptionOptions()).isSameAs(v21);
        assertThat(plainChild.getClientSideEncryptionOptions()).isSameAs(v21);
        assertThat(overridden.getClientSideEncryptionOptions()).isSameAs(otherKey);
        assertThat(overridden.getEncryptedBlobClient("by-override").downloadContent().toString())
            .isEqualTo("other key");
    }

    @Test
    void snapshotClients_readTheSnapshot_andVersionClients_carryTheParentsOptions_bothClients() {
        EncryptedBlobContainerClient container = service.createBlobContainerIfNotExists(newName("snapshots"));
        EncryptedBlobClient blob = container.getEncryptedBlobClient("b");
        blob.upload(BinaryData.fromString("first"));
        String snapshot = blob.createSnapshot().getSnapshotId();
        blob.upload(BinaryData.fromString("second"), true);
        EncryptedBlobContainerAsyncClient async = new EncryptedBlobContainerClientBuilder()
            .connectionString(azurite.connectionString()).containerName(container.getBlobContainerName())
            .clientSideEncryptionOptions(v21).buildEncryptedBlobContainerAsyncClient();

        EncryptedBlobClient snapshotClient = container.getEncryptedBlobClient("b", snapshot);
        EncryptedBlobAsyncClient asyncSnapshotClient = async.getEncryptedBlobAsyncClient("b", snapshot);
        assertThat(snapshotClient.getSnapshotId()).isEqualTo(snapshot);
        assertThat(snapshotClient.downloadContent().toString()).isEqualTo("first");
        assertThat(asyncSnapshotClient.downloadContent().block().toString()).isEqualTo("first");
        assertThat(container.getEncryptedBlobClient("b").downloadContent().toString()).isEqualTo("second");
        assertThat(snapshotClient.getClientSideEncryptionOptions()).isSameAs(v21);

        // Azurite has no blob versioning: what a version client is, not what it reads
        EncryptedBlobClient version = blob.getVersionClient("2026-12-03T09:00:00.0000000Z");
        EncryptedBlobAsyncClient asyncVersion = async.getEncryptedBlobAsyncClient("b")
            .getVersionClient("2026-12-03T09:00:00.0000000Z");
        assertThat(version.getVersionId()).isEqualTo(asyncVersion.getVersionId())
            .isEqualTo("2026-12-03T09:00:00.0000000Z");
        assertThat(version.getBlobUrl()).contains("versionid=2026-12-03T09");
        assertThat(version.getClientSideEncryptionOptions()).isSameAs(v21);
        assertThat(blob.getVersionId()).isNull();
    }

    @Test
    void clientsDerivedFromOneService_shareItsPipeline() {
        EncryptedBlobContainerClient a = service.getEncryptedBlobContainerClient("a");
        EncryptedBlobContainerClient b = service.getEncryptedBlobContainerClient("b", Fixtures.options().build());

        assertThat(a.getHttpPipeline()).isSameAs(service.getHttpPipeline());
        assertThat(b.getHttpPipeline()).isSameAs(service.getHttpPipeline());
        assertThat(a.getEncryptedBlobClient("x").getHttpPipeline()).isSameAs(service.getHttpPipeline());
        assertThat(b.getEncryptedBlobClient("y", v21).getHttpPipeline()).isSameAs(service.getHttpPipeline());
    }

    @Test
    void containerManagement_passesThrough() {
        String name = newName("manage");
        EncryptedBlobContainerClient container = service.getEncryptedBlobContainerClient(name);

        assertThat(container.exists()).isFalse();
        assertThat(container.deleteIfExists()).isFalse();
        assertThat(container.createIfNotExists()).isTrue();
        assertThat(container.createIfNotExists()).isFalse();
        assertThat(service.createBlobContainerIfNotExists(name).getBlobContainerName()).isEqualTo(name);
        assertThat(service.createBlobContainerIfNotExistsWithResponse(name, null, null).getStatusCode())
            .isEqualTo(409);
        assertThat(container.exists()).isTrue();
        assertThat(container.getProperties().getETag()).isNotEmpty();
        assertThat(service.listBlobContainers(new ListBlobContainersOptions().setPrefix(name), null))
            .extracting(BlobContainerItem::getName).containsExactly(name);
        assertThat(container.deleteIfExists()).isTrue();
        assertThat(container.exists()).isFalse();
        assertThatThrownBy(container::delete).isInstanceOf(com.azure.storage.blob.models.BlobStorageException.class);

        container.create();
        service.deleteBlobContainer(name);
        assertThat(service.deleteBlobContainerIfExists(name)).isFalse();
        assertThat(container.getAccountName()).isEqualTo(azurite.accountName());
        assertThat(container.getBlobContainerUrl()).endsWith("/" + name);
        assertThat(service.getAccountUrl()).isEqualTo(container.getAccountUrl());
    }

    @Test
    void builders_wrapExistingClients_andReachTheContainerEveryWay() {
        String name = newName("wrap");
        BlobServiceClient plainService = Fixtures.service(azurite);
        BlobContainerClient plainContainer = plainService.createBlobContainer(name);
        new EncryptedBlobServiceClientBuilder().blobServiceClient(plainService).clientSideEncryptionOptions(v21)
            .buildEncryptedBlobServiceClient().getEncryptedBlobContainerClient(name).getEncryptedBlobClient("b")
            .upload(BinaryData.fromString("wrapped"));

        EncryptedBlobContainerClient wrapped = new EncryptedBlobContainerClientBuilder()
            .blobContainerClient(plainContainer).clientSideEncryptionOptions(v21).buildEncryptedBlobContainerClient();
        EncryptedBlobContainerClient byName = new EncryptedBlobContainerClientBuilder()
            .connectionString(azurite.connectionString()).containerName(name).clientSideEncryptionOptions(v21)
            .buildEncryptedBlobContainerClient();
        EncryptedBlobContainerClient byUrl = new EncryptedBlobContainerClientBuilder()
            .endpoint(plainContainer.getBlobContainerUrl())
            .credential(new StorageSharedKeyCredential(azurite.accountName(), azurite.accountKey()))
            .clientSideEncryptionOptions(v21).buildEncryptedBlobContainerClient();
        String sas = plainContainer.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
            new BlobContainerSasPermission().setReadPermission(true).setListPermission(true)));
        EncryptedBlobContainerClient bySasUrl = new EncryptedBlobContainerClientBuilder()
            .endpoint(plainContainer.getBlobContainerUrl() + "?" + sas).clientSideEncryptionOptions(v21)
            .buildEncryptedBlobContainerClient();
        EncryptedBlobServiceClient byEndpoint = new EncryptedBlobServiceClientBuilder()
            .endpoint(azurite.blobEndpoint())
            .credential(new StorageSharedKeyCredential(azurite.accountName(), azurite.accountKey()))
            .clientSideEncryptionOptions(v21).buildEncryptedBlobServiceClient();

        for (EncryptedBlobContainerClient container : new EncryptedBlobContainerClient[] {wrapped, byName, byUrl,
            bySasUrl, byEndpoint.getEncryptedBlobContainerClient(name)}) {
            assertThat(container.getBlobContainerName()).isEqualTo(name);
            assertThat(container.getEncryptedBlobClient("b").downloadContent().toString()).isEqualTo("wrapped");
        }
        assertThat(wrapped.getHttpPipeline()).isSameAs(plainContainer.getHttpPipeline());
    }

    @TestFactory
    Stream<DynamicTest> serviceBuilder_refusesWhatEveryBuilderRefuses_withTheSameMessages() {
        return BuilderRefusals.tests(() -> new EncryptedBlobServiceClientBuilder()
                .clientSideEncryptionOptions(v21), EncryptedBlobServiceClientBuilder::new,
            EncryptedBlobServiceClientBuilder::buildEncryptedBlobServiceClient);
    }

    @TestFactory
    Stream<DynamicTest> containerBuilder_refusesWhatEveryBuilderRefuses_withTheSameMessages() {
        return BuilderRefusals.tests(() -> new EncryptedBlobContainerClientBuilder().containerName("c")
                .clientSideEncryptionOptions(v21), () -> new EncryptedBlobContainerClientBuilder().containerName("c"),
            EncryptedBlobContainerClientBuilder::buildEncryptedBlobContainerClient);
    }

    @Test
    void builders_nameWhatIsMissingOrTooMuch() {
        assertThatThrownBy(() -> new EncryptedBlobServiceClientBuilder().clientSideEncryptionOptions(v21)
            .buildEncryptedBlobServiceClient()).isInstanceOf(IllegalStateException.class)
            .hasMessage("Nothing to connect to: set blobServiceClient(...), or connectionString(...), or "
                + "endpoint(...) with a credential.");
        assertThatThrownBy(() -> new EncryptedBlobContainerClientBuilder().clientSideEncryptionOptions(v21)
            .connectionString(BuilderRefusals.CONNECTION_STRING).buildEncryptedBlobContainerClient())
            .isInstanceOf(IllegalStateException.class).hasMessage("Name the container: set containerName(...).");
        assertThatThrownBy(() -> new EncryptedBlobContainerClientBuilder().clientSideEncryptionOptions(v21)
            .blobContainerClient(Fixtures.service(azurite).getBlobContainerClient("c")).containerName("c")
            .buildEncryptedBlobContainerClient()).isInstanceOf(IllegalStateException.class)
            .hasMessage("blobContainerClient(...) already carries the endpoint, credential and HTTP pipeline; "
                + "remove containerName(...).");
    }
}
