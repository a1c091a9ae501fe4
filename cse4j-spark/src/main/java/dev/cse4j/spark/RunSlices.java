package dev.cse4j.spark;

import com.azure.storage.blob.BlobContainerClient;
import dev.cse4j.blob.BlobFleetOperation;
import dev.cse4j.blob.BlobRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;

/**
 * The operations stage's task: lists its slices with metadata and runs the library's operation over the blobs
 * with the library's bounded worker loop ({@code applyAll}: at most {@code --concurrency} in flight, the CLI's
 * loop), one report row per blob. The inventory makes its rows from the listing alone. Its closure is the
 * {@link JobSpec} and nothing else; the operation and its keys are the executor's ({@link ExecutorState}).
 */
final class RunSlices implements FlatMapFunction<Iterator<Slice>, Row> {
    private static final long serialVersionUID = 1L;

    private final JobSpec spec;

    RunSlices(JobSpec spec) {
        this.spec = spec;
    }

    @Override
    public Iterator<Row> call(Iterator<Slice> slices) {
        List<Row> rows = new ArrayList<>();
        slices.forEachRemaining(slice -> run(slice, rows::add));
        return rows.iterator();
    }

    private void run(Slice slice, Consumer<Row> rows) {
        BlobContainerClient container = ExecutorState.container(spec, slice.container());
        Iterator<BlobRef> refs = SliceListing.list(container, slice, spec.objectsPerPartition());
        if (spec.action() == JobAction.INVENTORY) {
            refs.forEachRemaining(ref -> rows.accept(ReportRows.inventory(slice.container(), ref, Instant.now())));
            return;
        }
        BlobFleetOperation operation = ExecutorState.operation(spec, slice.container());
        // the loop takes objects and hands results on this thread: an object's time runs from taking to result
        Map<String, Long> startedNanos = new HashMap<>();
        Map<String, Instant> startedAt = new HashMap<>();
        Iterator<BlobRef> timed = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return refs.hasNext();
            }

            @Override
            public BlobRef next() {
                BlobRef ref = refs.next();
                startedAt.put(ref.getName(), Instant.now());
                startedNanos.put(ref.getName(), System.nanoTime());
                return ref;
            }
        };
        operation.applyAll(timed, spec.concurrency(), result -> {
            String name = result.object().name();
            long millis = (System.nanoTime() - startedNanos.remove(name)) / 1_000_000;
            rows.accept(ReportRows.fleet(result, startedAt.remove(name), millis));
        });
    }
}
