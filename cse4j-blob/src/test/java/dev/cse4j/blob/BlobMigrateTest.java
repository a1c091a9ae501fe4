package dev.cse4j.blob;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.AccessTier;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.specialized.cryptography.EncryptionVersion;
import dev.cse4j.blob.FleetFixtures.Stored;
import dev.cse4j.blob.FleetFixtures.Writer;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.fleet.EncryptionState;
import dev.cse4j.fleet.FailureClass;
import dev.cse4j.fleet.FleetAction;
import dev.cse4j.fleet.FleetOptions;
import dev.cse4j.fleet.FleetOutcome;
import dev.cse4j.fleet.FleetResult;
import dev.cse4j.fleet.FleetSummary;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.CountingKeys;
import dev.cse4j.testing.FaultProxy;
import dev.cse4j.testing.FaultRule;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Migrating blobs of Microsoft's 12.32.1 client (2.1), the legacy 8.6.6 SDK (1.0) and cse4j (2.1) to protocol 2.0:
 * Microsoft's client reads the result; user metadata, tags, content headers and tier are kept; a concurrent writer
 * is never overwritten; a rerun finishes from the listing alone.
 */
@ExtendWith(AzuriteExtension.class)
class BlobMigrateTest {
    private static final int MIB = 1024 * 1024;
    private static Azurite azurite;

    @BeforeAll
    static void setUp(Azurite server) {
        azurite = server;
    }

    @Test
    void migrate_withoutNewKey_blobsOfEveryWriterBecome20UnderTheirOwnKey_readByMicrosoft_withEverythingKept()
        throws Exception {
        BlobContainerClient container = Fixtures.container(azurite, "migrate");
        Map<String, byte[]> data = new LinkedHashMap<>();
        Map<String, Stored> before = new LinkedHashMap<>();
        for (Writer writer : Writer.values()) {
            String name = writer.name();
            data.put(name, TestData.random(1000 + writer.ordinal(), writer.ordinal()));
            writer.write(azurite, container, name, data.get(name));
            FleetFixtures.decorate(container, name, writer == Writer.MICROSOFT_V2_1 ? AccessTier.COOL : null);
            before.put(name, FleetFixtures.stored(container, name));
        }
        data.put("large-v1", TestData.random(9 * MIB + 5, 77));
        Writer.LEGACY_V1.write(azurite, container, "large-v1", data.get("large-v1"));
        CountingKeys oldKeys = new CountingKeys();
        List<FleetResult> results = new ArrayList<>();

        FleetSummary summary = BlobFleetOperation.create(container, FleetOptions.of(FleetAction.MIGRATE),
            FleetFixtures.keys(oldKeys.resolver(FleetFixtures.oldResolver()), null).build()).run(null, results::add);

        Map<String, FleetResult> byName = FleetFixtures.byName(results);
        assertThat(summary.exitCode()).as("%s", results).isZero();
        assertThat(summary.count(FleetOutcome.MIGRATED)).isEqualTo(4);
        for (Writer done : List.of(Writer.MICROSOFT_V2, Writer.CSE4J_V2_0)) {
            assertThat(byName.get(done.name()).reason()).isEqualTo("already done");
            assertThat(FleetFixtures.stored(container, done.name()).bytes())
                .isEqualTo(before.get(done.name()).bytes());
        }
        for (String name : List.of("MICROSOFT_V2_1", "LEGACY_V1", "CSE4J_V2_1", "large-v1")) {
            FleetResult result = byName.get(name);
            assertThat(result.result()).as(name).isEqualTo(FleetOutcome.MIGRATED);
            assertThat(result.to()).isEqualTo(new EncryptionState("2.0", FleetFixtures.OLD_ID));
            EncryptionData stored = BlobEncryptionInfo.of(container.getBlobClient(name).getProperties()
                .getMetadata(), 0).getEncryptionData();
            assertThat(stored.protocol()).isEqualTo(EncryptionProtocol.V2_0);
            assertThat(stored.wrappedContentKey().algorithm()).isEqualTo("A256KW");
            assertThat(Peers.microsoft(azurite, container, name, EncryptionVersion.V2, 16).downloadContent()
                .toBytes()).as("Microsoft reads %s", name).isEqualTo(data.get(name));
        }
        for (String name : List.of("MICROSOFT_V2_1", "LEGACY_V1", "CSE4J_V2_1")) {
            assertKept(before.get(name), FleetFixtures.stored(container, name));
        }
        assertThat(oldKeys.unwraps()).isEqualTo(4);
        assertThat(oldKeys.wraps()).isEqualTo(4);
        assertThat(oldKeys.resolutions(FleetFixtures.OLD_ID)).isEqualTo(1);
    }

