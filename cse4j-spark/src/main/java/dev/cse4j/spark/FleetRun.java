package dev.cse4j.spark;

import com.azure.core.exception.HttpResponseException;
import com.azure.data.tables.TableServiceClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import dev.cse4j.blob.BlobListing;
import dev.cse4j.blob.ListingUnit;
import dev.cse4j.core.ClientSideEncryptionException;
import dev.cse4j.core.KeyResolutionException;
import dev.cse4j.core.implementation.TerminalText;
import dev.cse4j.fleet.FailureClass;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One run of the fleet job on the driver: {@link #prepare} ships the key and connection string files and checks
 * the keys on the driver (so a wrong key file fails before any task); {@link #execute} splits the containers'
 * listings, lists them on the executors (first stage), splits the tables into PartitionKey ranges
 * ({@link TableRanges}), runs the operation over the slices and the ranges (second stage) while writing the report,
 * and prints the summary read back from the report.
 */
final class FleetRun {
    private final SparkSession spark;
    private final JobCommand command;
    private final JobSpec spec;
    private final Map<String, Path> files;
    private final List<Object> ran = new ArrayList<>();

    private FleetRun(SparkSession spark, JobCommand command, JobSpec spec, Map<String, Path> files) {
        this.spark = spark;
        this.command = command;
        this.spec = spec;
        this.files = files;
    }

    /**
     * Ships the files the executors read and builds the keys once on the driver.
     *
     * @throws JobFailure with the CLI's exit code: 4 if the new key id is not in its file, 2 for a key file that
     *     cannot serve (several keys and no id, an algorithm the key cannot wrap with, a file of a shipped name), 3
     *     or 5 as the library classes other key failures, 1 for anything else (an unreadable file)
     */
    static FleetRun prepare(SparkSession spark, JobCommand command) {
        if (spark.sparkContext().getConf().getBoolean("spark.speculation", false)) {
            throw new JobFailure(FleetJob.USAGE, "spark.speculation is on: two attempts at one object would race "
                + "(one loses its condition and reports a spurious failure). Run the job with "
                + "spark.speculation=false.");
        }
        JobSpec spec = command.spec();
        try {
            Map<String, Path> files = ship(spark.sparkContext(), command);
            if (spec.action() != JobAction.INVENTORY) {
                spec.keys().options(files::get, spec.keys().keyVault().permits());
            }
            return new FleetRun(spark, command, spec, files);
        } catch (KeyResolutionException e) {
            throw new JobFailure(FailureClass.KEY_NOT_FOUND.exitCode(), e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new JobFailure(FleetJob.USAGE, e.getMessage(), e);
        } catch (ClientSideEncryptionException e) {
            throw new JobFailure(FailureClass.of(e).exitCode(), e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new JobFailure(FailureClass.OTHER.exitCode(), e.getMessage(), e);
        }
    }

    /**
     * Runs the job: lists, processes, writes the report, prints the summary to {@code out}.
     *
     * @return the exit code: 0 if nothing failed, else that of the most serious failure class seen
     * @throws RuntimeException if the job cannot run (storage unreachable, a container missing, a task failing
     *     every attempt)
     */
    int execute(PrintStream out) {
        List<Slice> slices = spec.containers().isEmpty() ? List.of() : slices(spec.storage().blobService(files::get));
        List<TableRange> ranges = tableRanges();
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Row> rows = null;
        if (!slices.isEmpty() || ranges.isEmpty()) {
            rows = context.parallelize(slices, Math.max(1, slices.size())).mapPartitions(new RunSlices(spec));
        }
        if (!ranges.isEmpty()) {
            // no shuffle: a union only puts the tables' tasks beside the containers'
            JavaRDD<Row> entities = context.parallelize(ranges, ranges.size()).mapPartitions(new RunTableRanges(spec));
            rows = rows == null ? entities : rows.union(entities);
        }
        Dataset<Row> report = spark.createDataFrame(rows, ReportRows.schema(spec.action()));
        ran.add(rows.rdd());
        ReportFormat format = command.format();
        describe(spec.action().commandName() + " of " + slices.size() + " slices and " + ranges.size()
            + " table ranges, report to " + command.report);
        format.write(report, command.report);
        describe(null);
        int code = spec.action() == JobAction.INVENTORY
            ? JobSummary.inventory(spark, spec, format, command.report, out)
            : JobSummary.fleet(spark, spec, format, command.report, out);
        out.println("cse4j-spark report: " + command.report + " (" + format.name().toLowerCase(java.util.Locale.ROOT)
            + ")");
        return code;
    }

    /** @return the RDDs this run ran, for tests that inspect what Spark serialized */
    List<Object> ran() {
        return ran;
    }

    /** Ships the key and connection string files; returns the driver's own paths, by the names tasks use. */
    private static Map<String, Path> ship(SparkContext spark, JobCommand command) {
        Map<String, Path> files = new HashMap<>();
        for (Path file : new Path[] {command.key, command.newKey, command.connectionStringFile}) {
            if (file != null) {
                files.put(ShippedFiles.ship(spark, file), file);
            }
        }
        return files;
    }

    /** How many listing units (prefixes, PartitionKey ranges) to aim for per container or table. */
    private int listingUnits() {
        return command.listingUnits != null ? command.listingUnits : 4 * spark.sparkContext().defaultParallelism();
    }

    /** The PartitionKey ranges of every table, from a few key probes on the driver. */
    private List<TableRange> tableRanges() {
        if (spec.tables().isEmpty()) {
            return List.of();
        }
        TableServiceClient service = spec.storage().tableService(files::get);
        List<TableRange> ranges = new ArrayList<>();
        for (String name : spec.tables()) {
            try {
                ranges.addAll(TableRanges.split(service.getTableClient(name), listingUnits(), command.listingDepth));
            } catch (HttpResponseException e) {
                if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
                    throw new IllegalStateException("Table '" + TerminalText.escape(name) + "' does not exist.", e);
                }
                throw e;
            }
        }
        return ranges;
    }

    /** The slices of every container: listed by the executors, under prefixes the driver chose. */
    private List<Slice> slices(BlobServiceClient storage) {
        List<CutUnits.Unit> units = new ArrayList<>();
        List<Slice> named = new ArrayList<>();
        int target = listingUnits();
        for (String name : spec.containers()) {
            BlobContainerClient container = storage.getBlobContainerClient(name);
            if (!container.exists()) {
                throw new IllegalStateException("Container '" + TerminalText.escape(name) + "' does not exist.");
            }
            if (spec.name() != null) {
                named.add(Slice.named(name, spec.name()));
                continue;
            }
            for (ListingUnit unit : BlobListing.split(container, spec.prefix(), target, command.listingDepth)) {
                units.add(new CutUnits.Unit(name, unit));
            }
        }
        if (units.isEmpty()) {
            return named;
        }
        describe(spec.action().commandName() + ": listing " + units.size() + " prefixes");
        JavaRDD<Slice> cut = JavaSparkContext.fromSparkContext(spark.sparkContext())
            .parallelize(units, units.size()).mapPartitions(new CutUnits(spec));
        ran.add(cut.rdd());
        return cut.collect();
    }

    /** Names the Spark jobs in the UI: operation, containers' count, never a key or a secret. */
    private void describe(String what) {
        spark.sparkContext().setJobDescription(what == null ? null : "cse4j " + what);
    }

    /** A run that could not start, with the exit code the CLI gives the reason. */
    static final class JobFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int exitCode;

        JobFailure(int exitCode, String message) {
            this(exitCode, message, null);
        }

        JobFailure(int exitCode, String message, Throwable cause) {
            super(message, cause);
            this.exitCode = exitCode;
        }

        int exitCode() {
            return exitCode;
        }
    }
}
