package dev.cse4j.spark;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import dev.cse4j.blob.BlobFleetOperation;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.table.TableFleetOperation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.spark.SparkEnv;

/**
 * What an executor JVM builds once per job run and shares among its tasks: the storage clients, the keys (read from
 * the files shipped with the job) and one fleet operation per container and per table, so that a key is read or resolved once
 * per executor, not per task or object. Built from the {@link JobSpec} a task carries (names only), on first use.
 * The state of the last few runs is kept (local mode runs several jobs in one JVM); older runs' is dropped.
 */
final class ExecutorState {
    private static final int RUNS_KEPT = 4;
    private static final Map<String, Map<String, Object>> RUNS = new LinkedHashMap<>();

    private ExecutorState() {
    }

    /** The client of {@code container}, on this JVM's one client of the account. */
    static BlobContainerClient container(JobSpec spec, String container) {
        BlobServiceClient service = shared(spec, "storage", () -> spec.storage().blobService(ShippedFiles::local));
        return service.getBlobContainerClient(container);
    }

    /** The keys, as the library takes them; this JVM's Key Vault operations share one bound. */
    static ClientSideEncryptionOptions keys(JobSpec spec) {
        return shared(spec, "keys", () -> spec.keys().options(ShippedFiles::local,
            spec.keys().keyVault().permits()));
    }

    /** The job's operation on the blobs of {@code container}: the library's, with the CLI's options. */
    static BlobFleetOperation operation(JobSpec spec, String container) {
        BlobContainerClient client = container(spec, container);
        ClientSideEncryptionOptions keys = keys(spec);
        return shared(spec, "operation:" + container, () -> BlobFleetOperation.create(client, spec.fleetOptions(),
            keys));
    }

    /** The client of {@code table}, on this JVM's one client of the account's table service. */
    static TableClient table(JobSpec spec, String table) {
        TableServiceClient service = shared(spec, "tables", () -> spec.storage().tableService(ShippedFiles::local));
        return service.getTableClient(table);
    }

    /** The job's operation on the entities of {@code table}: the library's, with the CLI's options. */
    static TableFleetOperation tableOperation(JobSpec spec, String table) {
        TableClient client = table(spec, table);
        ClientSideEncryptionOptions keys = keys(spec);
        return shared(spec, "table operation:" + table, () -> TableFleetOperation.create(client,
            spec.tableFleetOptions(), keys));
    }

    /** @return this JVM's executor id ({@code driver} in local mode) */
    static String executorId() {
        SparkEnv env = SparkEnv.get();
        return env == null ? "driver" : env.executorId();
    }

    /** @return the host this executor's block manager registered with */
    static String host() {
        SparkEnv env = SparkEnv.get();
        return env == null ? "unknown" : env.blockManager().blockManagerId().host();
    }

    /** @return "executor N on HOST", for messages */
    static String where() {
        return "executor " + executorId() + " on " + host();
    }

    @SuppressWarnings("unchecked")
    private static <T> T shared(JobSpec spec, String name, Supplier<T> make) {
        Map<String, Object> run = run(spec.runId());
        Object value = run.get(name);
        if (value == null) {
            // once per JVM: tasks starting together wait for the first (making one may make another: reentrant)
            synchronized (run) {
                value = run.get(name);
                if (value == null) {
                    value = make.get();
                    run.put(name, value);
                }
            }
        }
        return (T) value;
    }

    private static synchronized Map<String, Object> run(String runId) {
        Map<String, Object> run = RUNS.get(runId);
        if (run == null) {
            run = new ConcurrentHashMap<>();
            RUNS.put(runId, run);
            while (RUNS.size() > RUNS_KEPT) {
                RUNS.remove(RUNS.keySet().iterator().next());
            }
        }
        return run;
    }
}
