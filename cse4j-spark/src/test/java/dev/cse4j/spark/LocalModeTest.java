package dev.cse4j.spark;

import dev.cse4j.spark.testing.SparkInstallation;
import dev.cse4j.spark.testing.TestSpark;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** The probe job on {@code local[2]}: tasks on two threads of the test JVM, against Azurite. */
@ExtendWith(AzuriteExtension.class)
class LocalModeTest {
    private static Azurite azurite;
    private static SparkSession spark;
    private static ProbeFixture fixture;

    @BeforeAll
    static void start(Azurite server) {
        azurite = server;
        fixture = ProbeFixture.create(server, "local-mode", 12, SparkInstallation.workDirectory());
        spark = TestSpark.local("local-mode").config("spark.files", fixture.files()).getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void probe_onLocalMode_readsEveryBlobOnTaskThreadsOfThisJvm_andMarksItDone() {
        List<ProbeResult> results = ProbeJob.run(spark, fixture.spec(fixture.storageFromFile(), null),
            fixture.container, 3).collectAsList();

        assertThat(results).allSatisfy(result -> {
            assertThat(result.getResult()).as(result.toString()).isEqualTo("done");
            assertThat(result.getExecutor()).isEqualTo("driver");
            assertThat(result.getPid()).isEqualTo(ProcessHandle.current().pid());
        });
        assertThat(results.stream().collect(Collectors.toMap(ProbeResult::getName, ProbeResult::getSha256)))
            .isEqualTo(fixture.expected);
        assertThat(fixture.container.getBlobClient(results.get(0).getName()).getProperties().getMetadata())
            .containsEntry(ProbeJob.DONE_KEY, ProbeJob.DONE_VALUE);

        List<ProbeResult> rerun = ProbeJob.run(spark, fixture.spec(fixture.storageFromFile(), null),
            fixture.container, 3).collectAsList();
        assertThat(rerun).hasSize(fixture.expected.size()).allSatisfy(result -> {
            assertThat(result.getResult()).isEqualTo("skipped");
            assertThat(result.getReason()).isEqualTo("already done");
        });
    }

    @Test
    void report_asJsonLines_readsBackAsTheSameRows() throws IOException {
        assertReportRoundTrip(ReportFormat.JSON, ".json");
    }

    @Test
    void report_asParquet_writesParquetFilesWithoutNativeHadoop_andReadsBackAsTheSameRows() throws IOException {
        Path directory = assertReportRoundTrip(ReportFormat.PARQUET, ".parquet");

        try (Stream<Path> files = Files.list(directory)) {
            Path part = files.filter(file -> file.getFileName().toString().endsWith(".parquet")).findFirst()
                .orElseThrow();
            byte[] bytes = Files.readAllBytes(part);
            assertThat(new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PAR1");
        }
    }

    private static Path assertReportRoundTrip(ReportFormat format, String extension) throws IOException {
        Dataset<Row> report = spark.createDataset(List.of(
            new ProbeResult("a/é ü", "done", null, "00ff", 1, "1", 42, 0, 7),
            new ProbeResult("b", "failed", "IntegrityException: region 2", null, 0, "2", 43, 1, 9)),
            Encoders.bean(ProbeResult.class)).toDF();
        Path directory = SparkInstallation.workDirectory().resolve("reports")
            .resolve(format.name().toLowerCase(java.util.Locale.ROOT) + "-" + System.nanoTime());

        format.write(report, directory.toString());
        format.write(report, directory.toString());

        assertThat(directory.resolve("_SUCCESS")).exists();
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                .anySatisfy(name -> assertThat(name).startsWith("part-").endsWith(extension));
        }
        Dataset<Row> read = spark.read().format(format.name().toLowerCase(java.util.Locale.ROOT))
            .schema(report.schema()).load(directory.toString());
        Map<String, String> expected = rows(report);
        assertThat(rows(read)).isEqualTo(expected);
        return directory;
    }

    private static Map<String, String> rows(Dataset<Row> rows) {
        return rows.collectAsList().stream()
            .collect(Collectors.toMap(row -> row.getAs("name"), Row::toString));
    }
}
