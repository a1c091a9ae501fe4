package dev.cse4j.spark;

import com.azure.storage.blob.BlobContainerClient;
import dev.cse4j.spark.testing.SparkInstallation;
import dev.cse4j.spark.testing.StandaloneCluster;
import dev.cse4j.spark.testing.TestSpark;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.TestData;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The closing note's figures (issue 12): objects/s and MB/s of {@code migrate} and {@code verify} by the packaged
 * CLI ({@code bin/cse4j}, one JVM) and by the fleet job on a standalone cluster of one and of two workers (one
 * single-core executor each, the test JVM as the driver), on identical containers of the same Azurite in the same
 * run, with the CPU that Azurite and the whole machine used meanwhile. Each job session first verifies a smaller
 * container (its row shows what the executors' start costs), then the measured ones. Executors and the CLI run
 * with the JVM's default JIT (the tests' C1-only executor options would slow the crypto): the table lists each
 * JVM's options from its command line. It also checks that each run's results are the CLI's, line for line. Not in any default run: tags {@code cluster} and {@code bench}, run by
 * {@code -Dgroups=bench} (see the README); sizes by {@code -Dcse4j.bench.blobs} (default 600) and
 * {@code -Dcse4j.bench.blobSize} (bytes, default 262144). Prints a Markdown table and writes it to
 * {@code target/spark/bench/fleet-throughput.md}. It asserts outcomes only, never a speed.
 */
@Tag("cluster")
@Tag("bench")
@ExtendWith(AzuriteExtension.class)
class FleetThroughputTest {
    private static final int BLOBS = Integer.getInteger("cse4j.bench.blobs", 600);
    private static final int BLOB_SIZE = Integer.getInteger("cse4j.bench.blobSize", 256 * 1024);
    private static final int CONCURRENCY = Integer.getInteger("cse4j.bench.concurrency", 8);
    private static final String[] RUNNERS = {"cli", "job-1w", "job-2w"};
    /** Blobs of the warm-up container each job session verifies first. */
    private static final int WARM_UP_BLOBS = Math.max(1, BLOBS / 4);

    private FleetData data;
    private String connectionString;
    private int blobPort;
    private String loadBefore;
    private final List<String> rows = new ArrayList<>();
    /** What the JVMs that did the work ran with, as their command lines show. */
    private final List<String> jvms = new ArrayList<>();
    private final Map<String, Map<String, String>> results = new TreeMap<>();

    @Test
    void migrateAndVerify_cliThenJobOnOneThenTwoWorkers_sameDataSameRun_sameResultsAsTheCli(Azurite azurite)
        throws Exception {
        loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments()).as("the driver's JVM options")
            .noneMatch(option -> option.contains("TieredStopAtLevel"));
        connectionString = azurite.connectionString();
        blobPort = azurite.blobPort();
        data = FleetData.create("bench", azurite, SparkInstallation.workDirectory(), connectionString);
        long started = System.nanoTime();
        for (String runner : RUNNERS) {
            fill("bv-" + runner, BLOBS);
            fill("bm-" + runner, BLOBS);
            if (!runner.equals("cli")) {
                fill("bw-" + runner, WARM_UP_BLOBS);
            }
        }
        System.out.printf("cse4j-spark bench: wrote %d containers of %d blobs of %d bytes in %d s%n",
            RUNNERS.length * 2, BLOBS, BLOB_SIZE, (System.nanoTime() - started) / 1_000_000_000);

