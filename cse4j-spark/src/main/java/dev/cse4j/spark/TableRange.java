package dev.cse4j.spark;

import dev.cse4j.table.TableListing;
import java.io.Serializable;

/**
 * A range of a table's PartitionKeys that one task lists and processes: names only, never metadata or keys. The
 * ranges {@link TableRanges#split} makes of a table cover it exactly once, whatever is written meanwhile.
 *
 * @param table the table
 * @param from the least PartitionKey of the range ({@code null}: from the start of the table)
 * @param to the PartitionKey after the range ({@code null}: to the end of the table)
 */
record TableRange(String table, String from, String to) implements Serializable {

    /**
     * @param filter the job's OData filter ({@code --filter}), or {@code null}
     * @return the filter that lists the entities of this range that {@code filter} selects ({@code null}: all)
     */
    String filter(String filter) {
        return TableListing.partitionRange(filter, from, to);
    }
}
