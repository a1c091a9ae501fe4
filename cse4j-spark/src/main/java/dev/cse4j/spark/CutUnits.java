package dev.cse4j.spark;

import dev.cse4j.blob.ListingUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * The listing stage's task: cuts listing units of a container into {@link Slice}s on an executor (names only, one
 * request per page). Its closure is the {@link JobSpec} and nothing else.
 */
final class CutUnits implements FlatMapFunction<Iterator<CutUnits.Unit>, Slice> {
    private static final long serialVersionUID = 1L;

    /** A listing unit of a container, as a task's data. */
    record Unit(String container, String prefix, boolean directChildrenOnly) implements java.io.Serializable {
        Unit(String container, ListingUnit unit) {
            this(container, unit.getPrefix(), unit.isDirectChildrenOnly());
        }
    }

    private final JobSpec spec;

    CutUnits(JobSpec spec) {
        this.spec = spec;
    }

    @Override
    public Iterator<Slice> call(Iterator<Unit> units) {
        List<Slice> slices = new ArrayList<>();
        units.forEachRemaining(unit -> slices.addAll(SliceListing.cut(ExecutorState.container(spec,
            unit.container()), new ListingUnit(unit.prefix(), unit.directChildrenOnly()),
            spec.objectsPerPartition())));
        return slices.iterator();
    }
}
