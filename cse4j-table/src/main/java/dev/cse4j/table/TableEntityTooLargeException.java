package dev.cse4j.table;

/**
 * An entity was refused before anything was sent (to the table service or to the key encryption key) because, as
 * stored with its encryption, it would exceed one of the table service's limits. Nothing was written.
 *
 * <p>An {@link IllegalArgumentException}, like any argument the caller can check and correct: it is not an
 * encryption failure. The limits, exact at their boundaries (a value at the maximum is accepted, one more is not):
 * <ul>
 *   <li>{@link Limit#PROPERTY_COUNT}: an entity has at most 255 properties including PartitionKey, RowKey and
 *       Timestamp, so at most 252 others; an encrypted entity also stores {@code _ClientEncryptionMetadata1} and
 *       {@code _ClientEncryptionMetadata2}, leaving <b>250</b> user properties;</li>
 *   <li>{@link Limit#ENTITY_SIZE}: 1 MiB (1048576 bytes) as the service counts an entity: 4 bytes, plus 2 bytes per
 *       character of PartitionKey and RowKey, plus for every other property 8 bytes, 2 bytes per character of its
 *       name and the size of its value (a string: 4 + 2 per UTF-16 character; binary: 4 + its length; Int32 4,
 *       Int64, Double and DateTime 8, Guid 16, Boolean 1). Encrypted values count with their stored binary size, and
 *       the two metadata properties count too;</li>
 *   <li>{@link Limit#PROPERTY_SIZE}: a binary value (every encrypted value is binary) holds at most 65536 bytes, a
 *       string at most 32768 UTF-16 characters. An encrypted string of n UTF-8 bytes is stored as n + 28 bytes in
 *       the authenticated format and 16·(⌊n/16⌋+1) bytes in legacy 1.0, so at most 65508 or 65535 UTF-8 bytes can
 *       be encrypted.</li>
 * </ul>
 */
public final class TableEntityTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Which limit was exceeded. */
    public enum Limit {
        /** Too many properties. */
        PROPERTY_COUNT,
        /** The entity is over 1 MiB. */
        ENTITY_SIZE,
        /** One property value is over its type's maximum. */
        PROPERTY_SIZE
    }

    private final Limit limit;
    private final String propertyName;
    private final long actual;
    private final long maximum;

    TableEntityTooLargeException(Limit limit, String propertyName, long actual, long maximum, String message) {
        super(message);
        this.limit = limit;
        this.propertyName = propertyName;
        this.actual = actual;
        this.maximum = maximum;
    }

    /** @return the limit that was exceeded */
    public Limit getLimit() {
        return limit;
    }

    /** @return the property whose value is too large ({@link Limit#PROPERTY_SIZE}), otherwise {@code null} */
    public String getPropertyName() {
        return propertyName;
    }

    /**
     * @return what the stored entity would have had: its property count (including the system and metadata
     *     properties), its size in bytes, or the value's size (bytes, or characters for an unencrypted string)
     */
    public long getActual() {
        return actual;
    }

    /** @return the service's maximum for {@link #getActual()} */
    public long getMaximum() {
        return maximum;
    }
}
