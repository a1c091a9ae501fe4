package dev.cse4j.spark;

import dev.cse4j.fleet.FleetObject;
import dev.cse4j.table.EntityRef;
import dev.cse4j.table.TableListing;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;

/**
 * The operations stage's task over table entities: lists its PartitionKey ranges ({@link TableListing#list}, keys
 * and metadata only, a page at a time, with the job's {@code --filter}) and runs the library's
 * {@link dev.cse4j.table.TableFleetOperation} over the entities with the library's bounded worker loop
 * ({@link TimedApply}, the code of {@code cse4j table rewrap|migrate}), one report row per entity. Rows are made
 * as Spark consumes them, {@code --objects-per-partition} entities at a time, so a task's memory does not grow with
 * its range. Its closure is the {@link JobSpec} and nothing else.
 */
final class RunTableRanges implements FlatMapFunction<Iterator<TableRange>, Row> {
    private static final long serialVersionUID = 1L;

    private final JobSpec spec;

    RunTableRanges(JobSpec spec) {
        this.spec = spec;
    }

    @Override
    public Iterator<Row> call(Iterator<TableRange> ranges) {
        return new Iterator<>() {
            private final List<Row> batch = new ArrayList<>();
            private int next;
            private TableRange range;
            private Iterator<EntityRef> entities;

            @Override
            public boolean hasNext() {
                while (next == batch.size()) {
                    batch.clear();
                    next = 0;
                    if (entities == null || !entities.hasNext()) {
                        if (!ranges.hasNext()) {
                            return false;
                        }
                        range = ranges.next();
                        entities = TableListing.list(ExecutorState.table(spec, range.table()),
                            range.filter(spec.filter()));
                        continue;
                    }
                    String table = range.table();
                    TimedApply.run(ExecutorState.tableOperation(spec, table), take(entities,
                        spec.objectsPerPartition()), ref -> FleetObject.entity(table, ref.getPartitionKey(),
                        ref.getRowKey()), spec.concurrency(), batch::add);
                }
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batch.get(next++);
            }
        };
    }

    /** The next {@code count} elements of {@code from}, at most. */
    private static <T> Iterator<T> take(Iterator<T> from, int count) {
        return new Iterator<>() {
            private int taken;

            @Override
            public boolean hasNext() {
                return taken < count && from.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                taken++;
                return from.next();
            }
        };
    }
}
