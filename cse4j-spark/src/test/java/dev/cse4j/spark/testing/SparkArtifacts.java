package dev.cse4j.spark.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.Dependency;
import org.apache.spark.Partition;
import org.apache.spark.SparkEnv;
import org.apache.spark.rdd.RDD;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerEvent;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.serializer.SerializerInstance;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.BlockData;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManager;
import scala.Option;
import scala.reflect.ClassTag$;

/**
 * Collects everything of a Spark application that a secret could leak into, as named byte arrays, for
 * {@link SecretScan}:
 * <ul>
 *   <li>every broadcast block held by the driver: the serialized task binaries (each stage's RDD and function,
 *       i.e. every closure the tasks run) and the application's own broadcasts;</li>
 *   <li>the job's RDD lineage serialized with Spark's closure serializer: each RDD and each of its partitions (a
 *       task carries its partition, e.g. the rows of a parallelized collection, beside the task binary);</li>
 *   <li>what listeners see: job and stage properties (job descriptions, local properties) and accumulator
 *       values;</li>
 *   <li>the event log, which holds the configuration and environment, job and stage properties, accumulator
 *       updates and SQL plans: the data the web UI and the history server show.</li>
 * </ul>
 * The session must be built with {@link #configure}: event log on and uncompressed, broadcasts uncompressed and
 * kept until the end.
 */
public final class SparkArtifacts extends SparkListener {

    private final Path eventLogDirectory;
    private final Map<String, byte[]> collected = new LinkedHashMap<>();
    private final StringBuilder listened = new StringBuilder();

    private SparkArtifacts(Path eventLogDirectory) {
        this.eventLogDirectory = eventLogDirectory;
    }

    /**
     * Configures {@code builder} for a scan and returns the collector, to be registered as a listener of the
     * session it builds ({@link #attach}).
     */
    public static SparkArtifacts configure(SparkSession.Builder builder, String name) {
        Path events = TestSpark.eventLogDirectory(name);
        try {
            Files.createDirectories(events);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        builder.config("spark.eventLog.enabled", "true")
            .config("spark.eventLog.dir", events.toUri().toString())
            .config("spark.eventLog.compress", "false")
            .config("spark.broadcast.compress", "false")
            .config("spark.cleaner.referenceTracking", "false");
        return new SparkArtifacts(events);
    }

    /** Registers this collector as a listener of {@code spark}. */
    public SparkArtifacts attach(SparkSession spark) {
        spark.sparkContext().addSparkListener(this);
        return this;
    }

    /**
     * Collects the driver's broadcast blocks and the serialized lineage of what {@code jobs} ran; call after the
     * jobs ran and before the session stops.
     */
    public void collectWhileRunning(List<?> jobs) {
        BlockManager blocks = SparkEnv.get().blockManager();
        for (BlockId id : scala.jdk.javaapi.CollectionConverters.asJava(
            blocks.getMatchingBlockIds(BlockId::isBroadcast))) {
            Option<BlockData> data = blocks.getLocalBytes(id);
            if (data.isDefined()) {
                try {
                    collected.put("broadcast block " + id.name(), bytes(data.get().toByteBuffer()));
                } finally {
                    blocks.releaseLock(id, Option.empty());
                }
            }
        }
        SerializerInstance closures = SparkEnv.get().closureSerializer().newInstance();
        for (Object job : jobs) {
            RDD<?> rdd = job instanceof Dataset<?> dataset ? dataset.queryExecution().executedPlan().execute()
                : (RDD<?>) job;
            lineage(rdd).forEach(each -> {
                collected.put("serialized " + each, bytes(closures.serialize(each, ClassTag$.MODULE$.Any())));
                for (Partition partition : each.partitions()) {
                    collected.put("serialized partition " + partition.index() + " of " + each,
                        bytes(closures.serialize(partition, ClassTag$.MODULE$.Any())));
                }
            });
        }
    }

    /** Reads the event log files; call after the session stopped (the log is complete then). */
    public void collectAfterStop() {
        try (Stream<Path> files = Files.walk(eventLogDirectory)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                collected.put("event log " + file.getFileName(), Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (listened) {
            collected.put("listener events", listened.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** @return what was collected, by name */
    public Map<String, byte[]> collected() {
        return collected;
    }

    /** @return every finding of {@code scan} in what was collected */
    public List<String> search(SecretScan scan) {
        List<String> findings = new ArrayList<>();
        collected.forEach((where, bytes) -> findings.addAll(scan.search(where, bytes)));
        return findings;
    }

    @Override
    public void onJobStart(SparkListenerJobStart jobStart) {
        record("job " + jobStart.jobId() + " properties " + jobStart.properties());
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted stageSubmitted) {
        record("stage " + stageSubmitted.stageInfo().stageId() + " properties " + stageSubmitted.properties());
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted stageCompleted) {
        record("stage " + stageCompleted.stageInfo().stageId() + " accumulables "
            + stageCompleted.stageInfo().accumulables());
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        record("task " + taskEnd.taskInfo().taskId() + " accumulables " + taskEnd.taskInfo().accumulables());
    }

    @Override
    public void onOtherEvent(SparkListenerEvent event) {
        record(event.toString());
    }

    private void record(String line) {
        synchronized (listened) {
            listened.append(line).append('\n');
        }
    }

    private static List<RDD<?>> lineage(RDD<?> last) {
        List<RDD<?>> all = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        Deque<RDD<?>> pending = new ArrayDeque<>(List.of(last));
        while (!pending.isEmpty()) {
            RDD<?> rdd = pending.pop();
            if (seen.add(rdd.id())) {
                all.add(rdd);
                scala.jdk.javaapi.CollectionConverters.asJava(rdd.dependencies())
                    .forEach((Dependency<?> dependency) -> pending.push(dependency.rdd()));
            }
        }
        return all;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
