package dev.cse4j.spark;

import com.azure.storage.blob.BlobContainerClient;
import dev.cse4j.blob.BlobListing;
import dev.cse4j.blob.BlobRef;
import dev.cse4j.spark.testing.SparkInstallation;
import dev.cse4j.spark.testing.StandaloneCluster;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.FaultProxy;
import dev.cse4j.testing.FaultRule;
import dev.cse4j.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code spark-submit} driver of the fleet job killed mid-migration, then the same {@code spark-submit} again:
 * the rerun finishes the job, skipping what the killed run finished (the listing shows it) and migrating the rest,
 * and its report is complete. On the standalone cluster (tag {@code large}: about a minute and a half).
 */
@Tag("cluster")
@Tag("large")
@ExtendWith(AzuriteExtension.class)
class DriverRestartTest {

    @Test
    void driverKilledMidMigration_rerunSkipsFinishedBlobs_andCompletesTheReport(Azurite azurite) throws Exception {
        try (FaultProxy gate = FaultProxy.start(azurite.blobPort())) {
            FleetData data = FleetData.create("restart", azurite, SparkInstallation.workDirectory(),
                azurite.connectionStringThrough(gate));
            BlobContainerClient container = data.fill("driver-restart", 2);
            try (StandaloneCluster cluster = StandaloneCluster.start("driver-restart", 2, Map.of())) {
                Path report = cluster.directory().resolve("report");
                List<String> submit = List.of("--class", FleetJob.class.getName(), SparkInstallation.jobJar()
                    .toString(), "migrate", "--container", "driver-restart", "--key", data.keyFile.toString(),
                    "--new-key", data.newKeyFile.toString(), "--include-unencrypted", "--connection-string-file",
                    data.storageFile.toString(), "--objects-per-partition", "2", "--concurrency", "1",
                    "--report", report.toString());
                // the first 5 commits go through, the rest wait at the gate
                FaultRule held = gate.add(FaultRule.requests().method("PUT").skip(5).times(FaultRule.ALWAYS)
                    .stall());

                Process first = cluster.submit("driver-1", submit, Map.of());
                StandaloneClusterTest.awaitCondition(() -> !first.isAlive() || held.firings() >= 1
                    && migrated(container, data).size() == 5, "the first run to migrate 5 blobs");
                assertThat(first.isAlive()).as("first driver still running").isTrue();
                Set<String> doneByFirst = migrated(container, data);
                first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                assertThat(report.resolve("_SUCCESS")).doesNotExist();
                gate.resetConnections();
                gate.clear();

                Process second = cluster.submit("driver-2", submit, Map.of());
                assertThat(second.waitFor(3, TimeUnit.MINUTES)).as("second driver finished").isTrue();
                String log = Files.readString(cluster.log("driver-2"));
                assertThat(second.exitValue()).as(log).isZero();

                assertThat(log).contains("cse4j-spark migrate of container driver-restart: 12 objects: 7 migrated, "
                    + "5 skipped");
                Map<String, String> rows = new TreeMap<>();
                for (String line : JobRun.lines(report)) {
                    String name = line.substring(9, line.indexOf('"', 9));
                    assertThat(rows.put(name, line)).as("second row for " + name).isNull();
                }
                assertThat(rows.keySet()).isEqualTo(data.expected.get("driver-restart").keySet());
                doneByFirst.forEach(name -> assertThat(rows.get(name)).contains("\"result\":\"skipped\"",
                    "\"reason\":\"already done\""));
                assertThat(rows.values()).filteredOn(line -> line.contains("\"result\":\"migrated\"")).hasSize(7);
                assertThat(migrated(container, data)).isEqualTo(data.expected.get("driver-restart").keySet());
                data.expected.get("driver-restart").forEach((name, sha256) -> assertThat(TestData.sha256Hex(
                    data.reader(container, name).downloadContent().toBytes())).as(name).isEqualTo(sha256));
            }
        }
    }

    /** The blobs the listing shows migrated: protocol 2.0 under the new key. */
    private static Set<String> migrated(BlobContainerClient container, FleetData data) {
        Set<String> done = new java.util.TreeSet<>();
        BlobListing.list(container, (String) null).forEachRemaining((BlobRef ref) -> {
            var info = ref.getEncryptionInfo();
            if (info.getProtocol() != null && "2.0".equals(info.getProtocol().wireValue())
                && data.newKeyId.equals(info.getKeyId())) {
                done.add(ref.getName());
            }
        });
        return done.stream().collect(Collectors.toCollection(java.util.TreeSet::new));
    }
}
