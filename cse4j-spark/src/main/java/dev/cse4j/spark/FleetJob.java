package dev.cse4j.spark;

import dev.cse4j.blob.BlobListing;
import dev.cse4j.core.implementation.TerminalText;
import dev.cse4j.fleet.FailureClass;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/**
 * The fleet operations of cse4j as a Spark application: {@code rewrap}, {@code migrate}, {@code verify} or
 * {@code inventory} over one or more blob containers, and {@code rewrap} or {@code migrate} over tables too, with
 * the options of the {@code cse4j blob} and {@code cse4j table} commands and the library's per-object code
 * ({@link dev.cse4j.blob.BlobFleetOperation}, {@link dev.cse4j.table.TableFleetOperation}), spread over a cluster's
 * executors.
 *
 * <pre>
 * spark-submit --class dev.cse4j.spark.FleetJob cse4j-spark-job.jar migrate --container c1 --container c2 \
 *     --key kek.jwk --report abfss://reports@acct.dfs.core.windows.net/migrate-1 --report-format parquet
 * </pre>
 *
 * <p>How it runs: the driver splits each container's listing into prefixes ({@link BlobListing#split}); a first
 * stage lists the prefixes on the executors and cuts them into slices of {@code --objects-per-partition} blobs (a
 * listing page each); the second stage lists each slice with metadata and runs the operation over its blobs,
 * {@code --concurrency} at a time, one report row per blob. Tables are split into PartitionKey ranges by a few key
 * probes on the driver, and each task lists and processes its range. Writing the report is the action that runs it; the
 * summary is read back from the report. Keys and the storage connection string reach the executors as files
 * shipped with the job (or the executors' own environment), never in a task, a broadcast or the configuration.
 * No shuffle: a lost executor's tasks are simply run again elsewhere, and the blobs it finished are skipped as
 * already done, as in a rerun.
 *
 * <p>Exit codes as the CLI's: 0 nothing failed; 3 integrity, 4 key not found, 5 policy, 1 other (the most serious
 * failure class seen), 2 a usage error.
 */
public final class FleetJob {
    /** Exit code of a usage error, as the CLI's. */
    static final int USAGE = 2;

    private FleetJob() {
    }

    /**
     * Runs the job in the application's Spark session and exits with its exit code.
     *
     * @param args the operation and its options (see the README)
     */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
            StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
            StandardCharsets.UTF_8);
        SparkSession spark = SparkSession.builder().getOrCreate();
        int code;
        try {
            code = run(spark, args, out, err);
        } finally {
            spark.stop();
        }
        System.exit(code);
    }

    /**
     * Runs the job in {@code spark} and returns its exit code (never exits the JVM).
     *
     * @param out receives the summary
     * @param err receives what went wrong, in one line
     */
    public static int run(SparkSession spark, String[] args, PrintStream out, PrintStream err) {
        JobCommand command;
        try {
            command = JobCommand.parse(args);
        } catch (CommandLine.ParameterException e) {
            err.println(TerminalText.line("cse4j-spark: " + e.getMessage()));
            err.println("Usage: spark-submit --class " + FleetJob.class.getName() + " cse4j-spark-job.jar "
                + "rewrap|migrate|verify|inventory --container C [--name N | --prefix P] "
                + "[--table T [--filter ODATA]] [--key FILE] [--new-key FILE] ... --report PATH (see the README)");
            return USAGE;
        }
        try {
            return FleetRun.prepare(spark, command).execute(out);
        } catch (FleetRun.JobFailure e) {
            err.println(TerminalText.line("cse4j-spark: " + e.getMessage()));
            return e.exitCode();
        } catch (RuntimeException e) {
            err.println(TerminalText.line("cse4j-spark: the job failed: " + rootMessage(e)));
            return FailureClass.OTHER.exitCode();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.getMessage() : e.getMessage() + " (cause: " + root + ")";
    }
}
