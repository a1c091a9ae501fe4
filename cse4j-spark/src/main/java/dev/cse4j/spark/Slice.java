package dev.cse4j.spark;

import java.io.Serializable;

/**
 * A part of a container's listing that one task lists and processes: names only, never metadata or keys. Either
 * one blob by name, or a run of a listing unit (every blob under {@code prefix}, or only those directly in it) from
 * a continuation token up to, not including, a name. The slices {@link SliceListing#cut cut} from a listing cover
 * it exactly once, even when blobs are added or deleted between the cut and the tasks.
 *
 * @param container the container
 * @param prefix the unit's prefix ({@code ""}: the whole container)
 * @param directChildrenOnly only names without a {@code /} after the prefix
 * @param name one blob's name, or {@code null} for a run of the unit
 * @param startToken the continuation token where the run starts ({@code null}: at the start of the unit)
 * @param endBefore the first name after the run ({@code null}: to the end of the unit)
 */
record Slice(String container, String prefix, boolean directChildrenOnly, String name, String startToken,
             String endBefore) implements Serializable {

    /** The blob {@code name} of {@code container}. */
    static Slice named(String container, String name) {
        return new Slice(container, "", false, name, null, null);
    }

    /** This slice ending before {@code name}. */
    Slice endingBefore(String name) {
        return new Slice(container, prefix, directChildrenOnly, this.name, startToken, name);
    }
}
