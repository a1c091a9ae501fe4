/**
 * Encrypted Azure table entities: {@link dev.cse4j.table.EncryptedTableClient}, built with
 * {@link dev.cse4j.table.EncryptedTableClientBuilder}, wraps an azure-data-tables {@code TableClient} and encrypts the
 * string properties chosen by an {@link dev.cse4j.table.EncryptionResolver} or marked with
 * {@link dev.cse4j.table.EncryptedString}.
 *
 * <p>Written by default in cse4j's authenticated format (protocol {@code cse4j-t1}: AES-256-GCM per value, bound to
 * its entity and property name; specified in docs/table-format.md), or, on request, in the unauthenticated legacy
 * 1.0 format that the .NET 9.x, Java 8.x and Python cosmosdb-table SDKs read
 * ({@link dev.cse4j.core.TableEncryptionFormat}). Both are read; 1.0 only on explicit opt-in.
 */
package dev.cse4j.table;