        measure("cli", "verify", () -> cli("verify", "bv-cli"));
        measure("cli", "migrate", () -> cli("migrate", "bm-cli"));
        for (int workers = 1; workers <= 2; workers++) {
            String runner = "job-" + workers + "w";
            try (StandaloneCluster cluster = StandaloneCluster.start("bench-" + workers, workers, Map.of())) {
                // the executors with the JVM's defaults (both JIT compilers), not the tests' C1-only options
                SparkSession spark = TestSpark.onCluster(cluster, "bench-" + workers)
                    .config("spark.executor.extraJavaOptions", TestSpark.MEASURED_EXECUTOR_JAVA_OPTIONS).getOrCreate();
                spark.sparkContext().setLogLevel("WARN");
                try {
                    // the session's first job pays the executors' start: the jar fetched, classes loaded, code
                    // compiled (measured apart); a long job on a real cluster runs at the rate of the jobs after it
                    measure(runner + "-first", "verify", () -> job(spark, "verify", "bw-" + runner));
                    measure(runner, "verify", () -> job(spark, "verify", "bv-" + runner));
                    List<String> executors = cluster.processes().stream().map(process -> process.info().commandLine()
                        .orElse("")).filter(line -> line.contains("CoarseGrainedExecutorBackend")).toList();
                    assertThat(executors).as("executor JVMs of " + runner).hasSize(workers)
                        .allSatisfy(line -> assertThat(line).doesNotContain("TieredStopAtLevel", "UseSerialGC"));
                    jvms.add(label(runner) + ": executors' -X options: " + String.join(" ", java.util.Arrays.stream(
                        executors.get(0).split(" ")).filter(option -> option.startsWith("-X")).toList()));
                    measure(runner, "migrate", () -> job(spark, "migrate", "bm-" + runner));
                } finally {
                    spark.stop();
                }
            }
        }