    @Test
    void migrate_withNewKeyAndIncludeUnencrypted_reencryptsEverythingUnderTheNewKey_andARerunSkipsItAll()
        throws Exception {
        BlobContainerClient setup = Fixtures.container(azurite, "newkey");
        Writer.CSE4J_V2_0.write(azurite, setup, "old-key-20", TestData.random(300, 1));
        Writer.LEGACY_V1.write(azurite, setup, "v1", TestData.random(0, 2));
        setup.getBlobClient("plain").upload(BinaryData.fromBytes(TestData.random(1, 3)));
        List<String> requests = FleetFixtures.requestLog();
        BlobContainerClient container = FleetFixtures.recorded(azurite, setup.getBlobContainerName(), requests);
        CountingKeys oldKeys = new CountingKeys();
        CountingKeys newKeys = new CountingKeys();
        FleetOptions options = FleetOptions.builder(FleetAction.MIGRATE).includeUnencrypted(true).build();
        List<FleetResult> results = new ArrayList<>();

        BlobFleetOperation.create(container, options, FleetFixtures.keys(oldKeys.resolver(
            FleetFixtures.oldResolver()), newKeys.key(FleetFixtures.newKek())).build()).run(null, results::add);

        assertThat(results).hasSize(3).allSatisfy(r -> {
            assertThat(r.result()).as(r.toJson()).isEqualTo(FleetOutcome.MIGRATED);
            assertThat(r.to()).isEqualTo(new EncryptionState("2.0", FleetFixtures.NEW_ID));
        });
        assertThat(FleetFixtures.byName(results).get("plain").from()).isEqualTo(EncryptionState.NONE);
        assertThat(oldKeys.unwraps()).isEqualTo(2);
        assertThat(newKeys.wraps()).isEqualTo(3);
        assertThat(newKeys.unwraps()).isZero();
        for (String name : List.of("old-key-20", "v1", "plain")) {
            assertThat(Peers.microsoft(azurite, container, name, EncryptionVersion.V2, 16, FleetFixtures.newKek())
                .downloadContent().toBytes()).isEqualTo(FleetFixtures.stored(setup, name).bytes().length == 0
                ? new byte[0] : readWithNewKey(container, name));
        }

        requests.clear();
        List<FleetResult> again = new ArrayList<>();
        BlobFleetOperation.create(container, options, FleetFixtures.keys(FleetFixtures.oldResolver(),
            FleetFixtures.newKek()).build()).run(null, again::add);

        assertThat(again).extracting(FleetResult::reason).containsOnly("already done");
        assertThat(requests).singleElement().asString().contains("comp=list");
    }

    @Test
    void migrate_writerReplacesTheBlobWhileItsMigrationWaitsToCommit_keepsTheWritersData_andReportsFailed()
        throws Exception {
        BlobContainerClient direct = Fixtures.container(azurite, "race");
        byte[] original = TestData.random(500, 5);
        Writer.CSE4J_V2_1.write(azurite, direct, "victim", original);
        try (FaultProxy proxy = FaultProxy.start(azurite.blobPort())) {
            BlobContainerClient proxied = new BlobServiceClientBuilder().connectionString(azurite
                .connectionStringThrough(proxy)).buildClient().getBlobContainerClient(direct.getBlobContainerName());
            FaultRule commit = proxy.add(FaultRule.requests().method("PUT")
                .targetMatching("/victim($|\\?comp=blocklist)").stall());
            BlobFleetOperation operation = BlobFleetOperation.create(proxied, FleetOptions.of(FleetAction.MIGRATE),
                FleetFixtures.keys(FleetFixtures.oldResolver(), null).build());
            BlobRef listed = BlobListing.named(proxied, "victim").next();

            CompletableFuture<FleetResult> migration = CompletableFuture.supplyAsync(() -> operation.apply(listed));
            awaitFiring(commit);
            byte[] writers = TestData.random(700, 6);
            Fixtures.encrypted(direct, "victim").upload(BinaryData.fromBytes(writers), true);
            proxy.releaseStalls();
            FleetResult result = migration.get(60, TimeUnit.SECONDS);

            assertThat(result.result()).isEqualTo(FleetOutcome.FAILED);
            assertThat(result.failureClass()).isEqualTo(FailureClass.OTHER);
            assertThat(result.reason()).startsWith("modified since it was listed");
            assertThat(Fixtures.encrypted(direct, "victim").downloadContent().toBytes()).isEqualTo(writers);
        }
    }

