package dev.cse4j.table;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The service's size formula, on hand-computed examples. */
class EntitySizeTest {

    @Test
    void keys_count4BytesAnd2PerCharacter() {
        assertThat(EntitySize.keys("pk", "rk")).isEqualTo(4 + 2 * 4);
        assertThat(EntitySize.keys("", "")).isEqualTo(4);
        assertThat(EntitySize.keys("日本", "🙂")).isEqualTo(4 + 2 * (2 + 2)); // UTF-16 units: the emoji is 2
    }

    @Test
    void values_countAsTheServiceStoresThem() {
        assertThat(EntitySize.value("Mountain View", null)).isEqualTo(4 + 2 * 13);
        assertThat(EntitySize.value("", null)).isEqualTo(4);
        assertThat(EntitySize.value(new byte[10], null)).isEqualTo(14);
        assertThat(EntitySize.value(23, null)).isEqualTo(4);
        assertThat(EntitySize.value(23L, null)).isEqualTo(8);
        assertThat(EntitySize.value(2.5, null)).isEqualTo(8);
        assertThat(EntitySize.value(true, null)).isEqualTo(1);
        assertThat(EntitySize.value(UUID.randomUUID(), null)).isEqualTo(16);
        assertThat(EntitySize.value(OffsetDateTime.now(), null)).isEqualTo(8);
    }

    @Test
    void annotatedStrings_countAsTheirAnnotatedType() {
        assertThat(EntitySize.value("1234567890123", "Edm.Int64")).isEqualTo(8);
        assertThat(EntitySize.value("AQID", "Edm.Binary")).isEqualTo(4 + 3);
        assertThat(EntitySize.value("AQI=", "Edm.Binary")).isEqualTo(4 + 2);
        assertThat(EntitySize.value("3f2504e0-4f89-11d3-9a0c-0305e82c3301", "Edm.Guid")).isEqualTo(16);
        assertThat(EntitySize.value("abc", "Edm.String")).isEqualTo(4 + 6);
    }

    @Test
    void wholeEntity_countsEveryUserPropertyButNotKeysTimestampBookkeepingOrNulls() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("PartitionKey", "pk");
        properties.put("RowKey", "rk");
        properties.put("Timestamp", OffsetDateTime.now());
        properties.put("odata.etag", "W/\"datetime'2024'\"");
        properties.put("Address", "Mountain View");       // 8 + 14 + 30 = 52
        properties.put("Age", 23);                       // 8 + 6 + 4 = 18
        properties.put("Big", "5");                      // 8 + 6 + 8 = 22 (annotated Int64)
        properties.put("Big@odata.type", "Edm.Int64");
        properties.put("Gone", null);

        assertThat(EntitySize.of("pk", "rk", properties)).isEqualTo(12 + 52 + 18 + 22);
    }
}
