package dev.cse4j.core;

/**
 * The format the encrypted table client writes entities in, chosen with
 * {@link ClientSideEncryptionOptions.Builder#tableFormat(TableEncryptionFormat)}. Reading accepts both, whatever is
 * set here (legacy 1.0 only with {@link ClientSideEncryptionOptions.Builder#allowUnauthenticatedV1Reads(boolean)}).
 */
public enum TableEncryptionFormat {
    /**
     * The default: cse4j's authenticated format, protocol {@code cse4j-t1} (docs/table-format.md). Each value is
     * AES-256-GCM encrypted and bound to its entity's PartitionKey and RowKey and to its property name; the list of
     * encrypted names is authenticated the same way. Only cse4j reads it; the legacy SDKs refuse it with an error.
     */
    AUTHENTICATED,

    /**
     * The legacy protocol 1.0 of the .NET 9.x, Java 8.x and Python cosmosdb-table SDKs: AES-256-CBC per property,
     * <b>unauthenticated</b> (values can be modified, swapped between entities or dropped without detection). Only
     * for fleets whose readers are still those SDKs; cse4j itself reads it back only with
     * {@code allowUnauthenticatedV1Reads(true)}. Written as .NET and Python write it (RowKey+PartitionKey IV order,
     * JSON name list); names containing spaces, commas, quotes, backslashes or control characters are refused,
     * because the Java 8 reader cannot parse them.
     */
    LEGACY_V1_UNAUTHENTICATED
}
