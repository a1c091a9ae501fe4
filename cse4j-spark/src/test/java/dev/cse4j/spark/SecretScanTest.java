package dev.cse4j.spark;

import dev.cse4j.spark.testing.SecretScan;
import dev.cse4j.spark.testing.SparkArtifacts;
import dev.cse4j.spark.testing.SparkInstallation;
import dev.cse4j.spark.testing.TestSpark;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.keys.JsonWebKey;
import dev.cse4j.keys.JsonWebKeySet;
import dev.cse4j.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Map;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Key material never reaches a task, a broadcast, an accumulator, the event log or the UI's data: the scan of all
 * of them finds neither key nor the storage account key after the fleet job ran every operation (rewrap and
 * migrate over a container and a table at once; the keys and the connection string reach the executors as shipped
 * files), and it does find a key put in each of those places the wrong way.
 */
@ExtendWith(AzuriteExtension.class)
class SecretScanTest {
    private static FleetData data;
    private static byte[] accountKey;

    @BeforeAll
    static void setUp(Azurite azurite) {
        data = FleetData.create("secrets", azurite, SparkInstallation.workDirectory(), azurite.connectionString());
        data.fill("secrets", 1);
        data.fillTable("secretstable", 1);
        accountKey = Base64.getDecoder().decode(azurite.accountKey());
    }

    @Test
    void fleetJob_everyOperation_leavesNoKeyMaterialInTasksBroadcastsAccumulatorsOrEventLog() {
        SparkSession.Builder builder = TestSpark.local("secrets-right");
        SparkArtifacts artifacts = SparkArtifacts.configure(builder, "secrets-right");
        SparkSession spark = builder.getOrCreate();
        List<Object> ran = new ArrayList<>();
        List<String> summaries = new ArrayList<>();
        try {
            artifacts.attach(spark);
            String keys = "--key " + data.keyFile + " --connection-string-file " + data.storageFile;
            String newKey = " --new-key " + data.newKeyFile;
            // every operation once (a dry run ships the same closures as the real one: left out for time); rewrap
            // and migrate over the table too, in the same runs
            String table = " --table secretstable";
            for (String args : List.of("inventory --connection-string-file " + data.storageFile,
                "verify --allow-v1 " + keys, "rewrap " + keys + newKey + table,
                "migrate --include-unencrypted " + keys.replace(data.keyFile.toString(), data.newKeyFile.toString())
                    + newKey + table)) {
                JobCommand command = JobCommand.parse((args + " --container secrets --report "
                    + SparkInstallation.workDirectory().resolve("reports").resolve("secrets-" + System.nanoTime()))
                    .split(" "));
                FleetRun run = FleetRun.prepare(spark, command);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int code = run.execute(new PrintStream(out, true, StandardCharsets.UTF_8));
                summaries.add(code + " " + out.toString(StandardCharsets.UTF_8));
                ran.addAll(run.ran());
            }
            artifacts.collectWhileRunning(ran);
        } finally {
            spark.stop();
        }
        artifacts.collectAfterStop();

        // every operation ran (verify fails the unencrypted blob by policy: exit 5)
        assertThat(summaries).extracting(summary -> summary.substring(0, summary.indexOf(' ')))
            .containsExactly("0", "5", "0", "0");
        // blobs 5 rewrapped, 1 skipped, entities 2 rewrapped, 1 skipped; then 4 + 1 migrated, 2 + 2 skipped
        assertThat(summaries.get(2)).contains("container secrets and table secretstable: 9 objects: 7 rewrapped, "
            + "2 skipped");
        assertThat(summaries.get(3)).contains("9 objects: 5 migrated, 4 skipped");
        assertThat(artifacts.search(SecretScan.of(data.oldKeyBytes))).isEmpty();
        assertThat(artifacts.search(SecretScan.of(data.newKeyBytes))).isEmpty();
        assertThat(artifacts.search(SecretScan.of(accountKey))).isEmpty();
        // the scan sees the tasks: the key file's name, which the closures do carry, is found in task binaries
        assertThat(artifacts.search(SecretScan.of(data.keyFile.getFileName().toString()
            .getBytes(StandardCharsets.UTF_8)))).anyMatch(finding -> finding.startsWith("broadcast block"));
        assertThat(artifacts.collected().keySet()).anyMatch(where -> where.startsWith("event log"))
            .anyMatch(where -> where.startsWith("serialized partition"));
    }

