package dev.cse4j.spark;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.data.tables.models.TableEntity;
import dev.cse4j.table.EntityRef;
import dev.cse4j.table.TableListing;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The driver's split of a table into PartitionKey ranges (no Spark): the ranges, listed one by one, hold every
 * entity exactly once, in key order, however finely the table is split; an empty table is one range.
 */
@ExtendWith(AzuriteExtension.class)
class TableRangesTest {
    private static final List<String> KEYS = List.of("a", "a0", "a1", "a1x", "b0", "b1", "z\uD7FF", "\u00e90",
        "\uD83D\uDE00x", "\uD83D\uDE00y");

    @Test
    void split_atEveryDepthAndUnitCount_theRangesListEveryEntityExactlyOnce(Azurite azurite) {
        TableClient table = new TableServiceClientBuilder().connectionString(azurite.connectionString())
            .buildClient().getTableClient("ranges" + System.nanoTime());
        table.createTable();
        for (String pk : KEYS) {
            for (String rk : List.of("1", "2")) {
                table.upsertEntity(new TableEntity(pk, rk));
            }
        }
        List<String> all = keys(table, null);

        List<TableRange> whole = TableRanges.split(table, 8, 0);
        List<TableRange> firstCharacters = TableRanges.split(table, 1, 3);
        List<TableRange> fine = TableRanges.split(table, 100, 3);

        assertThat(all).hasSize(2 * KEYS.size());
        assertThat(whole).containsExactly(new TableRange(table.getTableName(), null, null));
        // a, b, z, é, 😀: the first characters in use
        assertThat(firstCharacters).extracting(TableRange::to).containsExactly("b", "z", "\u00e9", "\uD83D\uDE00",
            null);
        assertThat(fine.size()).isGreaterThan(firstCharacters.size());
        for (List<TableRange> ranges : List.of(whole, firstCharacters, fine)) {
            List<String> listed = new ArrayList<>();
            ranges.forEach(range -> listed.addAll(keys(table, range.filter("RowKey eq '1' or RowKey eq '2'"))));
            assertThat(listed).as(ranges.toString()).isEqualTo(all);
        }
    }

    @Test
    void split_emptyTable_isOneRange_andSuccessorSkipsSurrogates(Azurite azurite) {
        TableClient table = new TableServiceClientBuilder().connectionString(azurite.connectionString())
            .buildClient().getTableClient("rangesempty" + System.nanoTime());
        table.createTable();

        assertThat(TableRanges.split(table, 8, 3)).containsExactly(new TableRange(table.getTableName(), null, null));
        assertThat(TableRanges.successor("ab")).isEqualTo("ac");
        assertThat(TableRanges.successor("a\uD7FF")).isEqualTo("a\uE000");
        assertThat(TableRanges.successor("a" + new String(Character.toChars(Character.MAX_CODE_POINT))))
            .isEqualTo("b");
        assertThat(TableRanges.successor(new String(Character.toChars(Character.MAX_CODE_POINT)))).isNull();
        assertThat(TableRanges.prefix("\uD83D\uDE00xy", 2)).isEqualTo("\uD83D\uDE00x");
    }

    private static List<String> keys(TableClient table, String filter) {
        List<String> keys = new ArrayList<>();
        TableListing.list(table, filter).forEachRemaining((EntityRef ref) -> keys.add(ref.getPartitionKey() + "|"
            + ref.getRowKey()));
        return keys;
    }
}
