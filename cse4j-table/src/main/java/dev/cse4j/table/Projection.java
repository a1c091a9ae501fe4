package dev.cse4j.table;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A read's {@code $select}: which properties the caller asked for. The two encryption metadata properties, and
 * PartitionKey and RowKey (the service returns only what is selected, and the decryption needs the keys), are added
 * to the request; the metadata properties are removed from the results, and the keys too unless they were selected,
 * so that a projection returns what the caller selected, as the SDK's does.
 */
final class Projection {
    static final Projection ALL = new Projection(null);

    /**
     * Names that a {@code $select} list carries unambiguously (it is comma-separated and not quoted): C# identifiers,
     * which the service's naming rules ask property names to be.
     */
    private static final Pattern SELECTABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");
    /** The longest {@code $select} (characters of names) that a merge's read sends, to keep its URL short. */
    private static final int MAX_SELECT_CHARS = 2048;

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

    /** Removes PartitionKey and RowKey from a result's properties unless the caller selected them. */
    void removeUnselectedKeys(Map<String, Object> properties) {
        if (selected != null) {
            for (String key : new String[] {EntityNames.PARTITION_KEY, EntityNames.ROW_KEY}) {
                if (!selected.contains(key)) {
                    properties.remove(key);
                }
            }
        }
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

    /**
     * The selection that reads {@code names} with the keys and the metadata, or {@code null} (read everything) when
     * a name could be misread in a {@code $select} list or the list would be long.
     */
    static List<String> narrowest(Collection<String> names) {
        int chars = 0;
        for (String name : names) {
            chars += name.length() + 1;
            if (!SELECTABLE.matcher(name).matches() || chars > MAX_SELECT_CHARS) {
                return null;
            }
        }
        List<String> select = new ArrayList<>(names);
        select.add(EntityNames.PARTITION_KEY);
        return withMetadata(select);
    }
}
