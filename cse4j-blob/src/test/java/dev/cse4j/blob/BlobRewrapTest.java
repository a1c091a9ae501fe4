package dev.cse4j.blob;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.AccessTier;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.specialized.cryptography.EncryptionVersion;
import dev.cse4j.blob.FleetFixtures.Stored;
import dev.cse4j.blob.FleetFixtures.Writer;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.KeyResolutionException;
import dev.cse4j.fleet.EncryptionState;
import dev.cse4j.fleet.FailureClass;
import dev.cse4j.fleet.FleetAction;
import dev.cse4j.fleet.FleetOptions;
import dev.cse4j.fleet.FleetOutcome;
import dev.cse4j.fleet.FleetResult;
import dev.cse4j.fleet.FleetSummary;
import dev.cse4j.keys.AesKeyWrapKey;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.CountingKeys;
import dev.cse4j.testing.LegacySdkKey;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rotating the key encryption key of a container (rewrap) and of one blob, for blobs written by Microsoft's
 * 12.32.1 client (2.0, 2.1), the legacy 8.6.6 SDK (1.0) and cse4j: only the wrapped key changes, only the new key
 * reads afterwards, and a rerun finishes from the listing alone.
 */
@ExtendWith(AzuriteExtension.class)
class BlobRewrapTest {
    private static Azurite azurite;

    @BeforeAll
    static void setUp(Azurite server) {
        azurite = server;
    }

    private static ClientSideEncryptionOptions rotation(CountingKeys oldKeys, CountingKeys newKeys) {
        return FleetFixtures.keys(oldKeys.resolver(FleetFixtures.oldResolver()), newKeys.key(FleetFixtures.newKek()))
            .build();
    }

    @Test
    void rewrap_blobsOfEveryWriter_keepStoredBytesHeadersTagsTierAndOtherMetadata_andOnlyTheNewKeyReads()
        throws Exception {
        BlobContainerClient container = Fixtures.container(azurite, "rewrap");
        Map<Writer, byte[]> data = new EnumMap<>(Writer.class);
        Map<Writer, Stored> before = new EnumMap<>(Writer.class);
        for (Writer writer : Writer.values()) {
            data.put(writer, TestData.random(100 + writer.ordinal(), writer.ordinal()));
            writer.write(azurite, container, writer.name(), data.get(writer));
            FleetFixtures.decorate(container, writer.name(), writer == Writer.LEGACY_V1 ? AccessTier.COOL : null);
            before.put(writer, FleetFixtures.stored(container, writer.name()));
        }
        CountingKeys oldKeys = new CountingKeys();
        CountingKeys newKeys = new CountingKeys();
        List<FleetResult> results = new ArrayList<>();

        FleetSummary summary = BlobFleetOperation.create(container, FleetOptions.of(FleetAction.REWRAP),
            rotation(oldKeys, newKeys)).run(null, results::add);

        assertThat(summary.exitCode()).isZero();
        Map<String, FleetResult> byName = FleetFixtures.byName(results);
        for (Writer writer : Writer.values()) {
            FleetResult result = byName.get(writer.name());
            assertThat(result.result()).as(writer.name()).isEqualTo(FleetOutcome.REWRAPPED);
            assertThat(result.from()).isEqualTo(new EncryptionState(writer.protocol, FleetFixtures.OLD_ID));
            assertThat(result.to()).isEqualTo(new EncryptionState(writer.protocol, FleetFixtures.NEW_ID));

            Stored was = before.get(writer);
            Stored now = FleetFixtures.stored(container, writer.name());
            assertThat(now.bytes()).as(writer.name()).isEqualTo(was.bytes());
            assertThat(now.others()).as(writer.name()).isEqualTo(was.others());
            assertThat(now.tags()).isEqualTo(was.tags());
            assertHeadersAndTierKept(was.properties(), now.properties());
            EncryptionData old = EncryptionData.parse(was.metadata().get("encryptiondata"));
            EncryptionData rewrapped = EncryptionData.parse(now.metadata().get("encryptiondata"));
            assertThat(rewrapped.wrappedContentKey().keyId()).isEqualTo(FleetFixtures.NEW_ID);
            assertThat(rewrapped.wrappedContentKey().algorithm()).isEqualTo("A256KW");
            assertThat(rewrapped.withWrappedContentKey(old.wrappedContentKey())).isEqualTo(old);

            assertThat(readWith(container, writer.name(), FleetFixtures.newKek())).isEqualTo(data.get(writer));
            assertThatThrownBy(() -> readWith(container, writer.name(), Fixtures.kek()))
                .isInstanceOf(KeyResolutionException.class);
        }
        assertThat(oldKeys.unwraps()).isEqualTo(Writer.values().length);
        assertThat(newKeys.wraps()).isEqualTo(Writer.values().length);
        assertThat(oldKeys.resolutions(FleetFixtures.OLD_ID)).isEqualTo(1);

        AesKeyWrapKey newKek = FleetFixtures.newKek();
        for (Writer writer : List.of(Writer.MICROSOFT_V2, Writer.MICROSOFT_V2_1, Writer.CSE4J_V2_0,
            Writer.CSE4J_V2_1)) {
            assertThat(Peers.microsoft(azurite, container, writer.name(), EncryptionVersion.V2, 16, newKek)
                .downloadContent().toBytes()).as("Microsoft reads %s", writer).isEqualTo(data.get(writer));
        }
        assertThat(Peers.legacyDownload(azurite, container, Writer.LEGACY_V1.name(),
            new LegacySdkKey(FleetFixtures.NEW_ID, newKeyBytes()))).isEqualTo(data.get(Writer.LEGACY_V1));
    }

