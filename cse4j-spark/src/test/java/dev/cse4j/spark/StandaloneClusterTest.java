package dev.cse4j.spark;

import dev.cse4j.spark.testing.ListeningSockets;
import dev.cse4j.spark.testing.SparkInstallation;
import dev.cse4j.spark.testing.StandaloneCluster;
import dev.cse4j.spark.testing.TaskEvents;
import dev.cse4j.spark.testing.TestSpark;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * The probe job on a real standalone cluster (master and two workers as separate JVMs on loopback), with the test
 * JVM as the driver: every task runs in an executor JVM that loads cse4j and the Azure SDK from the shaded job
 * jar. The worker-kill test runs last: it leaves one worker.
 */
@Tag("cluster")
@ExtendWith(AzuriteExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterTest {
    static final String STORAGE_VARIABLE = "CSE4J_TEST_STORAGE";
    private static StandaloneCluster cluster;
    private static SparkSession spark;
    private static Azurite azurite;
    private static ProbeFixture probed;
    private static ProbeFixture killed;

    @BeforeAll
    static void start(Azurite server) {
        azurite = server;
        probed = ProbeFixture.create(server, "cluster-probe", 12, SparkInstallation.workDirectory());
        killed = ProbeFixture.create(server, "cluster-kill", 8, SparkInstallation.workDirectory());
        long started = System.nanoTime();
        cluster = StandaloneCluster.start("cluster-test", 2, Map.of(STORAGE_VARIABLE, server.connectionString()));
        long clusterUp = System.nanoTime();
        // the key files travel as spark-submit --files would ship them: named in spark.files at startup
        spark = TestSpark.onCluster(cluster, "cluster-test")
            .config("spark.files", probed.keyFile + "," + killed.keyFile).getOrCreate();
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
    }

    @Test
    @Order(1)
    void probe_onStandaloneCluster_runsEveryTaskInExecutorJvms_withTheAzureSdkFromTheJobJar() throws IOException {
        ProbeFixture fixture = probed;

        long started = System.nanoTime();
        List<ProbeResult> results = ProbeJob.run(spark, fixture.spec("env:" + STORAGE_VARIABLE, null),
            fixture.container, 4).collectAsList();
        System.out.printf("cse4j-spark: probe of %d blobs on 2 workers in %d ms%n", results.size(),
            (System.nanoTime() - started) / 1_000_000);

        assertThat(results).allSatisfy(result -> assertThat(result.getResult()).as(result.toString())
            .isEqualTo("done"));
        assertThat(results.stream().collect(Collectors.toMap(ProbeResult::getName, ProbeResult::getSha256)))
            .isEqualTo(fixture.expected);
        printTrivialJobTime(2);
        Set<Long> executorPids = results.stream().map(ProbeResult::getPid).collect(Collectors.toSet());
        assertThat(executorPids).hasSize(2).doesNotContain(ProcessHandle.current().pid());
        assertThat(cluster.processes()).extracting(ProcessHandle::pid).containsAll(executorPids);
        try (Stream<java.nio.file.Path> jars = Files.list(SparkInstallation.local().home().resolve("jars"))) {
            assertThat(jars.map(jar -> jar.getFileName().toString()))
                .as("Spark's own jars: the Azure SDK and cse4j reach executors only in the job jar")
                .noneMatch(name -> name.startsWith("azure-") || name.startsWith("cse4j-"));
        }
    }

    @Test
    @Order(2)
    void everyClusterJvmAndTheDriver_listenOnLoopbackOnly() {
        List<String> sockets = new java.util.ArrayList<>(ListeningSockets.of(ProcessHandle.current().pid()));
        cluster.processes().forEach(process -> sockets.addAll(ListeningSockets.of(process.pid())));

        assertThat(sockets).isNotEmpty().allMatch(ListeningSockets::isLoopback);
    }

    @Test
    @Order(3)
    void workerKilledMidJob_itsTasksAreRescheduled_andEveryBlobIsDoneExactlyOnce() throws Exception {
        ProbeFixture fixture = killed;
        TaskEvents events = new TaskEvents();
        spark.sparkContext().addSparkListener(events);
        String gate = "gate";

        CompletableFuture<List<ProbeResult>> job = CompletableFuture.supplyAsync(() ->
            ProbeJob.run(spark, fixture.spec("env:" + STORAGE_VARIABLE, gate), fixture.container, 4)
                .collectAsList());
        awaitCondition(() -> job.isDone() || events.executorsRunningTasks().size() == 2,
            "tasks running on both executors");
        assertThat(job).isNotDone();
        cluster.killWorker(1);
        fixture.container.getBlobClient(gate).upload(com.azure.core.util.BinaryData.fromString("open"));
        List<ProbeResult> results = job.get(3, TimeUnit.MINUTES);

        assertThat(results.stream().map(ProbeResult::getName).toList())
            .containsExactlyInAnyOrderElementsOf(fixture.expected.keySet());
        assertThat(results).allSatisfy(result -> assertThat(result.getResult()).as(result.toString())
            .isEqualTo("done"));
        assertThat(results).extracting(ProbeResult::getPid).containsOnly(results.get(0).getPid());
        assertThat(results).anySatisfy(result -> assertThat(result.getAttempt()).isPositive());
        assertThat(events.removedExecutors()).hasSize(1);
        assertThat(events.failures()).isNotEmpty().allMatch(failure -> failure.startsWith("ExecutorLostFailure"));
        fixture.expected.keySet().forEach(name -> assertThat(fixture.container.getBlobClient(name).getProperties()
            .getMetadata()).containsEntry(ProbeJob.DONE_KEY, ProbeJob.DONE_VALUE));
        cluster.awaitAliveWorkers(1);
        printTrivialJobTime(1);
    }

    /** A figure for the report (no assertion): a 4-task count on the executors left, best of three. */
    private static void printTrivialJobTime(int workers) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long started = System.nanoTime();
            assertThat(spark.range(0, 1000, 1, 4).count()).isEqualTo(1000);
            best = Math.min(best, System.nanoTime() - started);
        }
        System.out.printf("cse4j-spark: trivial 4-task job on %d worker(s): %d ms%n", workers, best / 1_000_000);
    }

    static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("timed out waiting for " + what).isNegative();
            Thread.sleep(20);
        }
    }
}
