package dev.cse4j.table;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A read's {@code $select}: which properties the caller asked for. The two encryption metadata properties, and
 * PartitionKey and RowKey (the service returns only what is selected, and the decryption needs the keys), are added
 * to the request; the metadata properties are removed from the results, the keys stay.
 */
final class Projection {
    static final Projection ALL = new Projection(null);

    private final Set<String> selected;

    private Projection(Set<String> selected) {
        this.selected = selected;
    }

    /** @param select the caller's selection; {@code null} selects every property */
    static Projection of(List<String> select) {
        return select == null || select.isEmpty() ? ALL : new Projection(new HashSet<>(select));
    }

    /** Whether the caller asked for this property. */
    boolean includes(String name) {
        return selected == null || selected.contains(name);
    }

    /** The selection to send: the caller's plus the keys and metadata properties; {@code null} or empty as given. */
    static List<String> withMetadata(List<String> select) {
        if (select == null || select.isEmpty()) {
            return select;
        }
        List<String> sent = new ArrayList<>(select);
        for (String name : new String[] {EntityNames.PARTITION_KEY, EntityNames.ROW_KEY, EntityNames.METADATA,
            EntityNames.NAME_LIST}) {
            if (!sent.contains(name)) {
                sent.add(name);
            }
        }
        return sent;
    }
}