    @Test
    void rewrap_runAgain_skipsEveryBlobFromTheListingAlone_withNoOtherRequestAndNoKeyUse() throws Exception {
        BlobContainerClient setup = Fixtures.container(azurite, "rerun");
        for (Writer writer : Writer.values()) {
            writer.write(azurite, setup, writer.name(), TestData.random(10, writer.ordinal()));
        }
        setup.getBlobClient("plain").upload(BinaryData.fromString("not encrypted"));
        List<String> requests = FleetFixtures.requestLog();
        BlobContainerClient container = FleetFixtures.recorded(azurite, setup.getBlobContainerName(), requests);
        BlobFleetOperation.create(container, FleetOptions.of(FleetAction.REWRAP),
            rotation(new CountingKeys(), new CountingKeys())).run(null, r -> { });
        requests.clear();
        CountingKeys oldKeys = new CountingKeys();
        CountingKeys newKeys = new CountingKeys();
        List<FleetResult> results = new ArrayList<>();

        BlobFleetOperation.create(container, FleetOptions.of(FleetAction.REWRAP), rotation(oldKeys, newKeys))
            .run(null, results::add);

        assertThat(results).hasSize(Writer.values().length + 1).allSatisfy(r -> {
            assertThat(r.result()).isEqualTo(FleetOutcome.SKIPPED);
            assertThat(r.reason()).isEqualTo(r.object().name().equals("plain") ? "not encrypted" : "already done");
        });
        assertThat(requests).singleElement().asString().startsWith("GET /").contains("comp=list");
        assertThat(oldKeys.unwraps() + newKeys.wraps() + oldKeys.resolutions()).isZero();
    }

