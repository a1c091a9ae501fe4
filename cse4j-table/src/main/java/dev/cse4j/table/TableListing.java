package dev.cse4j.table;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;

import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Lists table entities as {@link EntityRef}s for fleet operations: the table's query with an optional OData filter,
 * selecting only the keys and the two metadata properties (no values travel). Lazy and paged: a page (up to 1,000
 * entities, the service's most) is requested when the iterator needs it, so memory does not grow with the table.
 * Entities come in the service's order, by PartitionKey, then RowKey.
 *
 * <p>To split a table between machines, give each a range of PartitionKeys: {@link #partitionRange} makes the
 * filter, combined with any filter of the caller's; the ranges {@code [a, b)}, {@code [b, c)}, ... list every
 * entity exactly once.
 */
public final class TableListing {
    /** What a listing selects: the keys and the metadata properties. */
    static final List<String> SELECT = List.of(EntityNames.PARTITION_KEY, EntityNames.ROW_KEY, EntityNames.METADATA,
        EntityNames.NAME_LIST);

    private TableListing() {
    }

    /**
     * Every entity of {@code table} that {@code filter} selects ({@code null} or blank: every entity).
     *
     * @param filter an OData filter over stored values (encrypted properties cannot be filtered on)
     */
    public static Iterator<EntityRef> list(TableClient table, String filter) {
        ListEntitiesOptions options = new ListEntitiesOptions().setSelect(SELECT)
            .setFilter(filter == null || filter.isBlank() ? null : filter);
        return table.listEntities(options, null, Context.NONE).stream().map(EntityRef::of).iterator();
    }

    /**
     * The filter that selects the entities {@code filter} selects ({@code null} or blank: all) whose PartitionKey
     * is at least {@code from} and below {@code to}: {@code (filter) and PartitionKey ge 'from' and PartitionKey lt
     * 'to'}, each bound left out when {@code null}.
     */
    public static String partitionRange(String filter, String from, String to) {
        StringBuilder combined = new StringBuilder();
        if (filter != null && !filter.isBlank()) {
            combined.append('(').append(filter).append(')');
        }
        if (from != null) {
            and(combined).append(EntityNames.PARTITION_KEY).append(" ge ").append(literal(from));
        }
        if (to != null) {
            and(combined).append(EntityNames.PARTITION_KEY).append(" lt ").append(literal(to));
        }
        return combined.length() == 0 ? null : combined.toString();
    }

    /** {@code value} as an OData string literal: in single quotes, each quote doubled. */
    static String literal(String value) {
        return "'" + Objects.requireNonNull(value, "value").replace("'", "''") + "'";
    }

    private static StringBuilder and(StringBuilder filter) {
        return filter.length() == 0 ? filter : filter.append(" and ");
    }
}
