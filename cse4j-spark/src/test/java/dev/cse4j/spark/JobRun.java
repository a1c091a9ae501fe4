package dev.cse4j.spark;

import com.azure.data.tables.TableClient;
import com.azure.storage.blob.BlobContainerClient;
import dev.cse4j.blob.BlobFleetOperation;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.fleet.FleetOptions;
import dev.cse4j.fleet.FleetResult;
import dev.cse4j.table.TableFleetOperation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * One run of {@link FleetJob} in a test's Spark session: its exit code, what it printed and its JSON lines report.
 *
 * @param lines the report's lines (JSON reports only; empty for Parquet)
 */
record JobRun(int exitCode, String out, String err, Path report, List<String> lines) {

    /** Runs the job with {@code args} and {@code --report} a fresh directory under {@code directory}. */
    static JobRun run(SparkSession spark, Path directory, String... args) {
        Path report = directory.resolve("report-" + System.nanoTime());
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("--report");
        all.add(report.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = FleetJob.run(spark, all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new JobRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), report,
            lines(report));
    }

    /** The lines of a JSON lines report ({@code part-*.txt}); none if there is no such file. */
    static List<String> lines(Path report) {
        if (!Files.isDirectory(report)) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(report)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("part-")
                && f.getFileName().toString().endsWith(".txt")).sorted().toList()) {
                lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    /**
     * The CLI's lines in the report for one container or table (each line without the fields the job appends), by
     * object: a blob's name, an entity's {@code PartitionKey|RowKey}; the target's name in reasons replaced by
     * {@code <container>}. Lines of other targets are left out.
     */
    Map<String, String> cliLines(String target) {
        Map<String, String> byObject = new TreeMap<>();
        for (String line : lines) {
            String appended = line.contains(",\"table\":\"" + target + "\"") ? ",\"table\":" : ",\"container\":";
            if (!line.contains(appended + "\"" + target + "\"")) {
                continue;
            }
            String cli = line.substring(0, line.lastIndexOf(appended)) + "}";
            if (byObject.put(objectKey(line), cli.replace(target, "<container>")) != null) {
                throw new AssertionError("two report lines for " + objectKey(line) + " in " + lines);
            }
        }
        return byObject;
    }

    /** A blob's name, or an entity's {@code PartitionKey|RowKey}, from its report or CLI line. */
    static String objectKey(String line) {
        return line.startsWith("{\"partitionKey\":") ? field(line, "partitionKey") + "|" + field(line, "rowKey")
            : field(line, "name");
    }

    private static String field(String line, String name) {
        int start = line.indexOf("\"" + name + "\":\"") + name.length() + 4;
        return line.substring(start, line.indexOf('"', start));
    }

    /** What the library (the CLI's code path) reports for the same operation on {@code container}. */
    static Map<String, String> library(BlobContainerClient container, FleetOptions options,
        ClientSideEncryptionOptions keys, String prefix) {
        Map<String, String> byName = new TreeMap<>();
        BlobFleetOperation.create(container, options, keys).run(prefix, (FleetResult result) ->
            byName.put(result.object().name(), result.toJson().replace(container.getBlobContainerName(),
                "<container>")));
        return byName;
    }

    /**
     * What the library reports for the same operation on the entities of {@code table} that {@code filter}
     * selects: the code of {@code cse4j table rewrap|migrate} ({@code TableFleetOperation} over
     * {@code TableListing}), by {@code PartitionKey|RowKey}.
     */
    static Map<String, String> library(TableClient table, FleetOptions options, ClientSideEncryptionOptions keys,
        String filter) {
        Map<String, String> byKeys = new TreeMap<>();
        TableFleetOperation.create(table, options, keys).run(filter, (FleetResult result) -> byKeys.put(
            objectKey(result.toJson()), result.toJson().replace(table.getTableName(), "<container>")));
        return byKeys;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