    @Test
    void rewrap_dryRun_writesNothing_unwrapsNothing_andReportsTheStateEachBlobWouldGet() throws Exception {
        BlobContainerClient container = Fixtures.container(azurite, "dry");
        Writer.LEGACY_V1.write(azurite, container, "v1", TestData.random(33, 1));
        Writer.CSE4J_V2_1.write(azurite, container, "v21", TestData.random(33, 2));
        Map<String, String> v1 = container.getBlobClient("v1").getProperties().getMetadata();
        CountingKeys oldKeys = new CountingKeys();
        CountingKeys newKeys = new CountingKeys();
        List<FleetResult> results = new ArrayList<>();

        BlobFleetOperation.create(container, FleetOptions.builder(FleetAction.REWRAP).dryRun(true).build(),
            rotation(oldKeys, newKeys)).run(null, results::add);

        assertThat(results).extracting(FleetResult::toJson).containsExactlyInAnyOrder(
            "{\"name\":\"v1\",\"result\":\"would-rewrap\",\"from\":{\"protocol\":\"1.0\",\"keyId\":\"local:kek1\"},"
                + "\"to\":{\"protocol\":\"1.0\",\"keyId\":\"local:kek2\"},\"reason\":null}",
            "{\"name\":\"v21\",\"result\":\"would-rewrap\",\"from\":{\"protocol\":\"2.1\",\"keyId\":\"local:kek1\"},"
                + "\"to\":{\"protocol\":\"2.1\",\"keyId\":\"local:kek2\"},\"reason\":null}");
        assertThat(container.getBlobClient("v1").getProperties().getMetadata()).isEqualTo(v1);
        assertThat(oldKeys.unwraps() + newKeys.wraps()).isZero();
        assertThat(oldKeys.resolutions(FleetFixtures.OLD_ID)).isEqualTo(1);
    }

    @Test
    void rewrap_unencryptedMalformedUnknownKeyAndChangedBlobs_areSkippedOrFailedEachWithItsClass()
        throws Exception {
        BlobContainerClient container = Fixtures.container(azurite, "mixed");
        container.getBlobClient("plain").upload(BinaryData.fromString("plain"));
        container.getBlobClient("malformed").getBlockBlobClient().uploadWithResponse(new BlockBlobSimpleUploadOptions(
            BinaryData.fromString("x")).setMetadata(Map.of("encryptiondata", "{\"not\":")), null, null);
        Fixtures.builder(container, "other-key", ClientSideEncryptionOptions.builder()
            .key(Fixtures.otherKek("local:unknown"), "A256KW")).buildEncryptedBlobClient()
            .upload(BinaryData.fromString("under a key nobody gave"));
        Writer.CSE4J_V2_0.write(azurite, container, "changed", TestData.random(20, 3));
        Writer.CSE4J_V2_0.write(azurite, container, "archived", TestData.random(20, 4));
        container.getBlobClient("archived").setAccessTier(AccessTier.ARCHIVE);
        BlobFleetOperation operation = BlobFleetOperation.create(container, FleetOptions.of(FleetAction.REWRAP),
            rotation(new CountingKeys(), new CountingKeys()));
        List<BlobRef> listed = new ArrayList<>();
        BlobListing.list(container, "").forEachRemaining(listed::add);
        Map<String, String> writers = new java.util.LinkedHashMap<>(container.getBlobClient("changed")
            .getProperties().getMetadata());
        writers.put("writer", "was here after the listing");
        container.getBlobClient("changed").setMetadata(writers);

        FleetSummary summary = new FleetSummary();
        Map<String, FleetResult> results = new java.util.HashMap<>();
        for (BlobRef ref : listed) {
            FleetResult result = operation.apply(ref);
            summary.add(result);
            results.put(ref.getName(), result);
        }

        assertThat(results.get("plain").reason()).isEqualTo("not encrypted");
        assertThat(results.get("archived").reason()).isEqualTo("archived");
        assertThat(results.get("malformed").failureClass()).isEqualTo(FailureClass.INTEGRITY);
        assertThat(results.get("malformed").reason()).startsWith("Malformed encryption metadata");
        assertThat(results.get("other-key").failureClass()).isEqualTo(FailureClass.KEY_NOT_FOUND);
        assertThat(results.get("other-key").reason()).contains("local:unknown");
        assertThat(results.get("changed").failureClass()).isEqualTo(FailureClass.OTHER);
        assertThat(results.get("changed").reason()).startsWith("modified since it was listed");
        assertThat(container.getBlobClient("changed").getProperties().getMetadata()).isEqualTo(writers);
        assertThat(summary.exitCode()).isEqualTo(3);
    }

