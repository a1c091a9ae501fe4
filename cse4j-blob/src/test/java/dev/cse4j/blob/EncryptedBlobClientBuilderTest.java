package dev.cse4j.blob;

import com.azure.core.credential.AzureSasCredential;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.HttpLogDetailLevel;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.util.BinaryData;
import com.azure.core.util.ClientOptions;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobClientBuilder;
import com.azure.storage.blob.BlobServiceVersion;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.BuilderRefusals;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Builders fail fast and name the setter that fixes the problem; every way to locate a blob works. */
@ExtendWith(AzuriteExtension.class)
@Isolated("BuilderRefusals sets cse4j.crypto.provider, which every client built meanwhile would read")
class EncryptedBlobClientBuilderTest {
    private static BlobClient someBlob() {
        return new BlobClientBuilder().connectionString(BuilderRefusals.CONNECTION_STRING).containerName("c")
            .blobName("b").buildClient();
    }

    private static EncryptedBlobClientBuilder named() {
        return new EncryptedBlobClientBuilder().containerName("c").blobName("b");
    }

    @TestFactory
    Stream<DynamicTest> refusesWhatEveryBuilderRefuses_withTheSameMessages() {
        return BuilderRefusals.tests(() -> named().clientSideEncryptionOptions(Fixtures.options().build()),
            EncryptedBlobClientBuilderTest::named, EncryptedBlobClientBuilder::buildEncryptedBlobClient);
    }

    @Test
    void nothingToConnectTo_namesTheWays() {
        assertThatThrownBy(() -> new EncryptedBlobClientBuilder().clientSideEncryptionOptions(Fixtures.options()
            .build()).buildEncryptedBlobClient()).isInstanceOf(IllegalStateException.class)
            .hasMessage("Nothing to connect to: set blobClient(...), or connectionString(...) and containerName(...) "
                + "and blobName(...), or endpoint(...) with a credential and containerName(...) and blobName(...).");
    }

    @Test
    void connectionStringWithoutNames_namesTheSetters() {
        assertThatThrownBy(() -> new EncryptedBlobClientBuilder().connectionString(BuilderRefusals.CONNECTION_STRING)
            .clientSideEncryptionOptions(Fixtures.options().build()).buildEncryptedBlobClient())
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("Name the blob: set containerName(...) and blobName(...).");
    }

    @Test
    void wrappedClientWithConnectionSettings_namesWhatToRemove() {
        assertThatThrownBy(() -> new EncryptedBlobClientBuilder().blobClient(someBlob()).blobName("x")
            .connectionString(BuilderRefusals.CONNECTION_STRING).httpLogOptions(new HttpLogOptions())
            .clientSideEncryptionOptions(Fixtures.options().build()).buildEncryptedBlobClient())
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("blobClient(...) already carries the endpoint, credential and HTTP pipeline; remove "
                + "connectionString(...), httpLogOptions(...), blobName(...).");
    }

    @Test
    void twoKindsOfRetryOptions_areRefused() {
        assertThatThrownBy(() -> named().connectionString(BuilderRefusals.CONNECTION_STRING)
            .retryOptions(new RequestRetryOptions())
            .retryOptions(new RetryOptions(new FixedDelayOptions(1, Duration.ofMillis(1))))
            .clientSideEncryptionOptions(Fixtures.options().build()).buildEncryptedBlobClient())
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("Set only one of retryOptions(RequestRetryOptions) and retryOptions(RetryOptions).");
    }

    @Test
    void microsoftsEncryptedClient_isRefusedAsTheWrappedClient() {
        BlobClient microsoft = new com.azure.storage.blob.specialized.cryptography.EncryptedBlobClientBuilder(
            com.azure.storage.blob.specialized.cryptography.EncryptionVersion.V2)
            .connectionString(BuilderRefusals.CONNECTION_STRING).containerName("c").blobName("b")
            .key(Fixtures.kek().asAsync(), "A256KW").buildEncryptedBlobClient();
        assertThatThrownBy(() -> new EncryptedBlobClientBuilder().blobClient(microsoft))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain BlobClient");
    }

