package dev.cse4j.spark;

import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * How a job's per-object report is written: a directory of JSON lines files or of Parquet files (Spark writes one
 * file per partition, then {@code _SUCCESS}; a run killed before that leaves no {@code _SUCCESS}). The directory
 * must be reachable by every executor (on a cluster: {@code abfss://}, DBFS, HDFS; a local path only in local
 * mode or on one machine).
 */
public enum ReportFormat {
    /**
     * One JSON object per line ({@code part-*.txt}): the {@code cse4j} command's {@code --json} line for the object
     * with the report's own fields appended ({@code container}, {@code failureClass} for failures, {@code executor},
     * {@code host}, {@code startedAt}, {@code millis}).
     */
    JSON("json"),
    /** Parquet ({@code part-*.parquet}), snappy-compressed: the same fields as columns, {@code from}/{@code to} structs. */
    PARQUET("parquet");

    private final String spelling;

    ReportFormat(String spelling) {
        this.spelling = spelling;
    }

    /**
     * @param name {@code json} or {@code parquet}, any case
     * @return the format
     * @throws IllegalArgumentException naming the accepted values
     */
    public static ReportFormat parse(String name) {
        for (ReportFormat format : values()) {
            if (format.spelling.equals(name.toLowerCase(Locale.ROOT))) {
                return format;
            }
        }
        throw new IllegalArgumentException("Unknown report format '" + name + "': use json or parquet.");
    }

    /**
     * Writes {@code report} to {@code path}, replacing what a previous run wrote there. This is the action that
     * runs the job's tasks.
     *
     * @param report rows of a {@link ReportRows} schema
     * @param path a directory URI or path that every executor can write
     */
    void write(Dataset<Row> report, String path) {
        if (this == JSON) {
            report.select(ReportRows.LINE).write().mode(SaveMode.Overwrite).text(path);
        } else {
            report.drop(ReportRows.LINE).write().mode(SaveMode.Overwrite).parquet(path);
        }
    }

    /**
     * Reads columns of a report back (never running the job's tasks again).
     *
     * @param schema the report's schema ({@link ReportRows#schema})
     * @param columns the columns to read
     */
    Dataset<Row> read(SparkSession spark, String path, StructType schema, String... columns) {
        if (this == JSON) {
            StructField[] fields = Arrays.stream(columns).map(column -> schema.apply(column))
                .toArray(StructField[]::new);
            return spark.read().schema(new StructType(fields)).json(path);
        }
        return spark.read().parquet(path).selectExpr(columns);
    }
}
