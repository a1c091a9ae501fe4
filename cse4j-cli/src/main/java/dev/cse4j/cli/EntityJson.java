package dev.cse4j.cli;

import com.azure.data.tables.models.TableEntity;
import com.azure.json.JsonProviders;
import com.azure.json.JsonWriter;
import dev.cse4j.core.implementation.TerminalText;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * A table entity as one JSON object: PartitionKey, RowKey, Timestamp, then the other properties sorted by name.
 * Strings as strings; Int32, Int64 and Double as numbers (non-finite doubles as strings); Boolean as true/false;
 * DateTime as an ISO-8601 UTC string; Guid as a string; Binary as base64. OData bookkeeping entries are left out.
 * Control, format (bidirectional) and other unsafe characters in names and strings are JSON escapes.
 */
final class EntityJson {
    private static final String[] FIRST = {"PartitionKey", "RowKey", "Timestamp"};

    private EntityJson() {
    }

    static String write(TableEntity entity) {
        Map<String, Object> rest = new TreeMap<>(entity.getProperties());
        rest.keySet().removeIf(name -> name.startsWith("odata.") || name.contains("@odata."));
        StringWriter text = new StringWriter();
        try (JsonWriter json = JsonProviders.createWriter(text)) {
            json.writeStartObject();
            for (String name : FIRST) {
                Object value = rest.remove(name);
                if (value != null) {
                    field(json, name, value);
                }
            }
            for (Map.Entry<String, Object> property : rest.entrySet()) {
                field(json, property.getKey(), property.getValue());
            }
            json.writeEndObject().flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the entity as JSON", e);
        }
        return TerminalText.json(text.toString());
    }

    private static void field(JsonWriter json, String name, Object value) throws IOException {
        if (value == null) {
            json.writeNullField(name);
        } else if (value instanceof Boolean b) {
            json.writeBooleanField(name, b);
        } else if (value instanceof Integer i) {
            json.writeIntField(name, i);
        } else if (value instanceof Long l) {
            json.writeLongField(name, l);
        } else if (value instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                json.writeStringField(name, d.toString());
            } else {
                json.writeDoubleField(name, d);
            }
        } else if (value instanceof OffsetDateTime time) {
            json.writeStringField(name, time.withOffsetSameInstant(ZoneOffset.UTC)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        } else if (value instanceof byte[] bytes) {
            json.writeStringField(name, Base64.getEncoder().encodeToString(bytes));
        } else {
            json.writeStringField(name, value.toString());
        }
    }
}
