package dev.cse4j.spark;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The probe job's main class for {@code spark-submit}, shaped as the fleet job's will be: run the operation over
 * the container, write the report (the write is the action that runs the tasks, once), then print a summary read
 * back from the report, never by running the tasks a second time. The driver keeps no other state: a rerun after
 * it was killed lists again, and the objects themselves say what is done.
 *
 * <p>Arguments: container, key file name (shipped with {@code --files}), environment variable holding the
 * connection string (the driver's and the executors'), gate blob or {@code -}, first gated partition, report
 * directory, partitions.
 */
public final class ProbeDriver {

    private ProbeDriver() {
    }

    public static void main(String[] args) {
        String storageVariable = args[2];
        ProbeJob.Spec spec = new ProbeJob.Spec(args[0], args[1], "env:" + storageVariable,
            args[3].equals("-") ? null : args[3], Integer.parseInt(args[4]));
        String report = args[5];
        SparkSession spark = SparkSession.builder().getOrCreate();
        try {
            BlobContainerClient listing = new BlobServiceClientBuilder()
                .connectionString(System.getenv(storageVariable)).buildClient().getBlobContainerClient(args[0]);
            Dataset<Row> results = ProbeJob.run(spark, spec, listing, Integer.parseInt(args[6])).toDF();
            ReportFormat.JSON.write(results, report);
            Map<String, Long> counts = new TreeMap<>();
            spark.read().schema(results.schema()).json(report).groupBy("result").count().collectAsList()
                .forEach(row -> counts.put(row.getString(0), row.getLong(1)));
            System.out.printf("probe: %d objects, %d done, %d skipped, %d failed%n",
                counts.values().stream().mapToLong(Long::longValue).sum(), counts.getOrDefault("done", 0L),
                counts.getOrDefault("skipped", 0L), counts.getOrDefault("failed", 0L));
        } finally {
            spark.stop();
        }
    }
}
