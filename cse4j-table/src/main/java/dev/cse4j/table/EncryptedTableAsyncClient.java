package dev.cse4j.table;

import com.azure.core.annotation.ServiceClient;
import com.azure.core.http.rest.PagedFlux;
import com.azure.core.http.rest.Response;
import com.azure.core.http.rest.SimpleResponse;
import com.azure.data.tables.TableAsyncClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableItem;
import com.azure.data.tables.models.TableServiceException;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionResult;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.implementation.AsyncPages;
import dev.cse4j.core.implementation.Blocking;
import dev.cse4j.core.implementation.EncryptionSettings;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.List;

/**
 * The asynchronous twin of {@link EncryptedTableClient} (Project Reactor, as the Azure SDK's
 * {@link TableAsyncClient}): a table whose entities are encrypted on this machine, with the same options, formats,
 * encryption choice, limits, MERGE semantics (read, decrypt, re-encrypt and REPLACE with If-Match, retried up to
 * {@link EncryptedTableClientBuilder#maxMergeRetries(int)} times, then {@link TableMergeConflictException}),
 * transactions and checks: see {@link EncryptedTableClient} for all of them. Wraps (never extends) an
 * azure-data-tables {@link TableAsyncClient}. Build one with
 * {@link EncryptedTableClientBuilder#buildEncryptedTableAsyncClient()}. Thread-safe. Nothing happens until a
 * returned publisher is subscribed; every failure is an error signal (the exceptions the synchronous client throws).
 *
 * <h2>One implementation</h2>
 * Both clients run the same code for every entity operation: each is written once as a {@link Mono} (encrypt,
 * decrypt, plan a merge, retry it, build a transaction) and takes the client's way of reaching the service. The
 * synchronous client waits for it and sends through the SDK's synchronous {@code TableClient}, calling keys on its
 * own thread; this client returns it and sends through the SDK's {@link TableAsyncClient}.
 *
 * <h2>Never blocking</h2>
 * No publisher of this client blocks the thread it is subscribed or signalled on (a Reactor parallel worker, the HTTP
 * client's event loop). Asynchronous keys and resolvers ({@code AsyncKeyEncryptionKey}, Key Vault's async client,
 * {@code CachingAsyncKeyEncryptionKeyResolver}) are called asynchronously end to end; synchronous keys and resolvers
 * other than cse4j's local ones, and the system's random source, on {@link Schedulers#boundedElastic()}. An entity's
 * values are never encrypted or decrypted on the HTTP client's event loop: they are decrypted on
 * {@link Schedulers#parallel()} (one thread per core) and encrypted on {@link Schedulers#boundedElastic()} (each
 * value's nonce is drawn from the system's random source).
 *
 * <h2>Reading</h2>
 * {@link #listEntities(ListEntitiesOptions)} returns a {@link PagedFlux}, as the SDK's does. Each page is emitted
 * after every entity of it was decrypted (at most 8 at a time); if one cannot be decrypted, the page fails with that
 * entity's typed exception and none of its entities is emitted. Plaintext that did not verify is never emitted.
 * Cancelling a publisher cancels the request in flight and the key operation; a cancelled merge or transaction may
 * have been applied if its write had already reached the service, as with the SDK.
 */
@ServiceClient(builder = EncryptedTableClientBuilder.class, isAsync = true)
public final class EncryptedTableAsyncClient {
    private final TableAsyncClient client;
    private final TableWire wire;
    private final TableOperations operations;

