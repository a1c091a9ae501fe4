package dev.cse4j.blob;

import com.azure.core.http.rest.PagedResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.specialized.cryptography.EncryptionVersion;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Listing a container tells, for each blob and from the listed metadata alone, how it is encrypted: for blobs
 * written by cse4j, Microsoft's 12.32.1 client (2.0, 2.1), the legacy 8.6.6 SDK (1.0), and for unencrypted and
 * damaged ones, each reported on its item without failing the page.
 */
@ExtendWith(AzuriteExtension.class)
class BlobListingTest {
    private static final int R21 = 16;
    private static BlobContainerClient plain;
    private static EncryptedBlobContainerClient container;
    private static String cse4j21Json;

    @BeforeAll
    static void setUp(Azurite azurite) throws Exception {
        plain = Fixtures.container(azurite, "listing");
        container = new EncryptedBlobContainerClientBuilder().blobContainerClient(plain)
            .clientSideEncryptionOptions(Fixtures.options().build()).buildEncryptedBlobContainerClient();
        container.getEncryptedBlobClient("cse4j-20").upload(BinaryData.fromBytes(TestData.random(100, 1)));
        ClientSideEncryptionOptions v21 = Fixtures.options().blobProtocol(EncryptionProtocol.V2_1)
            .blobRegionLength(R21).build();
        container.getEncryptedBlobClient("cse4j-21", v21).upload(BinaryData.fromBytes(TestData.random(40, 2)));
        Peers.microsoft(azurite, plain, "microsoft-20", EncryptionVersion.V2, R21)
            .upload(BinaryData.fromBytes(TestData.random(1000, 3)));
        Peers.microsoft(azurite, plain, "microsoft-21", EncryptionVersion.V2_1, R21)
            .upload(BinaryData.fromBytes(TestData.random(33, 4)));
        Peers.microsoft(azurite, plain, "microsoft-empty", EncryptionVersion.V2, R21)
            .upload(BinaryData.fromBytes(new byte[0]));
        Peers.legacyUpload(azurite, plain, "legacy-v1", TestData.random(50, 5));
        plain.getBlobClient("unencrypted").upload(BinaryData.fromString("plain text"));

        cse4j21Json = plain.getBlobClient("cse4j-21").getProperties().getMetadata().get("encryptiondata");
        byte[] stored21 = plain.getBlobClient("cse4j-21").downloadContent().toBytes();
        storeRaw("damaged/not-json", "x".getBytes(), Map.of("encryptiondata", "{not json"));
        storeRaw("damaged/unknown-protocol", stored21, Map.of("encryptiondata",
            cse4j21Json.replace("\"Protocol\":\"2.1\"", "\"Protocol\":\"9.9\"")));
        storeRaw("damaged/truncated", Arrays.copyOf(stored21, stored21.length - 20),
            Map.of("EncryptionData", cse4j21Json, "owner", "ops"));
    }

