package dev.cse4j.blob;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Builders fail fast and name the setter that fixes the problem; every way to locate a blob works. */
@ExtendWith(AzuriteExtension.class)
class EncryptedBlobClientBuilderTest {
    private static final String CS = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey="
        + Azurite.ACCOUNT_KEY + ";BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;";

    private static BlobClient someBlob() {
        return new BlobClientBuilder().connectionString(CS).containerName("c").blobName("b").buildClient();
    }

    @Test
    void noBlob_namesTheSetters() {
        assertThatThrownBy(() -> new EncryptedBlobClientBuilder().key(Fixtures.kek(), "A256KW")
            .buildEncryptedBlobClient()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("blobClient(...)").hasMessageContaining("connectionString(...)");
    }

    @Test
    void connectionStringWithoutNames_namesTheSetters() {
        assertThatThrownBy(() -> new EncryptedBlobClientBuilder().connectionString(CS).key(Fixtures.kek(), "A256KW")
            .buildEncryptedBlobClient()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("containerName(...)").hasMessageContaining("blobName(...)");
    }

    @Test
    void noKey_namesKeyAndKeyResolver() {
        assertThatThrownBy(() -> new EncryptedBlobClientBuilder().blobClient(someBlob()).buildEncryptedBlobClient())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("key(").hasMessageContaining("keyResolver(");
    }

    @Test
    void regionLengthWithProtocol20_namesProtocolSetter() {
        assertThatThrownBy(() -> new EncryptedBlobClientBuilder().blobClient(someBlob()).key(Fixtures.kek(), "A256KW")
            .regionLength(16).buildEncryptedBlobClient()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("protocol(EncryptionProtocol.V2_1)");
    }

    @Test
    void invalidFormatSettings_areRejectedAtOnce() {
        EncryptedBlobClientBuilder builder = new EncryptedBlobClientBuilder();
        assertThatThrownBy(() -> builder.protocol(EncryptionProtocol.V1_0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("allowUnauthenticatedV1Reads");
        assertThatThrownBy(() -> builder.regionLength(15)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.regionLength((1 << 30) + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.key(Fixtures.kek(), " ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void endpointWithoutCredential_namesCredentialSetter() {
        assertThatThrownBy(() -> new EncryptedBlobClientBuilder().endpoint("http://127.0.0.1:1/devstoreaccount1")
            .containerName("c").blobName("b").key(Fixtures.kek(), "A256KW").buildEncryptedBlobClient())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("credential(...)");
    }

    @Test
    void blobClientWithOtherLocationSettings_isRejected() {
        assertThatThrownBy(() -> new EncryptedBlobClientBuilder().blobClient(someBlob()).blobName("x")
            .key(Fixtures.kek(), "A256KW").buildEncryptedBlobClient()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new EncryptedBlobClientBuilder().blobClient(someBlob()).connectionString(CS)
            .key(Fixtures.kek(), "A256KW").buildEncryptedBlobClient()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("only one");
    }

    @Test
    void microsoftsEncryptedClient_isRefusedAsTheWrappedClient() {
        BlobClient microsoft = new com.azure.storage.blob.specialized.cryptography.EncryptedBlobClientBuilder(
            com.azure.storage.blob.specialized.cryptography.EncryptionVersion.V2).connectionString(CS)
            .containerName("c").blobName("b").key(Fixtures.kek().asAsync(), "A256KW").buildEncryptedBlobClient();
        assertThatThrownBy(() -> new EncryptedBlobClientBuilder().blobClient(microsoft))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void connectionStringAndEndpointForms_reachTheSameBlob(Azurite azurite) {
        String container = Fixtures.container(azurite, "builder").getBlobContainerName();
        new EncryptedBlobClientBuilder().connectionString(azurite.connectionString()).containerName(container)
            .blobName("b").key(Fixtures.kek(), "A256KW").buildEncryptedBlobClient().upload(BinaryData.fromString("hi"));

        EncryptedBlobClient byEndpoint = new EncryptedBlobClientBuilder().endpoint(azurite.blobEndpoint())
            .credential(new StorageSharedKeyCredential(azurite.accountName(), azurite.accountKey()))
            .containerName(container).blobName("b").keyResolver(
                id -> Fixtures.kek()).buildEncryptedBlobClient();
        assertThat(byEndpoint.downloadContent().toString()).isEqualTo("hi");
        assertThat(byEndpoint.getBlobName()).isEqualTo("b");
        assertThat(byEndpoint.getContainerName()).isEqualTo(container);

        EncryptedBlobClient byBlobUrl = new EncryptedBlobClientBuilder()
            .endpoint(azurite.blobEndpoint() + "/" + container + "/b")
            .credential(new StorageSharedKeyCredential(azurite.accountName(), azurite.accountKey()))
            .key(Fixtures.kek(), "A256KW").buildEncryptedBlobClient();
        assertThat(byBlobUrl.downloadContent().toString()).isEqualTo("hi");
    }
}
