package dev.cse4j.blob;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.KnownAnswerVector;
import dev.cse4j.testing.Vectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stored vectors written by Microsoft's SDKs, uploaded raw with a plain client (bytes and metadata exactly as
 * stored), read through our client whole and ranged.
 */
@ExtendWith(AzuriteExtension.class)
class KnownAnswerBlobTest {
    private static BlobContainerClient container;

    @BeforeAll
    static void setUp(Azurite azurite) {
        container = Fixtures.container(azurite, "vectors");
    }

    static Stream<KnownAnswerVector> blobVectors() {
        return Stream.concat(Vectors.list(Vectors.JAVA_SDK).stream(),
            Vectors.list(Vectors.JAVA8_LEGACY_SDK).stream().filter(v -> v.kind() == KnownAnswerVector.Kind.BLOB));
    }

    static EncryptedBlobClient uploadRaw(KnownAnswerVector vector, String name) {
        container.getBlobClient(name).getBlockBlobClient().uploadWithResponse(
            new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(vector.rawBytes())).setMetadata(vector.metadata()),
            null, Context.NONE);
        return Fixtures.builder(container, name, Fixtures.options().allowUnauthenticatedV1Reads(true))
            .buildEncryptedBlobClient();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blobVectors")
    void vector_readWhole_matchesPlaintext(KnownAnswerVector vector) throws Exception {
        EncryptedBlobClient client = uploadRaw(vector, vector.folder() + "-" + vector.name());
        byte[] expected = vector.plaintext();

        assertThat(client.downloadContent().toBytes()).isEqualTo(expected);
        assertThat(client.getProperties().getPlaintextSize()).isEqualTo(vector.plaintextLength());
        try (InputStream in = client.openInputStream()) {
            assertThat(in.readAllBytes()).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blobVectors")
    void vector_readRanged_matchesPlaintext(KnownAnswerVector vector) {
        EncryptedBlobClient client = uploadRaw(vector, "ranged-" + vector.folder() + "-" + vector.name());
        byte[] expected = vector.plaintext();
        long unit = client.inspect().encryptedRegionInfo() == null ? 16
            : client.inspect().encryptedRegionInfo().dataLength();
        var ranges = unit > 1024 ? Ranges.few(expected.length, unit) : Ranges.edges(expected.length, unit);
        for (BlobRange range : ranges) {
            assertThat(client.downloadContentWithResponse(range, null, null, Context.NONE).getValue().toBytes())
                .as("range %s", range).isEqualTo(Ranges.slice(expected, range));
        }
    }
}
