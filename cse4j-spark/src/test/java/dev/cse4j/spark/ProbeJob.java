package dev.cse4j.spark;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import dev.cse4j.blob.EncryptedBlobClient;
import dev.cse4j.blob.EncryptedBlobClientBuilder;
import dev.cse4j.blob.EncryptedBlobProperties;
import dev.cse4j.core.ClientSideEncryptionException;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.keys.JsonWebKeySet;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;

/**
 * The stand-in job that the harness tests run until the fleet operations exist, shaped like them: the driver lists
 * a container and hands partitions of blob names to executors; each executor builds its storage client and its
 * keys once per JVM from what the job names (a key file shipped with the job, a connection string from a shipped
 * file or the executor's own environment) and, per blob, reads and authenticates it with cse4j, then marks it done
 * with a metadata write conditioned on the ETag it read (so a rerun skips it: "already done"). Tasks carry only
 * names, never key material.
 *
 * <p>With a gate blob, every task first waits (bounded) until that blob exists, so a test can stop the job at a
 * known point (tasks running, nothing written) to kill a worker or the driver.
 */
final class ProbeJob {

    /** Metadata key and value that mark a blob done. */
    static final String DONE_KEY = "cse4jprobe";
    static final String DONE_VALUE = "done";
    private static final Duration GATE_TIMEOUT = Duration.ofMinutes(2);

    /**
     * What the job is told: names only.
     *
     * @param container the container to probe
     * @param keyFile the file name of the JWK Set shipped with the job ({@link ShippedFiles})
     * @param storage where executors find the connection string: {@code file:NAME} (shipped with the job) or
     *     {@code env:VARIABLE} (the executor's own environment)
     * @param gateBlob a blob name that tasks wait for before their first write, or {@code null}
     * @param gatedFrom the first partition whose task waits for the gate (earlier ones run through)
     */
    record Spec(String container, String keyFile, String storage, String gateBlob, int gatedFrom)
        implements Serializable {
    }

    private ProbeJob() {
    }

    /**
     * Lists the container on the driver (every blob but the gate) and probes every blob on the executors.
     *
     * @param listing the driver's own client for the container (the driver has its own credentials)
     * @param partitions how many partitions of names
     * @return one result per blob (lazy: an action runs the job)
     */
    static Dataset<ProbeResult> run(SparkSession spark, Spec spec, BlobContainerClient listing, int partitions) {
        List<String> names = new ArrayList<>();
        for (BlobItem item : listing.listBlobs(new ListBlobsOptions(), null)) {
            if (!item.getName().equals(spec.gateBlob())) {
                names.add(item.getName());
            }
        }
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Dataset<String> work = spark.createDataset(context.parallelize(names, partitions).rdd(), Encoders.STRING());
        return work.mapPartitions(new ProbePartition(spec), Encoders.bean(ProbeResult.class));
    }

    /** The task: a static class holding only the spec, so its closure is exactly that. */
    static final class ProbePartition implements MapPartitionsFunction<String, ProbeResult> {
        private static final long serialVersionUID = 1L;
        private final Spec spec;

        ProbePartition(Spec spec) {
            this.spec = spec;
        }

        @Override
        public Iterator<ProbeResult> call(Iterator<String> names) {
            BlobContainerClient container = ExecutorClients.containerClient(spec.storage(), spec.container());
            JsonWebKeySet keys = ExecutorClients.keys(spec.keyFile());
            if (spec.gateBlob() != null && TaskContext.getPartitionId() >= spec.gatedFrom()) {
                awaitGate(container, spec.gateBlob());
            }
            List<ProbeResult> results = new ArrayList<>();
            names.forEachRemaining(name -> results.add(probe(container, keys, name)));
            return results.iterator();
        }
    }

    static ProbeResult probe(BlobContainerClient container, JsonWebKeySet keys, String name) {
        long started = System.nanoTime();
        EncryptedBlobClient blob = new EncryptedBlobClientBuilder().blobClient(container.getBlobClient(name))
            .clientSideEncryptionOptions(ClientSideEncryptionOptions.builder().keyResolver(keys.resolver()).build())
            .buildEncryptedBlobClient();
        String result;
        String reason = null;
        String sha256 = null;
        long size = 0;
        try {
            EncryptedBlobProperties properties = blob.getProperties();
            size = properties.getPlaintextSize();
            if (DONE_VALUE.equals(properties.getMetadata().get(DONE_KEY))) {
                result = "skipped";
                reason = "already done";
            } else {
                BlobRequestConditions unchanged = new BlobRequestConditions().setIfMatch(properties.getETag());
                BinaryData content = blob.downloadContentWithResponse(null, unchanged, null, Context.NONE).getValue();
                sha256 = sha256(content.toBytes());
                Map<String, String> metadata = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                metadata.putAll(properties.getMetadata());
                metadata.remove("encryptiondata");
                metadata.put(DONE_KEY, DONE_VALUE);
                blob.setMetadataWithResponse(metadata, unchanged, null, Context.NONE);
                result = "done";
            }
        } catch (BlobStorageException | ClientSideEncryptionException e) {
            result = "failed";
            reason = e.getClass().getSimpleName() + ": " + e.getMessage().lines().findFirst().orElse("");
        }
        TaskContext task = TaskContext.get();
        return new ProbeResult(name, result, reason, sha256, size, SparkEnv.get().executorId(),
            ProcessHandle.current().pid(), task == null ? 0 : task.attemptNumber(),
            Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    private static void awaitGate(BlobContainerClient container, String gateBlob) {
        long deadline = System.nanoTime() + GATE_TIMEOUT.toNanos();
        while (!container.getBlobClient(gateBlob).exists()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("Gate blob " + gateBlob + " did not appear within " + GATE_TIMEOUT);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the gate", e);
            }
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What an executor builds once per JVM and shares among its tasks: storage clients and key sets, from what
     * the job names. (The fleet job will do the same with a caching key resolver, so that each executor resolves a
     * Key Vault key once.)
     */
    static final class ExecutorClients {
        private static final Map<String, BlobContainerClient> CONTAINERS = new ConcurrentHashMap<>();
        private static final Map<String, JsonWebKeySet> KEYS = new ConcurrentHashMap<>();

        private ExecutorClients() {
        }

        static BlobContainerClient containerClient(String storage, String container) {
            return CONTAINERS.computeIfAbsent(storage + "\n" + container, key -> new BlobServiceClientBuilder()
                .connectionString(connectionString(storage)).buildClient().getBlobContainerClient(container));
        }

        static JsonWebKeySet keys(String keyFile) {
            return KEYS.computeIfAbsent(keyFile, name -> JsonWebKeySet.read(ShippedFiles.local(name)));
        }

        private static String connectionString(String storage) {
            if (storage.startsWith("env:")) {
                String value = System.getenv(storage.substring(4));
                if (value == null) {
                    throw new IllegalStateException("Environment variable " + storage.substring(4) + " is not set "
                        + "in this JVM (executor " + SparkEnv.get().executorId() + ").");
                }
                return value;
            }
            if (storage.startsWith("file:")) {
                try {
                    return Files.readString(ShippedFiles.local(storage.substring(5)), StandardCharsets.UTF_8).trim();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            throw new IllegalArgumentException("storage must be file:NAME or env:VARIABLE, not " + storage);
        }
    }
}
