package dev.cse4j.spark;

import com.azure.data.tables.TableClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.specialized.cryptography.EncryptionVersion;
import dev.cse4j.fleet.FleetAction;
import dev.cse4j.fleet.FleetOptions;
import dev.cse4j.keys.AesKeyWrapKey;
import dev.cse4j.spark.testing.ListeningSockets;
import dev.cse4j.spark.testing.SparkInstallation;
import dev.cse4j.spark.testing.StandaloneCluster;
import dev.cse4j.spark.testing.TaskEvents;
import dev.cse4j.spark.testing.TestSpark;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.FaultProxy;
import dev.cse4j.testing.FaultRule;
import dev.cse4j.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fleet job on a real standalone cluster (a master and two workers as separate JVMs on loopback) with the test
 * JVM as the driver: every task runs in an executor JVM that loads cse4j and the Azure SDK from the shaded job jar
 * and reads the keys and the connection string from the files the job shipped. The executors reach Azurite through
 * two proxies: one that can hold requests back (to stop the job at a known point), then one that records what
 * reached the service (tables directly). Covered here: migrate over a container and a table in one job (blobs of
 * every writer, entities of the Java 8 SDK and cse4j), sockets on loopback only, a worker killed mid-migration.
 * The worker-kill test runs last: it leaves one worker.
 */
