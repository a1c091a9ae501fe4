package dev.cse4j.blob;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import dev.cse4j.blob.FleetFixtures.Writer;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.fleet.EncryptionState;
import dev.cse4j.fleet.FailureClass;
import dev.cse4j.fleet.FleetAction;
import dev.cse4j.fleet.FleetInventory;
import dev.cse4j.fleet.FleetOptions;
import dev.cse4j.fleet.FleetOutcome;
import dev.cse4j.fleet.FleetResult;
import dev.cse4j.fleet.FleetSummary;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.CountingKeys;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Verify reads and authenticates every region of every blob: it finds a tampered blob among good ones. */
@ExtendWith(AzuriteExtension.class)
class BlobVerifyTest {
    private static BlobContainerClient container;

    @BeforeAll
    static void setUp(Azurite azurite) throws Exception {
        container = Fixtures.container(azurite, "verify");
        for (Writer writer : Writer.values()) {
            writer.write(azurite, container, writer.name(), TestData.random(5000 + writer.ordinal(), writer.ordinal()));
        }
        Writer.CSE4J_V2_1.write(azurite, container, "tampered", TestData.random(5000, 42));
        byte[] stored = container.getBlobClient("tampered").downloadContent().toBytes();
        stored[stored.length / 2] ^= 1;
        container.getBlobClient("tampered").getBlockBlobClient().uploadWithResponse(new BlockBlobSimpleUploadOptions(
            BinaryData.fromBytes(stored)).setMetadata(container.getBlobClient("tampered").getProperties()
            .getMetadata()), null, null);
        container.getBlobClient("unencrypted").upload(BinaryData.fromString("plain"));
        container.getBlobClient("malformed").getBlockBlobClient().uploadWithResponse(new BlockBlobSimpleUploadOptions(
            BinaryData.fromString("x")).setMetadata(Map.of("EncryptionData", "{\"EncryptionAgent\":")), null, null);
        Fixtures.builder(container, "unknown-key", ClientSideEncryptionOptions.builder()
            .key(Fixtures.otherKek("local:elsewhere"), "A256KW")).buildEncryptedBlobClient()
            .upload(BinaryData.fromString("secret"));
    }

    @Test
    void verify_findsTheTamperedBlobAmongGoodOnes_andReportsEachOtherProblemByItsClass() {
        CountingKeys keys = new CountingKeys();
        List<FleetResult> results = new ArrayList<>();

        FleetSummary summary = BlobFleetOperation.create(container, FleetOptions.of(FleetAction.VERIFY),
            ClientSideEncryptionOptions.builder().keyResolver(keys.resolver(FleetFixtures.oldResolver())).build())
            .run(null, results::add);

        Map<String, FleetResult> byName = FleetFixtures.byName(results);
        for (Writer writer : List.of(Writer.MICROSOFT_V2, Writer.MICROSOFT_V2_1, Writer.CSE4J_V2_0,
            Writer.CSE4J_V2_1)) {
            assertThat(byName.get(writer.name()).result()).as(writer.name()).isEqualTo(FleetOutcome.VERIFIED);
            assertThat(byName.get(writer.name()).reason()).isNull();
        }
        assertThat(byName.get("tampered").failureClass()).isEqualTo(FailureClass.INTEGRITY);
        assertThat(byName.get("tampered").reason()).contains("failed authentication");
        assertThat(byName.get(Writer.LEGACY_V1.name()).failureClass()).isEqualTo(FailureClass.POLICY);
        assertThat(byName.get("unencrypted").failureClass()).isEqualTo(FailureClass.POLICY);
        assertThat(byName.get("unknown-key").failureClass()).isEqualTo(FailureClass.KEY_NOT_FOUND);
        assertThat(byName.get("malformed").failureClass()).isEqualTo(FailureClass.INTEGRITY);
        assertThat(summary.exitCode()).isEqualTo(3);
        assertThat(summary.count(FleetOutcome.VERIFIED)).isEqualTo(4);
        assertThat(keys.unwraps()).isEqualTo(5);
    }

    @Test
    void inventory_countsProtocolsAndKeyIdsFromTheListingAlone() {
        FleetInventory inventory = BlobListing.inventory(container, null);

        assertThat(inventory.encrypted()).containsExactly(
            Map.entry(new EncryptionState("1.0", FleetFixtures.OLD_ID), 1L),
            Map.entry(new EncryptionState("2.0", "local:elsewhere"), 1L),
            Map.entry(new EncryptionState("2.0", FleetFixtures.OLD_ID), 2L),
            Map.entry(new EncryptionState("2.1", FleetFixtures.OLD_ID), 3L));
        assertThat(inventory.unencrypted()).isEqualTo(1);
        assertThat(inventory.malformed()).isEqualTo(1);
        assertThat(inventory.total()).isEqualTo(9);
    }

    @Test
    void verify_withTheV1OptIn_readsLegacyBlobs_andSaysTheyAreNotAuthenticated() {
        List<FleetResult> results = new ArrayList<>();

        BlobFleetOperation.create(container, FleetOptions.of(FleetAction.VERIFY), ClientSideEncryptionOptions
            .builder().keyResolver(FleetFixtures.oldResolver()).allowUnauthenticatedV1Reads(true).build())
            .run(Writer.LEGACY_V1.name(), results::add);

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.result()).isEqualTo(FleetOutcome.VERIFIED);
            assertThat(r.reason()).startsWith("protocol 1.0 is not authenticated");
        });
    }
}
