package dev.cse4j.spark;

import com.azure.storage.blob.BlobContainerClient;
import dev.cse4j.blob.BlobRef;
import dev.cse4j.fleet.FleetObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;

/**
 * The operations stage's task over blobs: lists its slices with metadata and runs the library's operation over the
 * blobs with the library's bounded worker loop ({@link TimedApply}: at most {@code --concurrency} in flight, the
 * CLI's loop), one report row per blob. The inventory makes its rows from the listing alone. Its closure is the
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
        TimedApply.run(ExecutorState.operation(spec, slice.container()), refs,
            ref -> FleetObject.blob(slice.container(), ref.getName()), spec.concurrency(), rows);
    }
}