    @Test
    void migrate_dryRun_changesNothing_andReportsWhatEachBlobWouldBecome() throws Exception {
        BlobContainerClient container = Fixtures.container(azurite, "drymigrate");
        Writer.MICROSOFT_V2_1.write(azurite, container, "v21", TestData.random(40, 1));
        container.getBlobClient("plain").upload(BinaryData.fromString("plain"));
        Stored before = FleetFixtures.stored(container, "v21");
        CountingKeys oldKeys = new CountingKeys();
        List<FleetResult> results = new ArrayList<>();

        BlobFleetOperation.create(container, FleetOptions.builder(FleetAction.MIGRATE).dryRun(true).build(),
            FleetFixtures.keys(oldKeys.resolver(FleetFixtures.oldResolver()), null).build()).run("", results::add);

        assertThat(results).extracting(FleetResult::toJson).containsExactlyInAnyOrder(
            "{\"name\":\"plain\",\"result\":\"skipped\",\"from\":{\"protocol\":null,\"keyId\":null},\"reason\":"
                + "\"not encrypted\"}",
            "{\"name\":\"v21\",\"result\":\"would-migrate\",\"from\":{\"protocol\":\"2.1\",\"keyId\":\"local:kek1\"},"
                + "\"to\":{\"protocol\":\"2.0\",\"keyId\":\"local:kek1\"},\"reason\":null}");
        assertThat(FleetFixtures.stored(container, "v21").bytes()).isEqualTo(before.bytes());
        assertThat(oldKeys.unwraps() + oldKeys.wraps()).isZero();
    }

    @Test
    void migrate_archivedAndPageBlobs_areSkippedWithTheirReasons() throws Exception {
        BlobContainerClient container = Fixtures.container(azurite, "skips");
        Writer.LEGACY_V1.write(azurite, container, "archived", TestData.random(40, 1));
        container.getBlobClient("archived").setAccessTier(AccessTier.ARCHIVE);
        Map<String, String> v1 = container.getBlobClient("archived").getProperties().getMetadata();
        container.getBlobClient("page").getPageBlobClient().create(512);
        container.getBlobClient("page").setMetadata(v1);
        List<FleetResult> results = new ArrayList<>();

        BlobFleetOperation.create(container, FleetOptions.of(FleetAction.MIGRATE), FleetFixtures.keys(
            FleetFixtures.oldResolver(), null).build()).run(null, results::add);

        assertThat(results).extracting(FleetResult::reason).containsExactlyInAnyOrder("archived", "not a block blob");
    }

    private static void assertKept(Stored was, Stored now) {
        assertThat(userMetadata(now)).isEqualTo(userMetadata(was));
        assertThat(now.tags()).isEqualTo(was.tags());
        BlobProperties a = was.properties();
        BlobProperties b = now.properties();
        assertThat(b.getContentType()).isEqualTo(a.getContentType());
        assertThat(b.getContentEncoding()).isEqualTo(a.getContentEncoding());
        assertThat(b.getContentLanguage()).isEqualTo(a.getContentLanguage());
        assertThat(b.getContentDisposition()).isEqualTo(a.getContentDisposition());
        assertThat(b.getCacheControl()).isEqualTo(a.getCacheControl());
        assertThat(b.getAccessTier()).isEqualTo(a.getAccessTier());
        assertThat(b.isAccessTierInferred()).isEqualTo(a.isAccessTierInferred());
        if (b.getContentMd5() != null) {
            assertThat(b.getContentMd5()).isNotEqualTo(a.getContentMd5());
        }
    }

    /** The metadata without the entries cse4j owns. */
    private static Map<String, String> userMetadata(Stored stored) {
        Map<String, String> user = new LinkedHashMap<>(stored.metadata());
        user.remove("encryptiondata");
        user.remove("cse4jintegrity");
        return user;
    }

    private static byte[] readWithNewKey(BlobContainerClient container, String name) {
        return Fixtures.builder(container, name, dev.cse4j.core.ClientSideEncryptionOptions.builder()
            .key(FleetFixtures.newKek(), "A256KW")).buildEncryptedBlobClient().downloadContent().toBytes();
    }

    private static void awaitFiring(FaultRule rule) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (rule.firings() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(rule.firings()).as("the commit was held").isEqualTo(1);
    }
}