    EncryptedTableAsyncClient(TableAsyncClient client, EncryptionSettings settings, EncryptionResolver resolver,
        int maxMergeRetries) {
        this.client = client;
        this.wire = TableWire.of(client);
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

    /** Creates the table; an error signal 409 {@code TableAlreadyExists} if it exists. */
    public Mono<TableItem> createTable() {
        return client.createTable();
    }

    /** As {@link #createTable()}. */
    public Mono<Response<TableItem>> createTableWithResponse() {
        return client.createTableWithResponse();
    }

    /** @return {@code true} if the table was created, {@code false} if it existed */
    public Mono<Boolean> createTableIfNotExists() {
        return createTableIfNotExistsWithResponse().map(Response::getValue);
    }

    /** As {@link #createTableIfNotExists()}, with the response (204 and true, or 409 and false). */
    public Mono<Response<Boolean>> createTableIfNotExistsWithResponse() {
        return client.createTableWithResponse().<Response<Boolean>>map(r -> new SimpleResponse<>(r, true))
            .onErrorResume(TableServiceException.class, e -> TableOperations.tableExisted(e)
                ? Mono.just(TableOperations.existed(e)) : Mono.error(e));
    }

    /** Deletes the table and every entity in it; a table that does not exist is not an error (as the SDK). */
    public Mono<Void> deleteTable() {
        return client.deleteTable();
    }

    /** As {@link #deleteTable()}; the response's status is 404 if the table did not exist. */
    public Mono<Response<Void>> deleteTableWithResponse() {
        return client.deleteTableWithResponse();
    }

    /**
     * Encrypts and inserts an entity that must not exist yet.
     *
     * @return completion; an error signal {@link dev.cse4j.core.EncryptionPolicyException} if a property is chosen
     *     for encryption that cannot be encrypted, {@link TableEntityTooLargeException} if the stored entity would
     *     exceed a service limit (nothing is sent in either case)
     */
    public Mono<Void> createEntity(TableEntity entity) {
        return createEntityWithResponse(entity).then();
    }

    /** As {@link #createEntity(TableEntity)}. */
    public Mono<Response<Void>> createEntityWithResponse(TableEntity entity) {
        return operations.create(entity, wire);
    }

    /**
     * Merges an entity into the stored one, or creates it ({@link TableEntityUpdateMode#MERGE}, the SDK's default;
     * see {@link EncryptedTableClient}).
     *
     * @return completion; an error signal {@link TableMergeConflictException} if other writers kept changing the
     *     entity (nothing was written)
     */
    public Mono<Void> upsertEntity(TableEntity entity) {
        return upsertEntityWithResponse(entity, null).then();
    }

    /**
     * As {@link #upsertEntity(TableEntity)}, in the given mode.
     *
     * @param updateMode {@link TableEntityUpdateMode#REPLACE}: encrypt the entity and store it whole, in one
     *     request; {@link TableEntityUpdateMode#MERGE} or {@code null}: merge it
     */
    public Mono<Response<Void>> upsertEntityWithResponse(TableEntity entity, TableEntityUpdateMode updateMode) {
        return operations.upsert(entity, updateMode, wire);
    }

    /**
     * Merges an entity into the existing one ({@link TableEntityUpdateMode#MERGE}, the SDK's default).
     *
     * @return completion; an error signal {@link TableServiceException} 404 if the entity does not exist,
     *     {@link TableMergeConflictException} if other writers kept changing it (nothing was written)
     */
    public Mono<Void> updateEntity(TableEntity entity) {
        return updateEntity(entity, null);
    }

    /** As {@link #updateEntity(TableEntity)}, in the given mode ({@code null}: MERGE). */
    public Mono<Void> updateEntity(TableEntity entity, TableEntityUpdateMode updateMode) {
        return updateEntityWithResponse(entity, updateMode, false).then();
    }

    /**
     * Updates an existing entity: merges it into the stored one, or encrypts it and replaces the stored one whole.
     *
     * @param updateMode {@link TableEntityUpdateMode#REPLACE}: encrypt and replace, in one request;
     *     {@link TableEntityUpdateMode#MERGE} or {@code null}: merge
     * @param ifUnchanged write only if the stored entity still has {@code entity}'s ETag (as read); otherwise a
     *     change by another writer is the service's 412 and is not retried
     */
    public Mono<Response<Void>> updateEntityWithResponse(TableEntity entity, TableEntityUpdateMode updateMode,
        boolean ifUnchanged) {
        return operations.update(entity, updateMode, ifUnchanged, wire);
    }

    /** Deletes an entity; one that does not exist is not an error (as the SDK). */
    public Mono<Void> deleteEntity(String partitionKey, String rowKey) {
        return client.deleteEntity(partitionKey, rowKey);
    }

    /** Deletes an entity; one that does not exist is not an error (as the SDK). */
    public Mono<Void> deleteEntity(TableEntity entity) {
        return client.deleteEntity(entity);
    }

    /** Deletes an entity; with {@code ifUnchanged}, only if it still has {@code entity}'s ETag. */
    public Mono<Response<Void>> deleteEntityWithResponse(TableEntity entity, boolean ifUnchanged) {
        return client.deleteEntityWithResponse(entity, ifUnchanged);
    }

    /**
     * Reads and decrypts one entity.
     *
     * @return the entity; an error signal ({@link dev.cse4j.core.ClientSideEncryptionException} subtypes) if it
     *     cannot be decrypted
     */
    public Mono<TableEntity> getEntity(String partitionKey, String rowKey) {
        return getEntityWithResponse(partitionKey, rowKey, null).map(Response::getValue);
    }

    /**
     * Reads and decrypts one entity.
     *
     * @param select the properties to return, or {@code null} for all (see
     *     {@link EncryptedTableClient#getEntityWithResponse})
     */
    public Mono<Response<TableEntity>> getEntityWithResponse(String partitionKey, String rowKey,
        List<String> select) {
        return operations.get(partitionKey, rowKey, select, wire);
    }

    /** Lists and decrypts every entity of the table, page by page. */
    public PagedFlux<TableEntity> listEntities() {
        return listEntities(new ListEntitiesOptions());
    }

    /**
     * Queries the table and decrypts the entities, page by page (see the class description for how a failure is
     * signalled).
     *
     * @param options a filter (over stored values: encrypted properties cannot be filtered on), a page size, and a
     *     selection of properties (see {@link EncryptedTableClient#listEntities(ListEntitiesOptions,
     *     java.time.Duration, com.azure.core.util.Context)})
     */
    public PagedFlux<TableEntity> listEntities(ListEntitiesOptions options) {
        Projection projection = TableOperations.projection(options);
        return AsyncPages.map(client.listEntities(TableOperations.sent(options)),
            entity -> operations.decrypt(entity, projection, Blocking.OFFLOADED));
    }

    /**
     * Submits a transaction, all or nothing (see {@link EncryptedTableClient#submitTransaction(List)}).
     *
     * @return the result; an error signal {@link com.azure.data.tables.models.TableTransactionFailedException} if
     *     the service refuses an action or an UPDATE_MERGE's entity does not exist, {@link TableMergeConflictException}
     *     if entities merged into kept changing (nothing of the transaction was applied)
     */
    public Mono<TableTransactionResult> submitTransaction(List<TableTransactionAction> transactionActions) {
        return submitTransactionWithResponse(transactionActions).map(Response::getValue);
    }

    /** As {@link #submitTransaction(List)}. */
    public Mono<Response<TableTransactionResult>> submitTransactionWithResponse(
        List<TableTransactionAction> transactionActions) {
        return operations.submit(transactionActions, wire);
    }

    /**
     * Rotates the key encryption key of one entity, as {@link EncryptedTableClient#rotateClientSideEncryptionKey}
     * (the same code): its content key re-wrapped with this client's key encryption key, only
     * {@code _ClientEncryptionMetadata1} written back with If-Match on the version read.
     *
     * @return the entity's new encryption metadata; an error signal with what the synchronous client throws
     */
    public Mono<EncryptionData> rotateClientSideEncryptionKey(String partitionKey, String rowKey) {
        return operations.rotate(partitionKey, rowKey, wire);
    }
}
