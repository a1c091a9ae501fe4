package dev.cse4j.spark;

import dev.cse4j.fleet.FleetOptions;
import java.io.Serializable;
import java.util.List;

/**
 * Everything a {@link FleetJob}'s tasks are told, as plain values: what to do, over what, with which keys and
 * storage account (by name: {@link KeySpec}, {@link StorageSpec}). Tasks carry it in their closures, so it holds no
 * secret. The executors build the library's objects from it ({@link ExecutorState}).
 *
 * @param runId identifies one run of the job, so executors build their state once per run
 * @param action the operation
 * @param containers the containers, in the order given
 * @param tables the tables (rewrap, migrate), in the order given
 * @param filter the OData filter selecting each table's entities ({@code --filter}), or {@code null} for all
 * @param name one blob of each container ({@code --name}), or {@code null}
 * @param prefix the blobs whose name starts with it ({@code --prefix}), or {@code null} for all
 * @param dryRun {@code --dry-run}
 * @param includeUnencrypted {@code --include-unencrypted}
 * @param concurrency objects in flight per task ({@code --concurrency})
 * @param keys the keys, by file name
 * @param storage the storage account, by file or variable name
 * @param objectsPerPartition listing page size, so objects per task ({@code --objects-per-partition})
 */
record JobSpec(String runId, JobAction action, List<String> containers, List<String> tables, String filter,
               String name, String prefix, boolean dryRun,
               boolean includeUnencrypted, int concurrency, KeySpec keys, StorageSpec storage,
               int objectsPerPartition) implements Serializable {

    JobSpec {
        containers = List.copyOf(containers);
        tables = List.copyOf(tables);
    }

    /**
     * @return the library's options for the operation (the CLI builds the same from the same flags)
     * @throws IllegalStateException for flags that do not fit the operation (the library's message)
     */
    FleetOptions fleetOptions() {
        return FleetOptions.builder(action.fleetAction()).dryRun(dryRun).includeUnencrypted(includeUnencrypted)
            .concurrency(concurrency).build();
    }

    /**
     * @return the library's options for the operation on table entities: as {@link #fleetOptions()}, without
     *     {@code --include-unencrypted}, which applies to blobs (the {@code cse4j table} commands have no such flag)
     */
    FleetOptions tableFleetOptions() {
        return FleetOptions.builder(action.fleetAction()).dryRun(dryRun).concurrency(concurrency).build();
    }
}
