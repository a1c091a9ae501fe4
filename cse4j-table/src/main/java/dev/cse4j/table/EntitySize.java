package dev.cse4j.table;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

/**
 * The table service's limits and its size arithmetic for one stored entity (see
 * {@link TableEntityTooLargeException}). Sizes follow the service's published formula: strings count 2 bytes per
 * UTF-16 character, binary values their length.
 */
final class EntitySize {
    /** Properties of an entity, PartitionKey, RowKey and Timestamp included. */
    static final int MAX_PROPERTIES = 255;
    /** Properties other than PartitionKey, RowKey and Timestamp. */
    static final int MAX_USER_PROPERTIES = MAX_PROPERTIES - 3;
    /** 1 MiB. */
    static final long MAX_ENTITY_BYTES = 1024 * 1024;
    /** 64 KiB of binary. */
    static final int MAX_BINARY_BYTES = 64 * 1024;
    /** 64 KiB of UTF-16. */
    static final int MAX_STRING_CHARS = 32 * 1024;

    private static final int ENTITY_OVERHEAD = 4;
    private static final int PROPERTY_OVERHEAD = 8;
    private static final int LENGTH_FIELD = 4;

    private EntitySize() {
    }

    /** The entity's fixed part: 4 bytes and its two keys. */
    static long keys(String partitionKey, String rowKey) {
        return ENTITY_OVERHEAD + 2L * (partitionKey.length() + rowKey.length());
    }

    /** One property: 8 bytes, its name, its value. */
    static long property(String name, long valueSize) {
        return PROPERTY_OVERHEAD + 2L * name.length() + valueSize;
    }

    /** A binary value of {@code length} bytes. */
    static long binaryValue(long length) {
        return LENGTH_FIELD + length;
    }

    /** A string value (2 bytes per UTF-16 character). */
    static long stringValue(String value) {
        return LENGTH_FIELD + 2L * value.length();
    }

    /**
     * The size of a value as the service stores it.
     *
     * @param edmType the value's {@code @odata.type} annotation, or {@code null}; it decides the type of a string
     *     value (a string annotated {@code Edm.Int64} is an Int64)
     */
    static long value(Object value, String edmType) {
        if (value instanceof byte[]) {
            return binaryValue(((byte[]) value).length);
        }
        if (value instanceof Byte[]) {
            return binaryValue(((Byte[]) value).length);
        }
        if (value instanceof String) {
            return edmType == null ? stringValue((String) value) : annotatedString((String) value, edmType);
        }
        if (value instanceof Boolean) {
            return 1;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return 4;
        }
        if (value instanceof Number) {
            return 8; // Long (Edm.Int64), Double, Float (Edm.Double)
        }
        if (value instanceof UUID) {
            return 16;
        }
        if (value instanceof OffsetDateTime || value instanceof ZonedDateTime || value instanceof Instant
            || value instanceof LocalDateTime || value instanceof LocalDate || value instanceof Date) {
            return 8;
        }
        return stringValue(String.valueOf(value));
    }

    private static long annotatedString(String value, String edmType) {
        switch (edmType) {
            case "Edm.Binary":
                return binaryValue(base64Length(value));
            case "Edm.Boolean":
                return 1;
            case "Edm.Int32":
                return 4;
            case "Edm.Int64":
            case "Edm.Double":
            case "Edm.DateTime":
                return 8;
            case "Edm.Guid":
                return 16;
            default:
                return stringValue(value);
        }
    }

    private static long base64Length(String base64) {
        int padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
        return Math.max(0, base64.length() / 4L * 3 - padding);
    }

    /** The size of a stored entity's property map (system, bookkeeping and null entries do not count). */
    static long of(String partitionKey, String rowKey, Map<String, Object> properties) {
        long size = keys(partitionKey, rowKey);
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            String name = e.getKey();
            if (e.getValue() == null || EntityNames.isSystemProperty(name) || EntityNames.isBookkeeping(name)) {
                continue;
            }
            Object annotation = properties.get(EntityNames.typeAnnotation(name));
            size += property(name, value(e.getValue(), annotation == null ? null : annotation.toString()));
        }
        return size;
    }
}
