package dev.cse4j.fleet;

import dev.cse4j.core.implementation.Workers;

import java.util.Iterator;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A fleet operation over objects of one kind ({@code T}: a blob or entity reference from a listing), set up once
 * with its {@link FleetOptions} and keys and then applied to any number of objects, from any number of threads.
 *
 * <p>{@link #apply} handles one object and reports everything that concerns that object as its {@link FleetResult}
 * (it never throws for it: a missing key, tampered data, a concurrent writer are results). It throws only for what
 * makes the whole operation impossible (no permission, no such container or table, the service unreachable after
 * retries), which should stop the run.
 *
 * <p>{@link #applyAll} is the bounded worker loop every caller uses (the command line, the Spark job): objects are
 * taken from the iterator as workers free up, at most {@code concurrency} in flight, and each result is handed to
 * the sink on the calling thread as soon as its object is done. The sink is the progress callback: it sees every
 * result once, in completion order, one at a time.
 *
 * @param <T> the object references this operation takes
 */
public interface FleetOperation<T> {
    /** The options this operation was set up with. */
    FleetOptions options();

    /**
     * Applies the operation to one object. Thread-safe.
     *
     * @return what was done; never {@code null}
     * @throws RuntimeException only for failures of the whole operation (see the class description)
     */
    FleetResult apply(T object);

    /**
     * Applies the operation to every object of {@code objects}, at most {@code concurrency} at once, handing each
     * result to {@code sink} on this thread as soon as it is done.
     *
     * @return the counts of the results (also handed to {@code sink})
     * @throws RuntimeException the first failure of the whole operation (from {@link #apply}, the iterator or the
     *     sink): the objects in flight are cancelled and nothing more is started
     */
    default FleetSummary applyAll(Iterator<? extends T> objects, int concurrency, Consumer<? super FleetResult> sink) {
        Objects.requireNonNull(sink, "sink");
        FleetSummary summary = new FleetSummary();
        Workers.run(objects, FleetOptions.checkConcurrency(concurrency), this::apply, result -> {
            summary.add(result);
            sink.accept(result);
        });
        return summary;
    }

    /** As {@link #applyAll(Iterator, int, Consumer)} with the options' {@link FleetOptions#concurrency()}. */
    default FleetSummary applyAll(Iterator<? extends T> objects, Consumer<? super FleetResult> sink) {
        return applyAll(objects, options().concurrency(), sink);
    }
}
