package dev.cse4j.table;

import java.util.Set;

/**
 * The property names that have a fixed meaning on an entity: the system properties, the two reserved encryption
 * metadata properties, and the OData keys and {@code @odata.type} annotations the Tables SDK keeps in an entity's
 * property map.
 */
final class EntityNames {
    static final String PARTITION_KEY = "PartitionKey";
    static final String ROW_KEY = "RowKey";
    static final String TIMESTAMP = "Timestamp";
    /** Encryption metadata: the {@code EncryptionData} JSON (Edm.String). */
    static final String METADATA = "_ClientEncryptionMetadata1";
    /** The encrypted list of encrypted property names (Edm.Binary). */
    static final String NAME_LIST = "_ClientEncryptionMetadata2";
    static final String ODATA_ETAG = "odata.etag";
    static final String TYPE_SUFFIX = "@odata.type";
    static final String EDM_STRING = "Edm.String";
    static final String EDM_BINARY = "Edm.Binary";

    private static final Set<String> ODATA_KEYS = Set.of(ODATA_ETAG, "odata.metadata", "odata.type", "odata.id",
        "odata.editLink");

    private EntityNames() {
    }

    /** PartitionKey, RowKey, Timestamp: never encrypted, never counted as user properties. */
    static boolean isSystemProperty(String name) {
        return PARTITION_KEY.equals(name) || ROW_KEY.equals(name) || TIMESTAMP.equals(name);
    }

    static boolean isReserved(String name) {
        return METADATA.equals(name) || NAME_LIST.equals(name);
    }

    /** OData bookkeeping in the SDK's property map ({@code odata.etag}, ...) and type annotations: not properties. */
    static boolean isBookkeeping(String name) {
        return ODATA_KEYS.contains(name) || name.endsWith(TYPE_SUFFIX);
    }

    static String typeAnnotation(String name) {
        return name + TYPE_SUFFIX;
    }
}