    @Test
    void everyWayToLocateTheBlob_reachesTheSameBlob(Azurite azurite) {
        String container = Fixtures.container(azurite, "builder").getBlobContainerName();
        new EncryptedBlobClientBuilder().connectionString(azurite.connectionString()).containerName(container)
            .blobName("b").clientSideEncryptionOptions(Fixtures.options().build()).buildEncryptedBlobClient()
            .upload(BinaryData.fromString("hi"));
        StorageSharedKeyCredential key = new StorageSharedKeyCredential(azurite.accountName(), azurite.accountKey());

        EncryptedBlobClient byEndpoint = new EncryptedBlobClientBuilder().endpoint(azurite.blobEndpoint())
            .credential(key).containerName(container).blobName("b")
            .clientSideEncryptionOptions(dev.cse4j.core.ClientSideEncryptionOptions.builder()
                .keyResolver(id -> Fixtures.kek()).build())
            .buildEncryptedBlobClient();
        assertThat(byEndpoint.downloadContent().toString()).isEqualTo("hi");
        assertThat(byEndpoint.getBlobName()).isEqualTo("b");
        assertThat(byEndpoint.getContainerName()).isEqualTo(container);

        EncryptedBlobClient byBlobUrl = new EncryptedBlobClientBuilder()
            .endpoint(azurite.blobEndpoint() + "/" + container + "/b").credential(key)
            .clientSideEncryptionOptions(Fixtures.options().build()).buildEncryptedBlobClient();
        assertThat(byBlobUrl.downloadContent().toString()).isEqualTo("hi");

        String sas = Fixtures.service(azurite).getBlobContainerClient(container).generateSas(
            new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                new BlobContainerSasPermission().setReadPermission(true)));
        EncryptedBlobClient bySasInUrl = new EncryptedBlobClientBuilder()
            .endpoint(azurite.blobEndpoint() + "/" + container + "/b?" + sas)
            .clientSideEncryptionOptions(Fixtures.options().build()).buildEncryptedBlobClient();
        assertThat(bySasInUrl.downloadContent().toString()).isEqualTo("hi");
        EncryptedBlobClient bySasCredential = new EncryptedBlobClientBuilder().endpoint(azurite.blobEndpoint())
            .credential(new AzureSasCredential(sas)).containerName(container).blobName("b")
            .clientSideEncryptionOptions(Fixtures.options().build()).buildEncryptedBlobClient();
        assertThat(bySasCredential.downloadContent().toString()).isEqualTo("hi");
    }

    @Test
    void pipelineSettings_reachTheWrappedClient(Azurite azurite) {
        String container = Fixtures.container(azurite, "pipeline").getBlobContainerName();
        EncryptedBlobClient client = named().connectionString(azurite.connectionString()).containerName(container)
            .serviceVersion(BlobServiceVersion.V2021_08_06)
            .httpLogOptions(new HttpLogOptions().setLogLevel(HttpLogDetailLevel.BASIC))
            .clientOptions(new ClientOptions().setApplicationId("cse4j-test"))
            .retryOptions(new RequestRetryOptions())
            .clientSideEncryptionOptions(Fixtures.options().build()).buildEncryptedBlobClient();
        client.upload(BinaryData.fromString("through the settings"));
        assertThat(client.downloadContent().toString()).isEqualTo("through the settings");

        HttpPipeline pipeline = Fixtures.service(azurite).getHttpPipeline();
        EncryptedBlobClient onPipeline = named().endpoint(azurite.blobEndpoint()).containerName(container)
            .pipeline(pipeline).clientSideEncryptionOptions(Fixtures.options().build()).buildEncryptedBlobClient();
        assertThat(onPipeline.downloadContent().toString()).isEqualTo("through the settings");
    }
}
