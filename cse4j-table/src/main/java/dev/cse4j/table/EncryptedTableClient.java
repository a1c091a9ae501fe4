package dev.cse4j.table;

import com.azure.core.annotation.ServiceClient;
import com.azure.core.http.rest.PagedIterable;
import com.azure.core.http.rest.Response;
import com.azure.core.http.rest.SimpleResponse;
import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableItem;
import com.azure.data.tables.models.TableServiceException;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionResult;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.TableEncryptionFormat;
import dev.cse4j.core.implementation.Blocking;
import dev.cse4j.core.implementation.EncryptionSettings;
import dev.cse4j.fleet.FleetAction;
import dev.cse4j.fleet.FleetOptions;
import dev.cse4j.fleet.FleetResult;
import dev.cse4j.fleet.FleetSummary;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A table whose entities are encrypted on the client: wraps an azure-data-tables {@link TableClient} and encrypts
 * the chosen string properties of every entity it writes, and decrypts every entity it reads. Build one with
 * {@link EncryptedTableClientBuilder}. Thread-safe.
 *
 * <p><b>What is encrypted.</b> The string properties that the client's {@link EncryptionResolver} selects, and those
 * whose value is an {@link EncryptedString}. PartitionKey, RowKey, Timestamp and every other property are stored
 * as they are, so that the table can still be addressed and queried. Each write uses a fresh 256-bit content key,
 * wrapped by the key encryption key, and stores two extra properties: {@code _ClientEncryptionMetadata1} (the
 * encryption metadata, a string) and {@code _ClientEncryptionMetadata2} (the encrypted list of encrypted property
 * names, binary). Encrypted values are stored as {@code Edm.Binary}.
 *
 * <p><b>Formats.</b> By default entities are written in cse4j's authenticated format (protocol {@code cse4j-t1},
 * docs/table-format.md): AES-256-GCM per value, each value bound to its entity's PartitionKey and RowKey and to its
 * property name, the name list authenticated the same way. A value that is modified, moved to another property or
 * entity, or removed makes the read fail with an {@link dev.cse4j.core.IntegrityException}; plaintext is never
 * returned unverified. {@link TableEncryptionFormat#LEGACY_V1_UNAUTHENTICATED} writes the legacy 1.0 format of the
 * .NET 9.x, Java 8.x and Python cosmosdb-table SDKs instead, for fleets that still read with them. Reads accept
 * both; 1.0 only with {@code allowUnauthenticatedV1Reads(true)}.
 *
 * <p><b>Writes, as {@link TableClient} does them.</b> {@code createEntity} inserts; {@code upsertEntity} and
 * {@code updateEntity} MERGE by default, as in azure-data-tables, and REPLACE the whole entity with
 * {@link TableEntityUpdateMode#REPLACE}; {@code updateEntity} needs the entity to exist, {@code upsertEntity} creates it
 * if missing. A REPLACE (and a create) encrypts the entity and sends it in one request. A MERGE cannot simply be sent
 * to the service, because all encrypted values of an entity share one content key and one authenticated list of
 * encrypted names; cse4j merges so that nothing is lost:
 * <ul>
 *   <li>Every merge first reads the entity (a merge that sets only unencrypted properties reads only those, the keys
 *       and the metadata). A missing entity is created by an upsert (encrypted like any new entity) and is the
 *       service's 404 for an update. Null values leave stored properties as they are, as the service's MERGE
 *       does.</li>
 *   <li>A merge that sets only properties this client does not encrypt, none of which is stored encrypted, is sent
 *       as a MERGE with If-Match on the version read: the encrypted values, the name list and the metadata are left
 *       as they are and stay valid, because the format binds each encrypted value to its entity and name, and the
 *       list to its entity, but binds no unencrypted property. (The If-Match keeps a concurrent writer from turning
 *       one of those properties into an encrypted one between the read and the merge.)</li>
 *   <li>A merge that sets a property this client encrypts (by the {@link EncryptionResolver} or an
 *       {@link EncryptedString} value), or that sets a property stored encrypted, decrypts the entity read, applies
 *       the change, re-encrypts the whole entity under a fresh content key and REPLACEs it with If-Match on the
 *       version read. Encryption sticks: a property stored encrypted stays encrypted when a merge sets it (to a
 *       string; anything else is refused), so a merge never writes a once-encrypted value in plaintext.</li>
 *   <li>If another writer changed, deleted or created the entity between the read and the write, the service
 *       refuses the write, and the merge is read and applied again, at most
 *       {@link EncryptedTableClientBuilder#maxMergeRetries(int)} more times (default
 *       {@value EncryptedTableClientBuilder#DEFAULT_MAX_MERGE_RETRIES}); then it throws
 *       {@link TableMergeConflictException}, having written nothing. With {@code ifUnchanged = true} the write holds
 *       to the caller's ETag instead, and a changed entity is the service's 412, not retried. Every merge that returns
 *       was applied to the entity as it was, so no acknowledged write of anyone is lost.</li>
 *   <li>Legacy 1.0 entities: merging into one needs {@code allowUnauthenticatedV1Reads(true)} (else
 *       {@link EncryptionPolicyException}, nothing written). A merge of unencrypted properties leaves it in 1.0 with
 *       its encrypted values untouched; a merge of an encrypted property rewrites it in this client's format, so
 *       with the default format it becomes {@code cse4j-t1} (which the legacy SDKs cannot read). A client that
 *       writes 1.0 refuses to merge an encrypted property into a {@code cse4j-t1} entity: a merge never downgrades
 *       an entity to the unauthenticated format.</li>
 *   <li>An entity without encryption metadata is refused (requireEncryption) or, with
 *       {@code requireEncryption(false)}, read, merged and written back encrypted.</li>
 * </ul>
 * {@link #submitTransaction(List)} does the same for UPSERT_MERGE and UPDATE_MERGE actions, keeping the transaction
 * atomic: it reads every entity the transaction merges into, then submits the transaction with each merge turned
 * into an UPDATE_MERGE or UPDATE_REPLACE with If-Match on the version read (or a CREATE for an upsert of a missing
 * entity). If any of them changed in between, the service refuses the whole transaction, nothing of it is applied,
 * and it is read and built again, within the same bound.
 *
 * <p><b>Limits.</b> Before anything is sent, an entity is checked against the service's limits as it will be
 * stored (with its encrypted sizes and metadata): at most 250 properties besides PartitionKey, RowKey and Timestamp,
 * at most 1 MiB as the service counts it, at most 64 KiB per binary value (an encrypted string of at most 65508
 * UTF-8 bytes; 65535 in the legacy format). A violation throws {@link TableEntityTooLargeException}.
 *
 * <p><b>Reads.</b> Decrypted values come back as {@link String}s; the metadata properties are removed. A
 * {@code select} projection returns what it selects, as the SDK's does: the request also selects the metadata
 * properties and PartitionKey and RowKey, which the decryption needs, and they are removed from the results (the keys
 * unless selected). Filters see only stored values:
 * encrypted properties cannot be filtered on (their stored values are random-looking binary). A query fails on the
 * first entity that cannot be decrypted, e.g. with a {@link dev.cse4j.core.KeyResolutionException} when no key is
 * found for its key id.
 */
@ServiceClient(builder = EncryptedTableClientBuilder.class)
public final class EncryptedTableClient {
    private final TableClient client;
    private final EncryptionSettings settings;
    private final TableOperations operations;

    EncryptedTableClient(TableClient client, EncryptionSettings settings, EncryptionResolver resolver,
        int maxMergeRetries) {
        this.client = client;
        this.settings = settings;
        this.operations = new TableOperations(client.getTableName(), settings, resolver, maxMergeRetries);
    }

    /** @return the table's name */
    public String getTableName() {
        return client.getTableName();
    }

    /** @return the storage account's name */
    public String getAccountName() {
        return client.getAccountName();
    }

    /** @return the table service endpoint */
    public String getTableEndpoint() {
        return client.getTableEndpoint();
    }

    /** The wrapped Azure SDK client (for {@link TableFleetOperation}; never handed to users). */
    TableClient tableClient() {
        return client;
    }

    /** This client's keys and policies (for {@link TableFleetOperation}). */
    EncryptionSettings settings() {
        return settings;
    }

    /**
     * Creates the table.
     *
     * @throws com.azure.data.tables.models.TableServiceException 409 {@code TableAlreadyExists} if it exists
     */
    public TableItem createTable() {
        return client.createTable();
    }

    /** As {@link #createTable()}. */
    public Response<TableItem> createTableWithResponse(Duration timeout, Context context) {
        return client.createTableWithResponse(timeout, context);
    }

    /**
     * Creates the table unless it exists (azure-data-tables has this on {@code TableServiceClient}; here the
     * client's own table, with the boolean of the other services' {@code createIfNotExists}).
     *
     * @return {@code true} if the table was created, {@code false} if it existed
     */
    public boolean createTableIfNotExists() {
        return createTableIfNotExistsWithResponse(null, null).getValue();
    }

    /**
     * As {@link #createTableIfNotExists()}.
     *
     * @return the response: status 204 and {@code true} if the table was created, 409 and {@code false} if it
     *     existed
     */
    public Response<Boolean> createTableIfNotExistsWithResponse(Duration timeout, Context context) {
        try {
            return new SimpleResponse<>(client.createTableWithResponse(timeout, context), true);
        } catch (TableServiceException e) {
            if (!TableOperations.tableExisted(e)) {
                throw e;
            }
            return TableOperations.existed(e);
        }
    }

    /** Deletes the table and every entity in it; a table that does not exist is not an error (as the SDK). */
    public void deleteTable() {
        client.deleteTable();
    }

    /** As {@link #deleteTable()}; the response's status is 404 if the table did not exist. */
    public Response<Void> deleteTableWithResponse(Duration timeout, Context context) {
        return client.deleteTableWithResponse(timeout, context);
    }

    /**
     * Encrypts and inserts an entity that must not exist yet.
     *
     * @throws EncryptionPolicyException if a property is chosen for encryption that cannot be encrypted
     * @throws TableEntityTooLargeException if the stored entity would exceed a service limit
     */
    public void createEntity(TableEntity entity) {
        createEntityWithResponse(entity, null, null);
    }

    /** As {@link #createEntity(TableEntity)}. */
    public Response<Void> createEntityWithResponse(TableEntity entity, Duration timeout, Context context) {
        return Blocking.await(operations.create(entity, TableWire.of(client, timeout, context)));
    }

    /**
     * Merges an entity into the stored one, or creates it if it does not exist ({@link TableEntityUpdateMode#MERGE},
     * the SDK's default; see the class description for how a merge keeps encrypted values and loses no update).
     *
     * @throws TableMergeConflictException if other writers kept changing the entity (nothing was written)
     */
    public void upsertEntity(TableEntity entity) {
        upsertEntityWithResponse(entity, null, null, null);
    }

    /**
     * As {@link #upsertEntity(TableEntity)}, in the given mode.
     *
     * @param updateMode {@link TableEntityUpdateMode#REPLACE}: encrypt the entity and store it whole, in one
     *     request; {@link TableEntityUpdateMode#MERGE} or {@code null}: merge it
     * @throws TableMergeConflictException if a merge's entity kept changing (nothing was written)
     */
    public Response<Void> upsertEntityWithResponse(TableEntity entity, TableEntityUpdateMode updateMode,
        Duration timeout, Context context) {
        return Blocking.await(operations.upsert(entity, updateMode, TableWire.of(client, timeout, context)));
    }

    /**
     * Merges an entity into the existing one ({@link TableEntityUpdateMode#MERGE}, the SDK's default).
     *
     * @throws com.azure.data.tables.models.TableServiceException 404 if the entity does not exist
     * @throws TableMergeConflictException if other writers kept changing the entity (nothing was written)
     */
    public void updateEntity(TableEntity entity) {
        updateEntity(entity, null);
    }

    /**
     * As {@link #updateEntity(TableEntity)}, in the given mode ({@code null}: MERGE).
     */
    public void updateEntity(TableEntity entity, TableEntityUpdateMode updateMode) {
        updateEntityWithResponse(entity, updateMode, false, null, null);
    }

    /**
     * Updates an existing entity: merges it into the stored one, or encrypts it and replaces the stored one whole.
     *
     * @param updateMode {@link TableEntityUpdateMode#REPLACE}: encrypt and replace, in one request;
     *     {@link TableEntityUpdateMode#MERGE} or {@code null}: merge
     * @param ifUnchanged write only if the stored entity still has {@code entity}'s ETag (as read); otherwise a
     *     change by another writer is the service's 412 and is not retried
     * @throws com.azure.data.tables.models.TableServiceException 404 if the entity does not exist, 412 if
     *     {@code ifUnchanged} and it changed
     * @throws TableMergeConflictException if a merge's entity kept changing (nothing was written)
     */
    public Response<Void> updateEntityWithResponse(TableEntity entity, TableEntityUpdateMode updateMode,
        boolean ifUnchanged, Duration timeout, Context context) {
        return Blocking.await(operations.update(entity, updateMode, ifUnchanged,
            TableWire.of(client, timeout, context)));
    }

    /** Deletes an entity; one that does not exist is not an error (as the SDK). */
    public void deleteEntity(String partitionKey, String rowKey) {
        client.deleteEntity(partitionKey, rowKey);
    }

    /** Deletes an entity; one that does not exist is not an error (as the SDK). */
    public void deleteEntity(TableEntity entity) {
        client.deleteEntity(entity);
    }

    /** Deletes an entity; with {@code ifUnchanged}, only if it still has {@code entity}'s ETag. */
    public Response<Void> deleteEntityWithResponse(TableEntity entity, boolean ifUnchanged, Duration timeout,
        Context context) {
        return client.deleteEntityWithResponse(entity, ifUnchanged, timeout, context);
    }

    /**
     * Reads and decrypts one entity.
     *
     * @throws dev.cse4j.core.ClientSideEncryptionException subtypes if it cannot be decrypted (see the class
     *     description)
     */
    public TableEntity getEntity(String partitionKey, String rowKey) {
        return getEntityWithResponse(partitionKey, rowKey, null, null, null).getValue();
    }

    /**
     * Reads and decrypts one entity.
     *
     * @param select the properties to return, or {@code null} for all; the encryption metadata properties and
     *     PartitionKey and RowKey are requested too, for the decryption, and removed from the result unless selected
     */
    public Response<TableEntity> getEntityWithResponse(String partitionKey, String rowKey, List<String> select,
        Duration timeout, Context context) {
        return Blocking.await(operations.get(partitionKey, rowKey, select, TableWire.of(client, timeout, context)));
    }

    /** Lists and decrypts every entity of the table, page by page. */
    public PagedIterable<TableEntity> listEntities() {
        return listEntities(new ListEntitiesOptions(), null, null);
    }

    /**
     * Queries the table and decrypts the entities as they are iterated. The iteration fails at the first entity
     * that cannot be decrypted.
     *
     * @param options a filter (over stored values: encrypted properties cannot be filtered on), a page size, and a
     *     selection of properties (the encryption metadata properties and PartitionKey and RowKey are requested too,
     *     for the decryption, and removed from the results unless selected)
     */
    public PagedIterable<TableEntity> listEntities(ListEntitiesOptions options, Duration timeout, Context context) {
        Projection projection = TableOperations.projection(options);
        return client.listEntities(TableOperations.sent(options), timeout, context)
            .mapPage(entity -> Blocking.await(operations.decrypt(entity, projection, Blocking.ALLOWED)));
    }

    /**
     * Submits a transaction, all or nothing, as the SDK does: every entity is encrypted with its own fresh content
     * key, and UPSERT_MERGE and UPDATE_MERGE actions are merged as the class description says (each entity merged
     * into is read first; the transaction is sent with If-Match on the versions read and is retried whole if one of
     * them changed). Nothing is sent unless every action can be encrypted.
     *
     * @throws com.azure.data.tables.models.TableTransactionFailedException if the service refuses an action, or an
     *     UPDATE_MERGE's entity does not exist (its index is the action's)
     * @throws TableMergeConflictException if entities merged into kept changing (nothing of the transaction was
     *     applied)
     */
    public TableTransactionResult submitTransaction(List<TableTransactionAction> transactionActions) {
        return submitTransactionWithResponse(transactionActions, null, null).getValue();
    }

    /** As {@link #submitTransaction(List)}. */
    public Response<TableTransactionResult> submitTransactionWithResponse(
        List<TableTransactionAction> transactionActions, Duration timeout, Context context) {
        return Blocking.await(operations.submit(transactionActions, TableWire.of(client, timeout, context)));
    }

    /**
     * Rotates the key encryption key of one entity: its content key is unwrapped with the key that wrapped it (found
     * as on read: this client's key if the ids match, else its key resolver's) and wrapped with this client's key
     * encryption key, and only {@code _ClientEncryptionMetadata1} is written back (a MERGE, If-Match on the version
     * read). The encrypted values, the name list and every other property stay byte for byte as they are; the
     * protocol is kept (1.0 or {@code cse4j-t1}; no value is decrypted, so 1.0 needs no opt-in). Two requests, one
     * unwrap and one wrap.
     *
     * @return the entity's new encryption metadata
     * @throws IllegalStateException if the entity is not encrypted, or this client has no key encryption key
     * @throws dev.cse4j.core.KeyResolutionException if no key of this client unwraps the content key
     * @throws TableServiceException 404 if the entity does not exist, 412 if it changed between the read and the
     *     write (nothing was written)
     */
    public EncryptionData rotateClientSideEncryptionKey(String partitionKey, String rowKey) {
        return Blocking.await(operations.rotate(partitionKey, rowKey, TableWire.of(client, null, Context.NONE)));
    }

    /**
     * Rotates the key encryption key of every entity {@code filter} selects ({@code null}: the whole table), as
     * {@link #rotateClientSideEncryptionKey} does for one, from a listing of the keys and metadata: each is written
     * back with If-Match on the ETag listed. Entities already wrapped by this client's key are skipped, so an
     * interrupted rotation finishes when run again. See {@link TableFleetOperation} (its rewrap).
     *
     * @param filter an OData filter over stored values, or {@code null}
     * @param onEach receives each entity's result as soon as it is done, on the calling thread
     * @return the counts of the results
     * @throws IllegalStateException if this client has no key encryption key
     */
    public FleetSummary rotateClientSideEncryptionKeys(String filter, Consumer<? super FleetResult> onEach) {
        return TableFleetOperation.create(this, FleetOptions.of(FleetAction.REWRAP)).run(filter, onEach);
    }
}