    /** Ways a job could put the key where Spark records or ships it, and where the scan must find it. */
    enum Leak {
        CLOSURE("broadcast block"),
        BROADCAST("broadcast block"),
        TASK_DATA("serialized partition"),
        ACCUMULATOR("event log"),
        CONFIGURATION("event log"),
        JOB_DESCRIPTION("event log");

        final String foundIn;

        Leak(String foundIn) {
            this.foundIn = foundIn;
        }
    }

    /**
     * One session, one distinct key per way: each is found where that way puts it (a session per way would cost a
     * Spark start-up each). The scan's own check, so tag {@code large}: the job's scan above runs in every build.
     */
    @Test
    @Tag("large")
    void keysPutInSparkTheWrongWays_areEachFoundByTheScan() {
        Map<Leak, byte[]> keys = new EnumMap<>(Leak.class);
        for (Leak leak : Leak.values()) {
            keys.put(leak, TestData.random(32, 1000 + leak.ordinal()));
        }
        Path accumulatorKey = data.keyFile.resolveSibling("secrets-accumulator-leak.jwks");
        JsonWebKeySet.of(List.of(JsonWebKey.parse("{\"kty\":\"oct\",\"kid\":\"leak\",\"k\":\""
            + Base64.getUrlEncoder().withoutPadding().encodeToString(keys.get(Leak.ACCUMULATOR)) + "\"}")))
            .writeTo(accumulatorKey, true);
        SparkSession.Builder builder = TestSpark.local("secrets-wrong").config("spark.files", accumulatorKey.toString())
            .config("spark.cse4j.kek", Base64.getEncoder().encodeToString(keys.get(Leak.CONFIGURATION)));
        SparkArtifacts artifacts = SparkArtifacts.configure(builder, "secrets-wrong");
        SparkSession spark = builder.getOrCreate();
        try {
            artifacts.attach(spark);
            List<Object> jobs = new ArrayList<>();
            for (Leak leak : Leak.values()) {
                jobs.add(runLeaking(spark, leak, keys.get(leak), accumulatorKey.getFileName().toString()));
            }
            artifacts.collectWhileRunning(jobs);
        } finally {
            spark.stop();
        }
        artifacts.collectAfterStop();

        for (Leak leak : Leak.values()) {
            assertThat(artifacts.search(SecretScan.of(keys.get(leak)))).as(leak.name())
                .anyMatch(finding -> finding.startsWith(leak.foundIn));
        }
    }

    private static Object runLeaking(SparkSession spark, Leak leak, byte[] key, String keyFile) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        switch (leak) {
            case CLOSURE -> {
                Dataset<Integer> job = spark.createDataset(List.of("a", "b"), Encoders.STRING())
                    .map((MapFunction<String, Integer>) s -> s.length() + key.length, Encoders.INT());
                job.collectAsList();
                return job;
            }
            case BROADCAST -> {
                Broadcast<byte[]> shared = context.broadcast(key);
                JavaRDD<Integer> job = context.parallelize(List.of(1, 2), 2).map(i -> i + shared.value().length);
                job.collect();
                return job.rdd();
            }
            case TASK_DATA -> {
                JavaRDD<Integer> job = context.parallelize(List.of(Base64.getEncoder().encodeToString(key)), 1)
                    .map(String::length);
                job.collect();
                return job.rdd();
            }
            case ACCUMULATOR -> {
                CollectionAccumulator<String> seen = spark.sparkContext().collectionAccumulator("keys seen");
                JavaRDD<Integer> job = context.parallelize(List.of(1), 1).map(i -> {
                    // read the right way on the executor, then leaked: the JWK's JSON holds the key in base64url
                    seen.add(JsonWebKeySet.read(ShippedFiles.local(keyFile)).single().toJson());
                    return i;
                });
                job.collect();
                return job.rdd();
            }
            case JOB_DESCRIPTION -> {
                spark.sparkContext().setJobDescription("rewrap with " + HexFormat.of().formatHex(key));
                JavaRDD<Integer> job = context.parallelize(List.of(1), 1);
                job.collect();
                spark.sparkContext().setJobDescription(null);
                return job.rdd();
            }
            default -> {
                JavaRDD<Integer> job = context.parallelize(List.of(1), 1);
                job.collect();
                return job.rdd();
            }
        }
    }
}