        String table = table(azurite);
        System.out.println(table);
        Path out = Files.createDirectories(SparkInstallation.workDirectory().resolve("bench"))
            .resolve("fleet-throughput.md");
        Files.writeString(out, table, StandardCharsets.UTF_8);
        for (String operation : List.of("verify", "migrate")) {
            Map<String, String> cli = results.get("cli " + operation);
            assertThat(cli).hasSize(BLOBS);
            assertThat(results.get("job-1w " + operation)).as(operation + " on one worker").isEqualTo(cli);
            assertThat(results.get("job-2w " + operation)).as(operation + " on two workers").isEqualTo(cli);
        }
        assertThat(results.get("cli migrate").values()).allMatch(line -> line.contains("\"result\":\"migrated\""));
        for (String first : List.of("job-1w-first verify", "job-2w-first verify")) {
            assertThat(results.get(first).values()).as(first).hasSize(WARM_UP_BLOBS)
                .allMatch(line -> line.contains("\"result\":\"verified\""));
        }
    }

    /** Writes {@code count} blobs of protocol 2.1 under the old key: 8 directories, so the job splits the listing. */
    private void fill(String name, int count) throws Exception {
        BlobContainerClient container = data.container(name);
        container.create();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                writes.add(pool.submit(() -> data.write(container, FleetData.Writer.CSE4J_V2_1,
                    "d" + (n % 8) + "/blob-" + n, TestData.random(BLOB_SIZE, n))));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** What one run printed: its CLI lines by blob name, the container's name replaced. */
    private interface Run {
        Map<String, String> lines() throws Exception;
    }

    private void measure(String runner, String operation, Run run) throws Exception {
        ProcessHandle azurite = azuriteProcess(blobPort);
        Duration azuriteBefore = azurite.info().totalCpuDuration().orElse(Duration.ZERO);
        long[] machineBefore = machineJiffies();
        long start = System.nanoTime();
        Map<String, String> lines = run.lines();
        long nanos = System.nanoTime() - start;
        Duration azuriteCpu = azurite.info().totalCpuDuration().orElse(Duration.ZERO).minus(azuriteBefore);
        long[] machineAfter = machineJiffies();
        double busy = (double) (machineAfter[0] - machineBefore[0]) / Math.max(1, machineAfter[1] - machineBefore[1]);
        results.put(runner + " " + operation, lines);
        double seconds = nanos / 1e9;
        double megabytes = (double) lines.size() * BLOB_SIZE / 1e6;
        rows.add(String.format(Locale.ROOT, "| %s | %s | %d | %.1f | %.1f | %.0f | %.1f | %.0f %% | %.0f %% |",
            operation, label(runner), lines.size(), megabytes, seconds, lines.size() / seconds, megabytes / seconds,
            100.0 * azuriteCpu.toNanos() / nanos, 100.0 * busy));
    }

    private String table(Azurite azurite) throws IOException {
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "Fleet throughput, %s UTC: %d blobs of %d bytes (protocol 2.1, "
            + "cse4j-written), --concurrency %d, Azurite %s on this machine (%d cores, %s, %s; load average before "
            + "the runs %s).%n%n", Instant.now().toString().substring(0, 16), BLOBS, BLOB_SIZE, CONCURRENCY, azurite,
            Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"), cpuModel(), loadBefore));
        table.append("| operation | runner | objects | MB | s | objects/s | MB/s | Azurite CPU (of one core) | "
            + "machine CPU (of all cores) |\n|---|---|---|---|---|---|---|---|---|\n");
        rows.forEach(row -> table.append(row).append('\n'));
        table.append("\nJVMs (none with -XX:TieredStopAtLevel, checked on each command line):\n");
        jvms.forEach(jvm -> table.append("- ").append(jvm).append('\n'));
        return table.toString();
    }

    private static String label(String runner) {
        String label = switch (runner.replace("-first", "")) {
            case "cli" -> "CLI (bin/cse4j)";
            case "job-1w" -> "job, 1 worker";
            default -> "job, 2 workers";
        };
        return runner.endsWith("-first") ? label + ", the session's first job" : label;
    }

    private Map<String, String> cli(String operation, String container) throws IOException, InterruptedException {
        Path root = SparkInstallation.jobJar().getParent().getParent().getParent();
        List<String> command = new ArrayList<>(List.of(root.resolve("bin/cse4j").toString(), "blob", operation,
            "--container", container, "--key", data.keyFile.toString(), "--json", "--concurrency",
            Integer.toString(CONCURRENCY)));
        if (operation.equals("migrate")) {
            command.addAll(List.of("--new-key", data.newKeyFile.toString()));
        }
        Path out = SparkInstallation.workDirectory().resolve("bench").resolve("cli-" + operation + ".jsonl");
        Files.createDirectories(out.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("AZURE_STORAGE_CONNECTION_STRING", connectionString);
        // the CLI as users run it: no extra JVM options from this JVM's environment
        builder.environment().keySet().removeAll(List.of("CSE4J_JAVA_OPTS", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"));
        Process process = builder.start();
        String commandLine = "";
        for (int i = 0; i < 100 && process.isAlive() && !commandLine.contains("-jar"); i++) {
            Thread.sleep(20);
            commandLine = process.info().commandLine().orElse("");
        }
        assertThat(commandLine).as("the CLI's JVM").doesNotContain("TieredStopAtLevel");
        if (!jvms.contains("CLI: " + cliOptions(commandLine))) {
            jvms.add("CLI: " + cliOptions(commandLine));
        }
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("cse4j blob " + operation + " finished").isTrue();
        assertThat(process.exitValue()).as("cse4j blob " + operation).isZero();
        Map<String, String> byName = new TreeMap<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            String name = line.substring(line.indexOf("\"name\":\"") + 8, line.indexOf("\",", line.indexOf("\"name\"")));
            byName.put(name, line.replace(container, "<container>"));
        }
        return byName;
    }

    /** The JVM options of the CLI's command line (none: {@code bin/cse4j} adds only a system property). */
    private static String cliOptions(String commandLine) {
        String options = commandLine.replaceAll("^\\S+\\s*", "").replaceAll("-jar .*", "").trim();
        return options.isEmpty() ? "the JVM's defaults" : options;
    }

    private Map<String, String> job(SparkSession spark, String operation, String container) {
        List<String> args = new ArrayList<>(List.of(operation, "--container", container, "--key",
            data.keyFile.toString(), "--concurrency", Integer.toString(CONCURRENCY), "--objects-per-partition",
            "100", "--connection-string-file", data.storageFile.toString()));
        if (operation.equals("migrate")) {
            args.addAll(List.of("--new-key", data.newKeyFile.toString()));
        }
        JobRun run = JobRun.run(spark, SparkInstallation.workDirectory().resolve("bench"), args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run.cliLines(container);
    }

    private static ProcessHandle azuriteProcess(int blobPort) {
        return ProcessHandle.allProcesses()
            .filter(process -> process.info().commandLine().orElse("").contains("azurite")
                && process.info().commandLine().orElse("").contains(Integer.toString(blobPort)))
            .findFirst().orElseThrow(() -> new IllegalStateException("no Azurite process under this JVM"));
    }

    private static String cpuModel() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
            .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    }

    /** @return busy and total jiffies of all cores, from {@code /proc/stat} */
    private static long[] machineJiffies() throws IOException {
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < cpu.length; i++) {
            total += Long.parseLong(cpu[i]);
        }
        long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
        return new long[] {total - idle, total};
    }
}
