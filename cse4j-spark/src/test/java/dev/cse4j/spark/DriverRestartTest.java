package dev.cse4j.spark;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import dev.cse4j.spark.testing.SparkInstallation;
import dev.cse4j.spark.testing.StandaloneCluster;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A driver killed mid-job, then the same {@code spark-submit} again: the rerun finishes the job, skipping what the
 * killed run finished (the objects say so) and doing the rest, and its report is complete.
 */
@Tag("cluster")
@ExtendWith(AzuriteExtension.class)
class DriverRestartTest {
    private static final Pattern ROW = Pattern.compile("\"name\":\"([^\"]+)\".*\"result\":\"([^\"]+)\"");

    @Test
    void driverKilledMidJob_rerunSkipsFinishedObjects_andCompletesTheReport(Azurite azurite) throws Exception {
        ProbeFixture fixture = ProbeFixture.create(azurite, "driver-restart", 8, SparkInstallation.workDirectory());
        Map<String, String> storage = Map.of(StandaloneClusterTest.STORAGE_VARIABLE, azurite.connectionString());
        try (StandaloneCluster cluster = StandaloneCluster.start("driver-restart", 2, storage)) {
            Path report = cluster.directory().resolve("report");
            List<String> submit = List.of("--class", ProbeDriver.class.getName(),
                "--files", fixture.keyFile.toString(), "--jars", SparkInstallation.testJar().toString(),
                SparkInstallation.jobJar().toString(), fixture.container.getBlobContainerName(),
                fixture.keyFile.getFileName().toString(), StandaloneClusterTest.STORAGE_VARIABLE, "gate",
                // partitions 0 and 1 (4 blobs) run through, 2 and 3 wait for the gate
                "2", report.toString(), "4");

            Process first = cluster.submit("driver-1", submit, storage);
            StandaloneClusterTest.awaitCondition(() -> !first.isAlive() || done(fixture).size() == 4,
                "the first run to finish partitions 0 and 1");
            assertThat(first.isAlive()).as("first driver still running").isTrue();
            Set<String> doneByFirst = done(fixture);
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertThat(report.resolve("_SUCCESS")).doesNotExist();

            fixture.container.getBlobClient("gate").upload(BinaryData.fromString("open"));
            Process second = cluster.submit("driver-2", submit, storage);
            assertThat(second.waitFor(3, TimeUnit.MINUTES)).as("second driver finished").isTrue();
            String log = Files.readString(cluster.log("driver-2"));
            assertThat(second.exitValue()).as(log).isZero();

            assertThat(log).contains("probe: 8 objects, 4 done, 4 skipped, 0 failed");
            Map<String, String> rows = reportRows(report);
            assertThat(rows.keySet()).isEqualTo(fixture.expected.keySet());
            doneByFirst.forEach(name -> assertThat(rows).containsEntry(name, "skipped"));
            assertThat(rows.values()).filteredOn("done"::equals).hasSize(4);
            assertThat(done(fixture)).isEqualTo(fixture.expected.keySet());
        }
    }

    /** The blobs marked done, from one listing with metadata (as the fleet operations will see progress). */
    private static Set<String> done(ProbeFixture fixture) {
        return fixture.container.listBlobs(new ListBlobsOptions().setDetails(new BlobListDetails()
                .setRetrieveMetadata(true)), null).stream()
            .filter(item -> item.getMetadata() != null
                && ProbeJob.DONE_VALUE.equals(item.getMetadata().get(ProbeJob.DONE_KEY)))
            .map(item -> item.getName()).collect(Collectors.toSet());
    }

    private static Map<String, String> reportRows(Path report) throws IOException {
        Map<String, String> rows = new TreeMap<>();
        try (Stream<Path> files = Files.list(report)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    Matcher row = ROW.matcher(line);
                    assertThat(row.find()).as(line).isTrue();
                    assertThat(rows.put(row.group(1), row.group(2))).as("second row for " + row.group(1)).isNull();
                }
            }
        }
        return rows;
    }
}
