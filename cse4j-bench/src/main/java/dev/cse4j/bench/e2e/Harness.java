package dev.cse4j.bench.e2e;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The end-to-end harness: the plain {@code BlobClient} (A), Microsoft's {@code EncryptedBlobClient} 2.0 (B) and cse4j
 * (C) upload and download the same random files through one Azurite (in memory, on loopback), each transfer in a
 * fresh JVM with the same options, A B C in odd rounds and C B A in even ones, for every heap setting × size ×
 * round. Prints and writes (as Markdown) a table of medians: wall MB/s, client CPU seconds, peak RSS, the ratios
 * C/A and C/B, and Azurite's CPU share. Run it with {@code cse4j-bench/e2e.sh} (options: {@link HarnessOptions#USAGE}), which starts the pinned
 * Azurite and passes it in the environment: {@value TransferChild#CONNECTION_STRING_VARIABLE} and {@value #AZURITE_PID_VARIABLE}
 * (whose CPU time is measured); see {@code cse4j-bench/README.md}.
 */
public final class Harness {
    /** The process id of that Azurite's server. */
    static final String AZURITE_PID_VARIABLE = "CSE4J_E2E_AZURITE_PID";
    private static final String CONTAINER = "e2e";
    private static final Pattern RESULT = Pattern.compile(TransferChild.RESULT
        + " op_ms=(\\d+) cpu_ms=(-?\\d+) peak_rss_kib=(-?\\d+)");

    private final HarnessOptions options;
    private final String connectionString;
    private final long azuritePid;
    private final Path keyFile;
    private final Path logs;

    private Harness(HarnessOptions options, String connectionString, long azuritePid, Path keyFile, Path logs) {
        this.options = options;
        this.connectionString = connectionString;
        this.azuritePid = azuritePid;
        this.keyFile = keyFile;
        this.logs = logs;
    }

    public static void main(String[] args) throws Exception {
        HarnessOptions options;
        try {
            options = HarnessOptions.parse(args, defaultWork());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        String connectionString = System.getenv(TransferChild.CONNECTION_STRING_VARIABLE);
        String pid = System.getenv(AZURITE_PID_VARIABLE);
        if (connectionString == null || pid == null || !pid.matches("\\d+")) {
            System.err.println("The harness needs " + TransferChild.CONNECTION_STRING_VARIABLE + " and " + AZURITE_PID_VARIABLE
                + " (an Azurite on loopback and its server's process id): run it with cse4j-bench/e2e.sh, which "
                + "starts one.");
            System.exit(2);
            return;
        }
        Files.createDirectories(options.work());
        Path logs = Files.createDirectories(options.work().resolve("logs"));
        Path keyFile = options.work().resolve("kek.hex");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.writeString(keyFile, HexFormat.of().formatHex(key));

        Map<Integer, Path> files = new LinkedHashMap<>();
        Map<Integer, String> hashes = new LinkedHashMap<>();
        for (int size : options.sizesMib()) {
            Path file = options.work().resolve("data-" + size + "MiB.bin");
            log("Writing %s of random bytes to %s", ResultTable.sizeLabel(size), file);
            hashes.put(size, DataFiles.writeRandom(file, size * 1024L * 1024L));
            files.put(size, file);
        }
        try {
            new BlobServiceClientBuilder().connectionString(connectionString).buildClient()
                .getBlobContainerClient(CONTAINER).createIfNotExists();
            Harness harness = new Harness(options, connectionString, Long.parseLong(pid), keyFile, logs);
            List<Run> runs = harness.runAll(files, hashes);
            String markdown = new ResultTable(runs, options).markdown(Machine.describe(options));
            Files.writeString(options.out(), markdown);
            Files.write(options.work().resolve("e2e-runs.csv"), csv(runs));
            System.out.println();
            System.out.println(markdown);
            log("Table written to %s, every run to %s", options.out(), options.work().resolve("e2e-runs.csv"));
        } finally {
            for (Path file : files.values()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(keyFile);
        }
    }

    private List<Run> runAll(Map<Integer, Path> files, Map<Integer, String> hashes)
        throws IOException, InterruptedException {
        List<Run> runs = new ArrayList<>();
        BlobContainerClient container = new BlobServiceClientBuilder().connectionString(connectionString)
            .buildClient().getBlobContainerClient(CONTAINER);
        for (String heap : options.heaps()) {
            for (int size : options.sizesMib()) {
                for (int round = 1; round <= options.rounds(); round++) {
                    Map<Client, String> blobs = new LinkedHashMap<>();
                    for (Client client : order(round)) {
                        String blob = client.label() + "-" + size + "-" + heap + "-" + round;
                        Run upload = run(heap, size, true, client, round, files.get(size), blob, null);
                        runs.add(upload);
                        if (upload.ok()) {
                            blobs.put(client, blob);
                        }
                    }
                    for (Client client : order(round)) {
                        if (!blobs.containsKey(client)) {
                            // nothing to download: say so rather than time a BlobNotFound
                            runs.add(new Run(heap, size, false, client, round, "not run, upload failed", 0, 0, 0, 0, 0));
                            continue;
                        }
                        Path out = options.work().resolve("download-" + client.label() + ".bin");
                        runs.add(run(heap, size, false, client, round, out, blobs.get(client), hashes.get(size)));
                        Files.deleteIfExists(out);
                    }
                    blobs.values().forEach(blob -> container.getBlobClient(blob).deleteIfExists());
                }
            }
        }
        return runs;
    }

    /**
     * The clients in the given order in odd rounds, reversed in even ones: the one after another's upload may find
     * Azurite still busy with it (a fresh 1 GiB costs Azurite CPU after the request ended), and no client should
     * always be that one.
     */
    private List<Client> order(int round) {
        List<Client> order = new ArrayList<>(options.clients());
        if (round % 2 == 0) {
            java.util.Collections.reverse(order);
        }
        return order;
    }

    /** Runs one transfer in a fresh JVM and measures it; a download is checked against {@code expectedSha}. */
    private Run run(String heap, int size, boolean upload, Client client, int round, Path file, String blob,
        String expectedSha) throws IOException, InterruptedException {
        String direction = upload ? "upload" : "download";
        List<String> command = new ArrayList<>();
        command.add(options.java());
        command.addAll(options.childJvmArgs(heap));
        String classPath = client == Client.CSE4J_BASELINE ? options.baselineJar().toString()
            : System.getProperty("java.class.path");
        command.addAll(List.of("-cp", classPath, TransferChild.class.getName(), client.childLabel(), direction,
            file.toString(), CONTAINER, blob, keyFile.toString()));
        Path output = logs.resolve(String.join("-", blob, direction) + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(output.toFile());
        builder.environment().put(TransferChild.CONNECTION_STRING_VARIABLE, connectionString);

        long azuriteBefore = ProcFs.cpuNanos(azuritePid);
        long start = System.nanoTime();
        Process process = builder.start();
        boolean exited = process.waitFor(options.timeoutMinutes(), TimeUnit.MINUTES);
        long wall = System.nanoTime() - start;
        long azuriteCpu = ProcFs.cpuNanos(azuritePid) - azuriteBefore;
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        Matcher result = RESULT.matcher(text);
        String failure = !exited ? "timeout"
            : text.contains("OutOfMemoryError") ? "OOM"
            : process.exitValue() != 0 || !result.find() ? "exit " + process.exitValue()
            : null;
        if (failure == null && expectedSha != null && !expectedSha.equals(DataFiles.sha256Hex(file))) {
            failure = "SHA-256 mismatch";
        }
        Run run = failure != null
            ? new Run(heap, size, upload, client, round, failure, wall, 0, 0, 0, azuriteCpu)
            : new Run(heap, size, upload, client, round, null, wall, Long.parseLong(result.group(1)) * 1_000_000,
                Long.parseLong(result.group(2)) * 1_000_000, Long.parseLong(result.group(3)), azuriteCpu);
        log("%-8s %-7s %-8s %-9s round %d: %s", heap, ResultTable.sizeLabel(size), direction, client.label(), round,
            run.ok() ? String.format(Locale.ROOT, "%.1f s wall (%.0f MB/s), %.1f s CPU, %.0f MiB peak RSS, Azurite "
                + "%.0f %% CPU", wall / 1e9, run.bytes() / 1e6 / (wall / 1e9), run.cpuNanos() / 1e9,
                run.peakRssKib() / 1024.0, 100.0 * azuriteCpu / wall) : "FAILED (" + failure + "), see " + output);
        return run;
    }

    /** {@code e2e} beside the jar this runs from ({@code cse4j-bench/target/e2e}), else under the working folder. */
    private static Path defaultWork() {
        Path jar = Path.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0])
            .toAbsolutePath();
        Path folder = jar.getParent();
        return folder == null ? Path.of("e2e") : folder.resolve("e2e");
    }

    private static List<String> csv(List<Run> runs) {
        List<String> lines = new ArrayList<>();
        lines.add(Run.CSV_HEADER);
        runs.forEach(run -> lines.add(run.csv()));
        return lines;
    }

    static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "e2e: " + format + "%n", args);
    }
}
