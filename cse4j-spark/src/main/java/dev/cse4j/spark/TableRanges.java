package dev.cse4j.spark;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import dev.cse4j.table.TableListing;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Splits a table into PartitionKey ranges for the job's tasks from a few key probes on the driver, never a listing
 * of the table, so that listing itself is spread over the executors (each task lists its own range). Level by level
 * (the PartitionKeys' first character, then their first two, ... at most {@code --listing-depth}), the driver skips
 * through the distinct prefixes in use with one query per prefix ({@code PartitionKey ge 'x'}, one key, the
 * PartitionKey alone), until there are at least {@code --listing-units} of them. The ranges between the prefixes
 * found, {@code [start, p2)}, {@code [p2, p3)}, ..., {@code [pn, end)}, cover every entity exactly once whatever is
 * written meanwhile: any ascending set of bounds does. One PartitionKey is never split (a task bounds its memory
 * by working through its range {@code --objects-per-partition} entities at a time).
 *
 * <p>The probes assume the service orders PartitionKeys as Java orders strings (UTF-16 code units; Azurite does).
 * The user's {@code --filter} is not used by the probes (a filter on other properties would make each probe a scan):
 * the tasks apply it within their ranges.
 */
final class TableRanges {
    /** Probes per level, at most, per unit asked for: bounds the driver's requests. */
    private static final int PROBES_PER_UNIT = 16;

    private TableRanges() {
    }

    /**
     * @param units how many ranges to aim for (at least)
     * @param depth how many leading characters of the PartitionKeys to split by, at most
     * @return the ranges, in key order: one range of the whole table if it is empty or {@code depth} is 0
     * @throws com.azure.data.tables.models.TableServiceException if the table cannot be queried (e.g. it does not
     *     exist: 404)
     */
    static List<TableRange> split(TableClient table, int units, int depth) {
        int limit = Math.max(1, units) * PROBES_PER_UNIT;
        TreeSet<String> bounds = new TreeSet<>();
        String first = firstKeyFrom(table, null);
        for (int length = 1; first != null && length <= depth && bounds.size() < units; length++) {
            List<String> level = new ArrayList<>();
            for (String key = first; key != null && level.size() < limit; ) {
                String prefix = prefix(key, length);
                level.add(prefix);
                // past every key starting with the prefix; after a key shorter than it, to the keys extending it
                // (no key holds a control character: a space is the least character that can follow)
                String after = prefix.equals(key) && key.codePointCount(0, key.length()) < length ? key + " "
                    : successor(prefix);
                key = after == null ? null : firstKeyFrom(table, after);
            }
            bounds.addAll(level);
        }
        List<TableRange> ranges = new ArrayList<>();
        String from = null;
        // the first range starts at the start of the table, so a key written before the first bound is in it too
        for (String bound : bounds.isEmpty() ? List.<String>of() : bounds.tailSet(bounds.first(), false)) {
            ranges.add(new TableRange(table.getTableName(), from, bound));
            from = bound;
        }
        ranges.add(new TableRange(table.getTableName(), from, null));
        return ranges;
    }

    /** @return the least PartitionKey at or after {@code from} ({@code null}: of the table), or {@code null} */
    private static String firstKeyFrom(TableClient table, String from) {
        ListEntitiesOptions options = new ListEntitiesOptions().setTop(1).setSelect(List.of("PartitionKey"))
            .setFilter(TableListing.partitionRange(null, from, null));
        return table.listEntities(options, null, Context.NONE).stream().findFirst()
            .map(TableEntity::getPartitionKey).orElse(null);
    }

    /** The first {@code length} code points of {@code key} (all of it if shorter). */
    static String prefix(String key, int length) {
        int count = key.codePointCount(0, key.length());
        return count <= length ? key : key.substring(0, key.offsetByCodePoints(0, length));
    }

    /**
     * @return the least string above every string starting with {@code prefix} (its last code point incremented,
     *     surrogates skipped), or {@code null} if there is none
     */
    static String successor(String prefix) {
        String rest = prefix;
        while (!rest.isEmpty()) {
            int last = rest.codePointBefore(rest.length());
            String head = rest.substring(0, rest.length() - Character.charCount(last));
            if (last < Character.MAX_CODE_POINT) {
                int next = last + 1 == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : last + 1;
                return head + new String(Character.toChars(next));
            }
            rest = head;
        }
        return null;
    }
}
