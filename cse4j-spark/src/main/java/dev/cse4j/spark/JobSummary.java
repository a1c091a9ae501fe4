package dev.cse4j.spark;

import dev.cse4j.core.implementation.TerminalText;
import dev.cse4j.fleet.FleetOutcome;
import dev.cse4j.fleet.FleetSummary;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The driver's summary of a finished run, computed from the report it wrote (never by running the tasks again:
 * they have side effects), and the run's exit code: the CLI's ({@link FleetSummary#exitCode()}).
 */
final class JobSummary {
    private JobSummary() {
    }

    /**
     * Prints the counts of a rewrap, migrate or verify report as the CLI summarizes a run
     * ({@link FleetSummary#toString()}).
     *
     * @return the exit code: 0 if nothing failed, else that of the most serious failure class
     */
    static int fleet(SparkSession spark, JobSpec spec, ReportFormat format, String report, PrintStream out) {
        FleetSummary summary = new FleetSummary();
        List<Row> counts = format.read(spark, report, ReportRows.FLEET, "result", "failureClass")
            .groupBy("result", "failureClass").count().collectAsList();
        for (Row row : counts) {
            summary.add(FleetOutcome.fromWireValue(row.getString(0)),
                row.isNullAt(1) ? null : ReportRows.failureClass(row.getString(1)), row.getLong(2));
        }
        out.println("cse4j-spark " + spec.action().commandName() + " of " + targets(spec) + ": " + summary);
        return summary.exitCode();
    }

    /**
     * Prints which protocols and key ids the inventory found, with their counts, the unencrypted blobs and those
     * whose encryption metadata is malformed.
     *
     * @return 0
     */
    static int inventory(SparkSession spark, JobSpec spec, ReportFormat format, String report, PrintStream out) {
        List<Row> counts = format.read(spark, report, ReportRows.INVENTORY, "encrypted", "protocol", "keyId", "error")
            .groupBy(functions.col("encrypted"), functions.col("protocol"), functions.col("keyId"),
                functions.col("error").isNotNull().as("malformed"))
            .count().collectAsList();
        Map<String, Long> encrypted = new TreeMap<>();
        long unencrypted = 0;
        long malformed = 0;
        long total = 0;
        for (Row row : counts) {
            long count = row.getLong(4);
            total += count;
            if (row.getBoolean(3)) {
                malformed += count;
            } else if (!row.getBoolean(0)) {
                unencrypted += count;
            } else {
                encrypted.merge("protocol " + row.getString(1) + ", key '" + TerminalText.escape(row.getString(2))
                    + "'", count, Long::sum);
            }
        }
        out.println("cse4j-spark inventory of " + targets(spec) + ": " + total + (total == 1 ? " object" : " objects"));
        encrypted.forEach((state, count) -> out.println("  " + state + ": " + count));
        out.println("  not encrypted: " + unencrypted);
        out.println("  malformed encryption metadata: " + malformed);
        return 0;
    }

    /** {@code container c1}, {@code tables t1, t2}, {@code container c1 and table t1}. */
    private static String targets(JobSpec spec) {
        List<String> parts = new ArrayList<>();
        named(parts, "container", spec.containers());
        named(parts, "table", spec.tables());
        return String.join(" and ", parts);
    }

    private static void named(List<String> parts, String kind, List<String> names) {
        if (!names.isEmpty()) {
            parts.add(kind + (names.size() == 1 ? " " : "s ")
                + String.join(", ", names.stream().map(TerminalText::escape).toList()));
        }
    }
}
