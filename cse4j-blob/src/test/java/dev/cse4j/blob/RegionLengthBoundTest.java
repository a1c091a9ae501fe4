package dev.cse4j.blob;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobRange;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The memory a read of a protocol 2.1 blob uses is bounded by the client's configuration
 * ({@code maxReadRegionLength}), never by the region length its metadata claims: a blob whose regions (as stored)
 * are longer is refused before anything is allocated or fetched, with a message saying how to raise the bound; by
 * both clients ({@link Api}), on every read path.
 */
@ExtendWith(AzuriteExtension.class)
class RegionLengthBoundTest {
    private static final int MIB = 1024 * 1024;
    private static final int LIMIT = 4 * MIB;
    private static final byte[] DATA = TestData.random(5 * MIB + 3, 51);
    private static BlobContainerClient container;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(Azurite azurite) {
        container = Fixtures.container(azurite, "bounds");
        writer("eight-mib-regions", 8 * MIB).upload(BinaryData.fromBytes(DATA));
        writer("claims-one-gib", MIB).upload(BinaryData.fromBytes(DATA));
        BlobClient edited = container.getBlobClient("claims-one-gib");
        Map<String, String> metadata = new HashMap<>(edited.getProperties().getMetadata());
        metadata.put("encryptiondata", metadata.get("encryptiondata").replace("\"DataLength\":" + MIB,
            "\"DataLength\":" + (1 << 30)));
        edited.setMetadata(metadata);
    }

    private static EncryptedBlobClient writer(String name, int regionLength) {
        return Fixtures.builder(container, name, Fixtures.options().blobProtocol(EncryptionProtocol.V2_1)
            .blobRegionLength(regionLength)).buildEncryptedBlobClient();
    }

    private static Api.TestBlob reader(Api api, String name, int maxReadRegionLength) {
        return api.build(Fixtures.builder(container, name, Fixtures.options().maxReadRegionLength(
            maxReadRegionLength)));
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void regionsLongerThanTheBound_areRefusedOnEveryReadPath_sayingHowToRaiseIt(Api api) throws Exception {
        for (String name : new String[] {"eight-mib-regions", "claims-one-gib"}) {
            Api.TestBlob client = reader(api, name, LIMIT);
            for (Api.ReadPath path : client.readPaths()) {
                for (BlobRange range : Arrays.asList(new BlobRange(0, 10L), null)) {
                    ByteArrayOutputStream released = new ByteArrayOutputStream();
                    assertThatThrownBy(() -> path.read(range, released, dir)).as("%s %s", path, range)
                        .isInstanceOfSatisfying(EncryptionPolicyException.class, e -> assertThat(e.getReason())
                            .isEqualTo(EncryptionPolicyException.Reason.REGION_TOO_LARGE))
                        .hasMessageContaining(name).hasMessageContaining(String.valueOf(LIMIT))
                        .hasMessageContaining("maxReadRegionLength");
                    assertThat(released.size()).as("%s %s", path, range).isZero();
                    assertThat(dir).as("%s %s", path, range).isEmptyDirectory();
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void regionsWithinTheBound_areRead_andRaisingTheBoundReadsTheLongerOnes(Api api) throws Exception {
        for (Api.ReadPath path : reader(api, "eight-mib-regions", 8 * MIB).readPaths()) {
            assertThat(path.read(null, dir)).as(path.toString()).isEqualTo(DATA);
        }
        assertThat(api.build(Fixtures.builder(container, "eight-mib-regions")).readPaths().get(0).read(null, dir))
            .as("the default bound, 64 MiB").isEqualTo(DATA);
    }

    @Test
    void maxReadRegionLength_outsideFourMibToOneGib_isRefusedByTheBuilder() {
        assertThatThrownBy(() -> Fixtures.options().maxReadRegionLength(4 * MIB - 1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxReadRegionLength");
        assertThat(ClientSideEncryptionOptions.builder().keyResolver(id -> null).build().getMaxReadRegionLength())
            .isEqualTo(ClientSideEncryptionOptions.DEFAULT_MAX_READ_REGION_LENGTH).isEqualTo(64 * MIB);
    }
}
