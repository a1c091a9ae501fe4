package dev.cse4j.bench.e2e;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import dev.cse4j.blob.EncryptedBlobClientBuilder;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.KeyResolutionException;
import dev.cse4j.keys.KeyWrapAlgorithm;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fleet harness measures real work: at a small scale, every pass did every blob, the rewrapped blobs read with
 * the last key only, and the migrate part's blobs (written as 2.1 and 1.0, including 1.0 blobs of whole 4 MiB blocks
 * with one block in flight each) were migrated.
 */
@ExtendWith(AzuriteExtension.class)
class FleetHarnessTest {
    private static final int MIB = 1024 * 1024;

    @Test
    void run_smallFleet_everyPassDoesEveryBlob_andRewrappedBlobsReadWithTheLastKeyOnly(Azurite azurite) {
        FleetHarnessOptions options = FleetHarnessOptions.parse(new String[] {"--blobs", "12", "--blob-bytes", "100",
            "--migrate-mib", "13", "--sizes", "1,4,8", "--concurrency", "8", "--rounds", "2"}, Path.of("unused.md"));
        FleetHarness harness = new FleetHarness(azurite.connectionString(), 0, options);

        List<FleetHarness.Pass> passes = harness.runAll();

        // warm-up + 2 rounds, plain and cse4j, for each part; 13 MiB is 8 + 4 + 1
        assertThat(passes).hasSize(12);
        assertThat(passes).filteredOn(p -> p.part().equals("rewrap")).allSatisfy(p -> {
            assertThat(p.objects()).isEqualTo(12);
            assertThat(p.wallNanos()).isPositive();
        });
        assertThat(passes).filteredOn(p -> p.part().equals("migrate") && p.round() > 0).allSatisfy(p -> {
            assertThat(p.objects()).isEqualTo(3);
            assertThat(p.bytes()).isEqualTo(13L * MIB);
        });
        assertThat(new FleetReport(passes, options).markdown("test machine"))
            .contains("| rewrap A→B / B→A vs setMetadata | cse4j | 12 |")
            .contains("| migrate 2.1 & 1.0 → 2.0 vs download + upload | plain | 3 | 14 |");

        // three rewraps (warm-up and two rounds): A -> B -> A -> B
        BlobContainerClient rewrapped = container(azurite, FleetHarness.REWRAP_CONTAINER);
        String last = FleetHarness.smallName(11);
        assertThat(read(rewrapped, last, ClientSideEncryptionOptions.builder().key(harness.keyB,
            KeyWrapAlgorithm.A256KW).build())).isEqualTo(FleetHarness.content(11, 100));
        assertThatThrownBy(() -> read(rewrapped, last, ClientSideEncryptionOptions.builder().key(harness.keyA,
            KeyWrapAlgorithm.A256KW).build())).isInstanceOf(KeyResolutionException.class);
        // the migrate part leaves its container empty after each round
        assertThat(container(azurite, FleetHarness.MIGRATE_CONTAINER).listBlobs(new ListBlobsOptions()
            .setDetails(new BlobListDetails().setRetrieveMetadata(true)), null).stream().map(BlobItem::getName))
            .isEmpty();
    }

    private static BlobContainerClient container(Azurite azurite, String name) {
        return new BlobServiceClientBuilder().connectionString(azurite.connectionString()).buildClient()
            .getBlobContainerClient(name);
    }

    private static byte[] read(BlobContainerClient container, String name, ClientSideEncryptionOptions keys) {
        return new EncryptedBlobClientBuilder().blobClient(container.getBlobClient(name))
            .clientSideEncryptionOptions(keys).buildEncryptedBlobClient().downloadContent().toBytes();
    }
}