    private static void storeRaw(String name, byte[] bytes, Map<String, String> metadata) {
        plain.getBlobClient(name).getBlockBlobClient().uploadWithResponse(
            new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(bytes)).setMetadata(metadata), null, Context.NONE);
    }

    private static Map<String, EncryptedBlobItem> listed() {
        return container.listBlobs().stream()
            .collect(Collectors.toMap(EncryptedBlobItem::getName, Function.identity()));
    }

    @Test
    void listing_reportsProtocolKeyIdRegionAndLength_forEveryWriter() {
        Map<String, EncryptedBlobItem> items = listed();

        assertInfo(items.get("cse4j-20"), EncryptionProtocol.V2_0, 4 * 1024 * 1024, 100L);
        assertInfo(items.get("cse4j-21"), EncryptionProtocol.V2_1, R21, 40L);
        assertInfo(items.get("microsoft-20"), EncryptionProtocol.V2_0, 4 * 1024 * 1024, 1000L);
        assertInfo(items.get("microsoft-21"), EncryptionProtocol.V2_1, R21, 33L);
        assertInfo(items.get("microsoft-empty"), EncryptionProtocol.V2_0, 4 * 1024 * 1024, 0L);
        assertThat(items.get("microsoft-empty").getEncryptionInfo().getEncryptedLength()).isEqualTo(28);
        assertInfo(items.get("legacy-v1"), EncryptionProtocol.V1_0, null, null);
        assertThat(items.get("legacy-v1").getEncryptionInfo().getEncryptionData().encryptionLibrary())
            .isEqualTo("Java 8.6.6");
        assertThat(items.get("microsoft-21").getEncryptionInfo().getEncryptionData().encryptionLibrary())
            .startsWith("JavaTrack2");
    }

    @Test
    void listing_reportsUnencryptedBlobs_withTheirLength() {
        BlobEncryptionInfo info = listed().get("unencrypted").getEncryptionInfo();
        assertThat(info.isEncrypted()).isFalse();
        assertThat(info.getProtocol()).isNull();
        assertThat(info.getKeyId()).isNull();
        assertThat(info.getPlaintextLength()).isEqualTo(10L);
        assertThat(info.getError()).isNull();
    }

    @Test
    void damagedBlobs_areReportedOnTheirItem_andTheRestOfThePageIsListed() {
        Map<String, EncryptedBlobItem> items = listed();
        assertThat(items).hasSize(10);

        BlobEncryptionInfo notJson = items.get("damaged/not-json").getEncryptionInfo();
        assertThat(notJson.isEncrypted()).isTrue();
        assertThat(notJson.getProtocol()).isNull();
        assertThat(notJson.getError()).isNotBlank();
        BlobEncryptionInfo unknown = items.get("damaged/unknown-protocol").getEncryptionInfo();
        assertThat(unknown.getProtocol()).isNull();
        assertThat(unknown.getError()).contains("9.9");
        BlobEncryptionInfo truncated = items.get("damaged/truncated").getEncryptionInfo();
        assertThat(truncated.getProtocol()).isEqualTo(EncryptionProtocol.V2_1);
        assertThat(truncated.getKeyId()).isEqualTo(Fixtures.KEY_ID);
        assertThat(truncated.getPlaintextLength()).isNull();
        assertThat(truncated.getError()).contains("impossible");
        assertThat(items.get("damaged/truncated").getMetadata()).containsExactly(Map.entry("owner", "ops"));
    }

    @Test
    void byHierarchy_listsVirtualDirectories_andBlobsWithTheirInfo() {
        List<EncryptedBlobItem> top = container.listBlobsByHierarchy("").stream().toList();
        assertThat(top).filteredOn(EncryptedBlobItem::isPrefix).extracting(EncryptedBlobItem::getName)
            .containsExactly("damaged/");
        assertThat(top).filteredOn(EncryptedBlobItem::isPrefix).allSatisfy(
            item -> assertThat(item.getEncryptionInfo()).isNull());
        assertThat(top).filteredOn(item -> !item.isPrefix()).hasSize(7);

        List<EncryptedBlobItem> damaged = container.listBlobsByHierarchy("damaged/").stream().toList();
        assertThat(damaged).extracting(EncryptedBlobItem::getName)
            .containsExactly("damaged/not-json", "damaged/truncated", "damaged/unknown-protocol");
        assertThat(damaged).allSatisfy(item -> assertThat(item.getEncryptionInfo().getError()).isNotNull());
    }

    @Test
    void pagedListing_alwaysRetrievesMetadata_andResumesFromAContinuationToken() {
        ListBlobsOptions options = new ListBlobsOptions().setPrefix("m").setMaxResultsPerPage(2);

        Iterator<PagedResponse<EncryptedBlobItem>> pages = container.listBlobs(options, null).iterableByPage()
            .iterator();
        PagedResponse<EncryptedBlobItem> first = pages.next();
        List<EncryptedBlobItem> rest = container.listBlobs(options, first.getContinuationToken(), null).stream()
            .toList();

        assertThat(first.getValue()).extracting(EncryptedBlobItem::getName)
            .containsExactly("microsoft-20", "microsoft-21");
        assertThat(first.getValue()).allSatisfy(item -> assertThat(item.getEncryptionInfo().getKeyId())
            .isEqualTo(Fixtures.KEY_ID));
        assertThat(rest).extracting(EncryptedBlobItem::getName).containsExactly("microsoft-empty");
        assertThat(rest.get(0).getEncryptionInfo().getProtocol()).isEqualTo(EncryptionProtocol.V2_0);
        assertThat(options.getDetails().getRetrieveMetadata()).isFalse();
    }

    private static void assertInfo(EncryptedBlobItem item, EncryptionProtocol protocol, Integer regionLength,
        Long plaintextLength) {
        BlobEncryptionInfo info = item.getEncryptionInfo();
        assertThat(info.isEncrypted()).as(item.getName()).isTrue();
        assertThat(info.getError()).as(item.getName()).isNull();
        assertThat(info.getProtocol()).as(item.getName()).isEqualTo(protocol);
        assertThat(info.getKeyId()).as(item.getName()).isEqualTo(Fixtures.KEY_ID);
        assertThat(info.getKeyWrapAlgorithm()).as(item.getName()).isEqualTo("A256KW");
        assertThat(info.getRegionLength()).as(item.getName()).isEqualTo(regionLength);
        assertThat(info.getPlaintextLength()).as(item.getName()).isEqualTo(plaintextLength);
        assertThat(info.getEncryptedLength()).as(item.getName())
            .isEqualTo(item.getProperties().getContentLength());
        assertThat(item.getMetadata()).as(item.getName()).doesNotContainKey("encryptiondata");
    }
}
