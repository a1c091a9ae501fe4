/**
 * cse4j table: client-side encrypted Azure table entities ({@link dev.cse4j.table.EncryptedTableClient}), wrapping
 * azure-data-tables' {@code TableClient}, whose types it takes and returns, so that module (with azure-core) is read
 * transitively, as is {@code dev.cse4j.core}.
 */
module dev.cse4j.table {
    requires transitive dev.cse4j.core;
    requires transitive com.azure.data.tables;

    exports dev.cse4j.table;
}