    @Test
    void rotateClientSideEncryptionKey_oneBlob_rewrapsWithTheClientsKey_andKeepsItsMetadata() throws Exception {
        BlobContainerClient container = Fixtures.container(azurite, "one");
        byte[] data = TestData.random(5000, 9);
        Writer.MICROSOFT_V2_1.write(azurite, container, "blob", data);
        Map<String, String> user = FleetFixtures.decorate(container, "blob", null);
        byte[] stored = container.getBlobClient("blob").downloadContent().toBytes();
        EncryptedBlobClient client = Fixtures.builder(container, "blob", FleetFixtures.keys(
            FleetFixtures.oldResolver(), FleetFixtures.newKek())).buildEncryptedBlobClient();

        EncryptionData rotated = client.rotateClientSideEncryptionKey();

        assertThat(rotated.wrappedContentKey().keyId()).isEqualTo(FleetFixtures.NEW_ID);
        assertThat(container.getBlobClient("blob").downloadContent().toBytes()).isEqualTo(stored);
        assertThat(container.getBlobClient("blob").getProperties().getMetadata()).containsAllEntriesOf(user);
        assertThat(readWith(container, "blob", FleetFixtures.newKek())).isEqualTo(data);
    }

    @Test
    void rotateClientSideEncryptionKeys_containerWide_usesTheContainersOptions() throws Exception {
        BlobContainerClient plain = Fixtures.container(azurite, "wide");
        Writer.CSE4J_V2_0.write(azurite, plain, "a/1", TestData.random(10, 1));
        Writer.LEGACY_V1.write(azurite, plain, "a/2", TestData.random(10, 2));
        Writer.CSE4J_V2_0.write(azurite, plain, "b/1", TestData.random(10, 3));
        EncryptedBlobContainerClient container = new EncryptedBlobContainerClientBuilder().blobContainerClient(plain)
            .clientSideEncryptionOptions(FleetFixtures.keys(FleetFixtures.oldResolver(), FleetFixtures.newKek())
                .build()).buildEncryptedBlobContainerClient();
        List<FleetResult> results = new ArrayList<>();

        FleetSummary summary = container.rotateClientSideEncryptionKeys("a/", results::add);

        assertThat(summary.count(FleetOutcome.REWRAPPED)).isEqualTo(2);
        assertThat(results).extracting(r -> r.object().name()).containsExactlyInAnyOrder("a/1", "a/2");
        assertThat(BlobEncryptionInfo.of(plain.getBlobClient("b/1").getProperties().getMetadata(), 0).getKeyId())
            .isEqualTo(FleetFixtures.OLD_ID);
    }

    @Test
    void create_rewrapWithoutAKeyEncryptionKey_isRefused() {
        assertThatThrownBy(() -> BlobFleetOperation.create(Fixtures.service(azurite).getBlobContainerClient("x"),
            FleetOptions.of(FleetAction.REWRAP), FleetFixtures.keys(FleetFixtures.oldResolver(), null).build()))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("key(keyEncryptionKey");
    }

    private static void assertHeadersAndTierKept(BlobProperties was, BlobProperties now) {
        assertThat(now.getContentType()).isEqualTo(was.getContentType());
        assertThat(now.getContentEncoding()).isEqualTo(was.getContentEncoding());
        assertThat(now.getContentLanguage()).isEqualTo(was.getContentLanguage());
        assertThat(now.getContentDisposition()).isEqualTo(was.getContentDisposition());
        assertThat(now.getCacheControl()).isEqualTo(was.getCacheControl());
        assertThat(now.getContentMd5()).isEqualTo(was.getContentMd5());
        assertThat(now.getAccessTier()).isEqualTo(was.getAccessTier());
        assertThat(now.isAccessTierInferred()).isEqualTo(was.isAccessTierInferred());
        assertThat(now.getBlobSize()).isEqualTo(was.getBlobSize());
    }

    private static byte[] readWith(BlobContainerClient container, String name, AesKeyWrapKey key) {
        return Fixtures.builder(container, name, ClientSideEncryptionOptions.builder().key(key, "A256KW")
            .allowUnauthenticatedV1Reads(true)).buildEncryptedBlobClient().downloadContent().toBytes();
    }

    private static byte[] newKeyBytes() {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) 0x5a);
        return key;
    }
}
