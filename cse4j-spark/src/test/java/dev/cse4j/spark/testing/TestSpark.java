package dev.cse4j.spark.testing;

import dev.cse4j.testing.LoopbackPorts;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Spark sessions for tests, with the test JVM as the driver: on {@code local[2]} (tasks on two threads of this
 * JVM) or on a {@link StandaloneCluster} (client deploy mode: tasks in the cluster's executor JVMs, which load the
 * job jar). Only loopback addresses; no web UI (the driver's would bind every interface, since
 * its host comes from the {@code SPARK_LOCAL_IP} environment variable, which a running JVM cannot set).
 */
public final class TestSpark {

    /**
     * What every executor needs: the Azure SDK's JDK HTTP client sets Content-Length itself (else it logs a warning
     * per request). The JVM's defaults otherwise (both JIT compilers, its default GC): for measurements.
     */
    public static final String MEASURED_EXECUTOR_JAVA_OPTIONS = "-Djdk.httpclient.allowRestrictedHeaders=content-length";

    /**
     * Executors' extra JVM options in tests: {@link #MEASURED_EXECUTOR_JAVA_OPTIONS}, and C1 only and the serial GC,
     * which start small executors faster on two cores (never for figures: C1 alone runs the crypto slower).
     */
    public static final String EXECUTOR_JAVA_OPTIONS = MEASURED_EXECUTOR_JAVA_OPTIONS
        + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    private TestSpark() {
    }

    /** @return a builder for a {@code local[2]} session named {@code name} */
    public static SparkSession.Builder local(String name) {
        return common(SparkSession.builder().master("local[2]"), name)
            // local mode tries a task once by default; a cluster four times
            .config("spark.task.maxFailures", "1");
    }

    /**
     * @return a builder for a session on {@code cluster}: one executor per worker, 512 MiB each, the job jar
     *     shipped to the executors (as {@code spark-submit} ships the application jar)
     */
    public static SparkSession.Builder onCluster(StandaloneCluster cluster, String name) {
        return common(SparkSession.builder().master(cluster.masterUrl()), name)
            .config("spark.jars", SparkInstallation.jobJar().toString())
            .config("spark.executor.memory", "512m")
            .config("spark.executor.cores", "1")
            .config("spark.cores.max", Integer.toString(cluster.workerCount()))
            .config("spark.task.maxFailures", "4")
            .config("spark.executor.extraJavaOptions", EXECUTOR_JAVA_OPTIONS)
            // an executor never started (its worker died first) should not hold the application back
            .config("spark.scheduler.minRegisteredResourcesRatio", "1.0")
            .config("spark.scheduler.maxRegisteredResourcesWaitingTime", "60s");
    }

    /**
     * @param name the test's name
     * @return the directory for this test's event log ({@code spark.eventLog.dir}), under {@code target/spark}
     */
    public static Path eventLogDirectory(String name) {
        return SparkInstallation.workDirectory().resolve("events").resolve(name + "-" + System.nanoTime());
    }

    private static SparkSession.Builder common(SparkSession.Builder builder, String name) {
        return builder.appName(name)
            .config("spark.driver.host", LoopbackPorts.HOST)
            .config("spark.driver.bindAddress", LoopbackPorts.HOST)
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.local.dir", SparkInstallation.workDirectory().resolve("local").toString())
            .config("spark.sql.warehouse.dir", SparkInstallation.workDirectory().resolve("warehouse").toString());
    }
}
