package dev.cse4j.blob;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobRange;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Protocol 1.0 blobs written by the legacy {@code com.microsoft.azure:azure-storage} 8.6.6 SDK read through ours. */
@ExtendWith(AzuriteExtension.class)
class LegacySdkInteropTest {
    private static Azurite azurite;
    private static BlobContainerClient container;

    @BeforeAll
    static void setUp(Azurite server) {
        azurite = server;
        container = Fixtures.container(server, "legacy");
    }

    private static void legacyUpload(String blobName, byte[] data) throws Exception {
        Peers.legacyUpload(azurite, container, blobName, data);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 15, 16, 17, 32, 33, 100, 5000})
    void legacyV1Blob_readsWholeAndRanged_withOptIn(int size) throws Exception {
        String name = "legacy-" + size;
        byte[] data = TestData.random(size, size + 1000);
        legacyUpload(name, data);

        EncryptedBlobClient reader = Fixtures.builder(container, name, Fixtures.options()
            .allowUnauthenticatedV1Reads(true)).buildEncryptedBlobClient();
        assertThat(reader.inspect().protocol()).isEqualTo(EncryptionProtocol.V1_0);
        assertThat(reader.inspect().encryptionLibrary()).isEqualTo("Java 8.6.6");
        assertThat(reader.downloadContent().toBytes()).isEqualTo(data);
        assertThat(reader.getProperties().getPlaintextSize()).isEqualTo(size);
        for (BlobRange range : Ranges.edges(size, 16)) {
            assertThat(reader.downloadContentWithResponse(range, null, null, Context.NONE).getValue().toBytes())
                .as("range %s", range).isEqualTo(Ranges.slice(data, range));
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {17})
    void legacyV1Blob_withoutOptIn_isRefused(int size) throws Exception {
        legacyUpload("legacy-refused", TestData.random(size, 3));
        EncryptedBlobClient reader = Fixtures.encrypted(container, "legacy-refused");

        assertThatThrownBy(reader::downloadContent).isInstanceOf(EncryptionPolicyException.class)
            .hasMessageContaining("1.0").hasMessageContaining("allowUnauthenticatedV1Reads(true)");
        assertThatThrownBy(reader::openInputStream).isInstanceOf(EncryptionPolicyException.class);
    }
}