@Tag("cluster")
@ExtendWith(AzuriteExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterTest {
    private static StandaloneCluster cluster;
    private static SparkSession spark;
    private static FleetData data;
    private static FaultProxy recorder;
    private static FaultProxy gate;

    @BeforeAll
    static void start(Azurite azurite) {
        recorder = FaultProxy.start(azurite.blobPort());
        gate = FaultProxy.start(recorder.port());
        String throughProxies = azurite.connectionStringThrough(recorder)
            .replace(":" + recorder.port() + "/", ":" + gate.port() + "/");
        data = FleetData.create("cluster", azurite, SparkInstallation.workDirectory(), throughProxies);
        long started = System.nanoTime();
        cluster = StandaloneCluster.start("cluster-test", 2, Map.of());
        long clusterUp = System.nanoTime();
        spark = TestSpark.onCluster(cluster, "cluster-test").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        System.out.printf("cse4j-spark: cluster of 2 workers up in %d ms, session with executors in %d ms%n",
            (clusterUp - started) / 1_000_000, (System.nanoTime() - clusterUp) / 1_000_000);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (gate != null) {
            gate.close();
        }
        if (recorder != null) {
            recorder.close();
        }
    }

    @Test
    @Order(1)
    void migrate_containerAndTable_onTwoWorkers_runsInExecutorJvmsFromTheJobJar_andReportsTheLibrarysLines()
        throws IOException {
        data.fill("cl-migrate", 1);
        BlobContainerClient twin = data.fill("cl-migrate-twin", 1);
        TableClient table = data.fillTable("clmigrate", 1);
        TableClient twinTable = data.fillTable("clmigratetwin", 1);

        JobRun run = job("migrate", "--container", "cl-migrate", "--table", "clmigrate", "--key",
            data.keyFile.toString(), "--new-key", data.newKeyFile.toString(), "--include-unencrypted",
            "--objects-per-partition", "1", "--listing-units", "3");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.cliLines("cl-migrate")).isEqualTo(JobRun.library(twin, FleetOptions.builder(
            FleetAction.MIGRATE).includeUnencrypted(true).build(), data.libraryKeys(true).build(), null))
            .hasSize(6).allSatisfy((name, line) -> assertThat(line).contains("\"result\":\"migrated\""));
        // the Java 8 SDK's 1.0 entity and cse4j's cse4j-t1 one become cse4j-t1 under the new key
        assertThat(run.cliLines("clmigrate")).isEqualTo(JobRun.library(twinTable, FleetOptions.of(
            FleetAction.MIGRATE), data.libraryKeys(true).build(), null)).hasSize(3);
        assertThat(run.lines()).hasSize(9).filteredOn(line -> line.contains("\"result\":\"migrated\"")).hasSize(8);
        data.expectedEntities.get("clmigrate").forEach((keys, secret) -> assertThat(data.tableReader(table)
            .getEntity(keys.split("\\|")[0], keys.split("\\|")[1]).getProperty("Secret")).as(keys).isEqualTo(secret));
        assertThat(executors(run)).hasSize(2).doesNotContain("driver");
        try (Stream<java.nio.file.Path> jars = Files.list(SparkInstallation.local().home().resolve("jars"))) {
            assertThat(jars.map(jar -> jar.getFileName().toString()))
                .as("Spark's own jars: the Azure SDK and cse4j reach executors only in the job jar")
                .noneMatch(name -> name.startsWith("azure-") || name.startsWith("cse4j-"));
        }
    }

    @Test
    @Order(2)
    void everyClusterJvmAndTheDriver_listenOnLoopbackOnly() {
        List<String> sockets = new ArrayList<>(ListeningSockets.of(ProcessHandle.current().pid()));
        cluster.processes().forEach(process -> sockets.addAll(ListeningSockets.of(process.pid())));

        assertThat(sockets).isNotEmpty().allMatch(ListeningSockets::isLoopback);
    }

    @Test
    @Order(3)
    void workerKilledMidMigration_itsTasksRunAgain_andEveryBlobIsMigratedExactlyOnce_andReadable()
        throws Exception {
        BlobContainerClient container = data.fill("cl-kill", 2);
        TaskEvents events = new TaskEvents();
        spark.sparkContext().addSparkListener(events);
        // every commit (Put Blob) waits at the gate: the job stops with tasks on both executors, nothing written
        FaultRule held = gate.add(FaultRule.requests().method("PUT").times(FaultRule.ALWAYS).stall());

        CompletableFuture<JobRun> job = CompletableFuture.supplyAsync(() -> job("migrate", "--container", "cl-kill",
            "--key", data.keyFile.toString(), "--new-key", data.newKeyFile.toString(), "--include-unencrypted",
            "--objects-per-partition", "2", "--concurrency", "2"));
        awaitCondition(() -> job.isDone() || events.executorsRunningTasks().size() == 2 && held.firings() >= 2,
            "commits held on both executors");
        assertThat(job).isNotDone();
        cluster.killWorker(1);
        // what the dead executor sent never reaches the service; the live one's held commits are cut and retried
        gate.resetConnections();
        gate.clear();
        JobRun run = job.get(3, TimeUnit.MINUTES);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        Map<String, String> results = new TreeMap<>();
        run.cliLines("cl-kill").forEach((name, line) -> results.put(name, line.contains("\"result\":\"migrated\"")
            ? "migrated" : line));
        assertThat(results.keySet()).isEqualTo(data.expected.get("cl-kill").keySet());
        assertThat(results.values()).containsOnly("migrated");
        assertThat(events.removedExecutors()).hasSize(1);
        assertThat(events.failures()).isNotEmpty().allMatch(failure -> failure.startsWith("ExecutorLostFailure"));
        assertThat(executors(run)).hasSize(1);
        Map<String, Long> commits = recorder.requests().stream()
            .filter(request -> request.startsWith("PUT /devstoreaccount1/cl-kill/"))
            .collect(Collectors.groupingBy(request -> request.substring("PUT /devstoreaccount1/cl-kill/".length()),
                TreeMap::new, Collectors.counting()));
        assertThat(commits).as("Put Blob requests that reached the service, per blob").hasSize(12)
            .allSatisfy((blob, count) -> assertThat(count).as(blob).isOne());
        data.expected.get("cl-kill").forEach((name, sha256) -> assertThat(TestData.sha256Hex(
            new com.azure.storage.blob.specialized.cryptography.EncryptedBlobClientBuilder(EncryptionVersion.V2)
                .blobClient(container.getBlobClient(name)).key(AesKeyWrapKey.of(data.newKeyId, data.newKeyBytes)
                    .asAsync(), "A256KW").buildEncryptedBlobClient().downloadContent().toBytes()))
            .as(name).isEqualTo(sha256));
        cluster.awaitAliveWorkers(1);
    }

    private static JobRun job(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--connection-string-file", data.storageFile.toString()));
        return JobRun.run(spark, SparkInstallation.workDirectory().resolve("reports"), all.toArray(String[]::new));
    }

    private static Set<String> executors(JobRun run) {
        return run.lines().stream().map(line -> line.substring(line.indexOf("\"executor\":\"") + 12))
            .map(rest -> rest.substring(0, rest.indexOf('"'))).collect(Collectors.toSet());
    }

    static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("timed out waiting for " + what).isNegative();
            Thread.sleep(20);
        }
    }
}
