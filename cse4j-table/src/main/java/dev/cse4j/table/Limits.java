package dev.cse4j.table;

import dev.cse4j.table.TableEntityTooLargeException.Limit;

/** Refuses an entity that the table service would refuse, before anything is sent (arithmetic in EntitySize). */
final class Limits {
    private Limits() {
    }

    /**
     * @param userProperties properties other than PartitionKey, RowKey, Timestamp and the two metadata properties
     */
    static void checkPropertyCount(String entity, int userProperties) {
        int stored = userProperties + 2 + 3;
        if (stored > EntitySize.MAX_PROPERTIES) {
            throw new TableEntityTooLargeException(Limit.PROPERTY_COUNT, null, stored, EntitySize.MAX_PROPERTIES,
                entity + " has " + userProperties + " properties besides PartitionKey, RowKey and Timestamp; with "
                    + "the two encryption metadata properties (_ClientEncryptionMetadata1 and 2) that makes " + stored
                    + " stored properties, and the table service allows " + EntitySize.MAX_PROPERTIES + " including "
                    + "PartitionKey, RowKey and Timestamp. An encrypted entity can have at most "
                    + (EntitySize.MAX_USER_PROPERTIES - 2) + " properties of its own. Nothing was written.");
        }
    }

    /**
     * @param storedLength the encrypted value's length as stored (binary)
     * @param maxPlaintext the largest UTF-8 length that fits in this format
     */
    static void checkEncryptedValue(String entity, String name, long plaintextUtf8, long storedLength,
        long maxPlaintext) {
        if (storedLength > EntitySize.MAX_BINARY_BYTES) {
            throw new TableEntityTooLargeException(Limit.PROPERTY_SIZE, name, storedLength,
                EntitySize.MAX_BINARY_BYTES, entity + ": property '" + name + "' has " + plaintextUtf8 + " bytes of "
                    + "UTF-8, which encrypt to " + storedLength + " bytes of binary; the table service stores at most "
                    + EntitySize.MAX_BINARY_BYTES + " bytes in one property, so at most " + maxPlaintext + " UTF-8 "
                    + "bytes can be encrypted into it. Split the value over several properties or store it as an "
                    + "encrypted blob. Nothing was written.");
        }
    }

    /** A property written unencrypted. */
    static void checkPlainValue(String entity, String name, Object value, String edmType) {
        if (value instanceof byte[] && ((byte[]) value).length > EntitySize.MAX_BINARY_BYTES) {
            int length = ((byte[]) value).length;
            throw new TableEntityTooLargeException(Limit.PROPERTY_SIZE, name, length, EntitySize.MAX_BINARY_BYTES,
                entity + ": binary property '" + name + "' has " + length + " bytes; the table service stores at most "
                    + EntitySize.MAX_BINARY_BYTES + ". Nothing was written.");
        }
        if (value instanceof String && (edmType == null || EntityNames.EDM_STRING.equals(edmType))
            && ((String) value).length() > EntitySize.MAX_STRING_CHARS) {
            int length = ((String) value).length();
            throw new TableEntityTooLargeException(Limit.PROPERTY_SIZE, name, length, EntitySize.MAX_STRING_CHARS,
                entity + ": string property '" + name + "' has " + length + " UTF-16 characters; the table service "
                    + "stores at most " + EntitySize.MAX_STRING_CHARS + " (64 KiB of UTF-16). Nothing was written.");
        }
    }

    /**
     * @param bytes the entity's size as the service counts it
     * @param lowerBound whether {@code bytes} leaves out the encryption metadata (checked again when it is known)
     */
    static void checkEntitySize(String entity, long bytes, boolean lowerBound) {
        if (bytes > EntitySize.MAX_ENTITY_BYTES) {
            throw new TableEntityTooLargeException(Limit.ENTITY_SIZE, null, bytes, EntitySize.MAX_ENTITY_BYTES,
                entity + " would be " + (lowerBound ? "at least " : "") + bytes + " bytes as the table service "
                    + "counts it (2 bytes per string character, encrypted values at their stored binary size, the "
                    + "encryption metadata included); the service allows " + EntitySize.MAX_ENTITY_BYTES + " bytes "
                    + "(1 MiB). Nothing was written.");
        }
    }
}
