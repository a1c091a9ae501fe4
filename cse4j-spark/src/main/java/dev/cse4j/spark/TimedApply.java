package dev.cse4j.spark;

import dev.cse4j.fleet.FleetObject;
import dev.cse4j.fleet.FleetOperation;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.spark.sql.Row;

/**
 * Runs the library's operation over a task's objects with the library's bounded worker loop
 * ({@link FleetOperation#applyAll}: at most {@code --concurrency} in flight, the loop the CLI uses) and makes one
 * report row per result ({@link ReportRows#fleet}), its time running from taking the object to its result. The
 * same for blobs and table entities.
 */
final class TimedApply {
    private TimedApply() {
    }

    /**
     * @param identity the object a result will name ({@link FleetObject#blob} or {@link FleetObject#entity})
     */
    static <T> void run(FleetOperation<T> operation, Iterator<T> objects, Function<T, FleetObject> identity,
        int concurrency, Consumer<Row> rows) {
        // the loop takes objects and hands results on this thread
        Map<FleetObject, Long> startedNanos = new HashMap<>();
        Map<FleetObject, Instant> startedAt = new HashMap<>();
        Iterator<T> timed = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return objects.hasNext();
            }

            @Override
            public T next() {
                T object = objects.next();
                FleetObject id = identity.apply(object);
                startedAt.put(id, Instant.now());
                startedNanos.put(id, System.nanoTime());
                return object;
            }
        };
        operation.applyAll(timed, concurrency, result -> {
            long millis = (System.nanoTime() - startedNanos.remove(result.object())) / 1_000_000;
            rows.accept(ReportRows.fleet(result, startedAt.remove(result.object()), millis));
        });
    }
}
