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
 *
 * <p>The client behaves as azure-data-tables' {@code TableClient}: {@code upsertEntity} and {@code updateEntity}
 * MERGE by default and REPLACE on request, {@code createTableIfNotExists}, {@code deleteTable} (a missing table is not
 * an error), {@code listEntities} with a filter and a projection that returns what it selects. A merge keeps the
 * encrypted values valid: one that sets only unencrypted properties is sent as a MERGE (the format binds no
 * unencrypted property); one that sets an encrypted property reads the entity, re-encrypts it whole under a fresh
 * content key and replaces it with If-Match on the version read. Either way a concurrent change makes the write fail
 * and the merge start again, at most {@code maxMergeRetries} more times, then
 * {@link dev.cse4j.table.TableMergeConflictException} with nothing written: no acknowledged update is lost.
 * Transactions merge the same way and stay atomic (entities read first, the transaction sent with If-Match on each
 * and retried whole). The details are in {@link dev.cse4j.table.EncryptedTableClient}.
 *
 * <p>Fleet operations over a whole table (issue 11): {@link dev.cse4j.table.TableFleetOperation} rotates the key
 * encryption key of every entity (rewrap: only {@code _ClientEncryptionMetadata1} rewritten), migrates legacy 1.0
 * entities to {@code cse4j-t1}, or verifies them, over the entities {@link dev.cse4j.table.TableListing} lists
 * ({@link dev.cse4j.table.EntityRef}s), with the framework of {@code dev.cse4j.fleet}.
 */
package dev.cse4j.table;
