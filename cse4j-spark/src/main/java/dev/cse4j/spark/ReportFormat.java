package dev.cse4j.spark;

import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * How a job's per-object report is written: a directory of JSON lines files or of Parquet files (Spark writes one
 * file per partition, then {@code _SUCCESS}; a run killed before that leaves no {@code _SUCCESS}). The directory
 * must be reachable by every executor (on a cluster: {@code abfss://}, DBFS, HDFS; a local path only in local
 * mode or on one machine).
 */
public enum ReportFormat {
    /** One JSON object per line ({@code part-*.json}). */
    JSON("json"),
    /** Parquet ({@code part-*.parquet}), snappy-compressed, with the report's schema. */
    PARQUET("parquet");

    private final String sparkName;

    ReportFormat(String sparkName) {
        this.sparkName = sparkName;
    }

    /**
     * @param name {@code json} or {@code parquet}, any case
     * @return the format
     * @throws IllegalArgumentException naming the accepted values
     */
    public static ReportFormat parse(String name) {
        for (ReportFormat format : values()) {
            if (format.sparkName.equals(name.toLowerCase(Locale.ROOT))) {
                return format;
            }
        }
        throw new IllegalArgumentException("Unknown report format '" + name + "': use json or parquet.");
    }

    /**
     * Writes {@code report} to {@code path}, replacing what a previous run of the job wrote there.
     *
     * @param report one row per object
     * @param path a directory URI or path that every executor can write
     */
    public void write(Dataset<Row> report, String path) {
        report.write().mode(SaveMode.Overwrite).format(sparkName).save(path);
    }
}
