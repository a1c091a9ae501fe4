package dev.cse4j.spark;

import dev.cse4j.spark.testing.SecretScan;
import dev.cse4j.spark.testing.SparkArtifacts;
import dev.cse4j.spark.testing.SparkInstallation;
import dev.cse4j.spark.testing.TestSpark;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Key material never reaches a task, a broadcast, an accumulator, the event log or the UI's data: the scan of all
 * of them finds nothing for a job that ships its key as a file (the probe job), and it does find a key put in each
 * of those places the wrong way.
 */
@ExtendWith(AzuriteExtension.class)
class SecretScanTest {
    private static ProbeFixture fixture;
    private static byte[] keyBytes;
    private static byte[] accountKey;

    @BeforeAll
    static void setUp(Azurite azurite) {
        fixture = ProbeFixture.create(azurite, "secrets", 4, SparkInstallation.workDirectory());
        Matcher k = Pattern.compile("\"k\"\\s*:\\s*\"([^\"]+)\"").matcher(fixture.key.toJson());
        assertThat(k.find()).isTrue();
        keyBytes = Base64.getUrlDecoder().decode(k.group(1));
        accountKey = Base64.getDecoder().decode(azurite.accountKey());
    }

    @Test
    void probeJob_shippingItsKeyAsAFile_leavesNoKeyMaterialInTasksBroadcastsAccumulatorsOrEventLog() {
        SparkSession.Builder builder = TestSpark.local("secrets-right").config("spark.files", fixture.files());
        SparkArtifacts artifacts = SparkArtifacts.configure(builder, "secrets-right");
        SparkSession spark = builder.getOrCreate();
        try {
            artifacts.attach(spark);
            Dataset<ProbeResult> job = ProbeJob.run(spark, fixture.spec(fixture.storageFromFile(), null),
                fixture.container, 2);
            assertThat(job.collectAsList()).extracting(ProbeResult::getResult).containsOnly("done");
            artifacts.collectWhileRunning(List.of(job));
        } finally {
            spark.stop();
        }
        artifacts.collectAfterStop();

        assertThat(artifacts.search(SecretScan.of(keyBytes))).isEmpty();
        assertThat(artifacts.search(SecretScan.of(accountKey))).isEmpty();
        // the scan sees the tasks: the key file's name, which the closure does carry, is found in a task binary
        assertThat(artifacts.search(SecretScan.of(fixture.keyFile.getFileName().toString()
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

    @ParameterizedTest
    @EnumSource(Leak.class)
    void keyPutInSparkTheWrongWay_isFoundByTheScan(Leak leak) {
        SparkSession.Builder builder = TestSpark.local("secrets-" + leak).config("spark.files", fixture.files());
        if (leak == Leak.CONFIGURATION) {
            builder.config("spark.cse4j.kek", Base64.getEncoder().encodeToString(keyBytes));
        }
        SparkArtifacts artifacts = SparkArtifacts.configure(builder, "secrets-" + leak);
        SparkSession spark = builder.getOrCreate();
        try {
            artifacts.attach(spark);
            artifacts.collectWhileRunning(List.of(runLeaking(spark, leak)));
        } finally {
            spark.stop();
        }
        artifacts.collectAfterStop();

        assertThat(artifacts.search(SecretScan.of(keyBytes)))
            .anyMatch(finding -> finding.startsWith(leak.foundIn));
    }

    private static Object runLeaking(SparkSession spark, Leak leak) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        byte[] key = keyBytes;
        String keyFile = fixture.keyFile.getFileName().toString();
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
                    seen.add(ProbeJob.ExecutorClients.keys(keyFile).single().toJson());
                    return i;
                });
                job.collect();
                return job.rdd();
            }
            case JOB_DESCRIPTION -> {
                spark.sparkContext().setJobDescription("rewrap with " + HexFormat.of().formatHex(key));
                JavaRDD<Integer> job = context.parallelize(List.of(1), 1);
                job.collect();
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
