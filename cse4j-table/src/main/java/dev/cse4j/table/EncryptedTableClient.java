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
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.azure.data.tables.models.TableTransactionResult;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.TableEncryptionFormat;
import dev.cse4j.core.implementation.EncryptionSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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
 * <p><b>Writes replace.</b> Create, upsert and update store whole entities (upsert and update use
 * {@link TableEntityUpdateMode#REPLACE}, unlike {@code TableClient}, whose default is MERGE). MERGE is refused with an
 * {@link EncryptionPolicyException}: all encrypted values of an entity share one content key and one authenticated
 * list, so a partial update cannot keep them consistent. Read, change and write back whole entities instead; pass
 * {@code ifUnchanged = true} to detect concurrent changes.
 *
 * <p><b>Limits.</b> Before anything is sent, an entity is checked against the service's limits as it will be
 * stored (with its encrypted sizes and metadata): at most 250 properties besides PartitionKey, RowKey and Timestamp,
 * at most 1 MiB as the service counts it, at most 64 KiB per binary value (an encrypted string of at most 65508
 * UTF-8 bytes; 65535 in the legacy format). A violation throws {@link TableEntityTooLargeException}.
 *
 * <p><b>Reads.</b> Decrypted values come back as {@link String}s; the metadata properties are removed. A
 * {@code select} projection gets the metadata properties added automatically, and PartitionKey and RowKey, which the
 * decryption needs (and which are then returned too, as the legacy SDKs do). Filters see only stored values:
 * encrypted properties cannot be filtered on (their stored values are random-looking binary). A query fails on the
 * first entity that cannot be decrypted, e.g. with a {@link dev.cse4j.core.KeyResolutionException} when no key is
 * found for its key id.
 */
@ServiceClient(builder = EncryptedTableClientBuilder.class)
public final class EncryptedTableClient {
    private final TableClient client;
    private final EntityEncryptor encryptor;
    private final EntityDecryptor decryptor;

    EncryptedTableClient(TableClient client, EncryptionSettings settings, EncryptionResolver resolver) {
        this.client = client;
        this.encryptor = new EntityEncryptor(settings, resolver, client.getTableName());
        this.decryptor = new EntityDecryptor(settings, client.getTableName());
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

    /** Creates the table (it must not exist). */
    public TableItem createTable() {
        return client.createTable();
    }

    /** Creates the table (it must not exist). */
    public Response<TableItem> createTableWithResponse(Duration timeout, Context context) {
        return client.createTableWithResponse(timeout, context);
    }

    /** Deletes the table and every entity in it. */
    public void deleteTable() {
        client.deleteTable();
    }

    /** Deletes the table and every entity in it. */
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
        return client.createEntityWithResponse(encryptor.encrypt(entity), timeout, context);
    }

    /** Encrypts and inserts an entity, or replaces it whole if it exists ({@link TableEntityUpdateMode#REPLACE}). */
    public void upsertEntity(TableEntity entity) {
        upsertEntityWithResponse(entity, TableEntityUpdateMode.REPLACE, null, null);
    }

    /**
     * As {@link #upsertEntity(TableEntity)}.
     *
     * @param updateMode {@link TableEntityUpdateMode#REPLACE} ({@code null} means REPLACE); MERGE is refused
     * @throws EncryptionPolicyException for MERGE
     */
    public Response<Void> upsertEntityWithResponse(TableEntity entity, TableEntityUpdateMode updateMode,
        Duration timeout, Context context) {
        refuseMerge(updateMode, "upsert");
        return client.upsertEntityWithResponse(encryptor.encrypt(entity), TableEntityUpdateMode.REPLACE, timeout,
            context);
    }

    /** Encrypts an entity and replaces the existing one whole ({@link TableEntityUpdateMode#REPLACE}). */
    public void updateEntity(TableEntity entity) {
        updateEntityWithResponse(entity, TableEntityUpdateMode.REPLACE, false, null, null);
    }

    /**
     * As {@link #updateEntity(TableEntity)}.
     *
     * @throws EncryptionPolicyException for {@link TableEntityUpdateMode#MERGE}
     */
    public void updateEntity(TableEntity entity, TableEntityUpdateMode updateMode) {
        updateEntityWithResponse(entity, updateMode, false, null, null);
    }

    /**
     * Encrypts an entity and replaces the existing one whole.
     *
     * @param updateMode {@link TableEntityUpdateMode#REPLACE} ({@code null} means REPLACE); MERGE is refused
     * @param ifUnchanged replace only if the stored entity still has {@code entity}'s ETag (as read)
     * @throws EncryptionPolicyException for MERGE
     */
    public Response<Void> updateEntityWithResponse(TableEntity entity, TableEntityUpdateMode updateMode,
        boolean ifUnchanged, Duration timeout, Context context) {
        refuseMerge(updateMode, "update");
        return client.updateEntityWithResponse(encryptor.encrypt(entity), TableEntityUpdateMode.REPLACE, ifUnchanged,
            timeout, context);
    }

    /** Deletes an entity. */
    public void deleteEntity(String partitionKey, String rowKey) {
        client.deleteEntity(partitionKey, rowKey);
    }

    /** Deletes an entity. */
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
     * @param select the properties to return, or {@code null} for all; the encryption metadata properties are
     *     requested too and removed from the result, PartitionKey and RowKey are requested too and returned
     */
    public Response<TableEntity> getEntityWithResponse(String partitionKey, String rowKey, List<String> select,
        Duration timeout, Context context) {
        Response<TableEntity> response = client.getEntityWithResponse(partitionKey, rowKey,
            Projection.withMetadata(select), timeout, context);
        return new SimpleResponse<>(response, decryptor.decrypt(response.getValue(), Projection.of(select)));
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
     *     selection of properties (the encryption metadata properties are added to it and removed from the results;
     *     PartitionKey and RowKey are added to it and returned)
     */
    public PagedIterable<TableEntity> listEntities(ListEntitiesOptions options, Duration timeout, Context context) {
        ListEntitiesOptions given = options == null ? new ListEntitiesOptions() : options;
        ListEntitiesOptions sent = new ListEntitiesOptions()
            .setFilter(given.getFilter())
            .setTop(given.getTop())
            .setSelect(Projection.withMetadata(given.getSelect()));
        Projection projection = Projection.of(given.getSelect());
        return client.listEntities(sent, timeout, context).mapPage(entity -> decryptor.decrypt(entity, projection));
    }

    /**
     * Encrypts the entities of a transaction, each with its own fresh content key, and submits it. All or nothing:
     * nothing is sent unless every action can be encrypted.
     *
     * @param transactionActions CREATE, UPSERT_REPLACE, UPDATE_REPLACE and DELETE actions; UPSERT_MERGE and
     *     UPDATE_MERGE are refused with an {@link EncryptionPolicyException}
     */
    public TableTransactionResult submitTransaction(List<TableTransactionAction> transactionActions) {
        return submitTransactionWithResponse(transactionActions, null, null).getValue();
    }

    /** As {@link #submitTransaction(List)}. */
    public Response<TableTransactionResult> submitTransactionWithResponse(
        List<TableTransactionAction> transactionActions, Duration timeout, Context context) {
        Objects.requireNonNull(transactionActions, "transactionActions");
        List<TableTransactionAction> sent = new ArrayList<>(transactionActions.size());
        for (TableTransactionAction action : transactionActions) {
            sent.add(encrypt(action));
        }
        return client.submitTransactionWithResponse(sent, timeout, context);
    }

    private TableTransactionAction encrypt(TableTransactionAction action) {
        TableTransactionActionType type = action.getActionType();
        switch (type) {
            case DELETE:
                return action;
            case UPSERT_MERGE:
            case UPDATE_MERGE:
                refuseMerge(TableEntityUpdateMode.MERGE, "transaction action " + type);
                return action;
            default:
                return new TableTransactionAction(type, encryptor.encrypt(action.getEntity()), action.getIfUnchanged());
        }
    }

    private static void refuseMerge(TableEntityUpdateMode mode, String operation) {
        if (mode == TableEntityUpdateMode.MERGE) {
            throw new EncryptionPolicyException("MERGE (" + operation + ") cannot be used on encrypted entities: all "
                + "encrypted values of an entity share one content key, and their names are listed in one "
                + "authenticated, encrypted list, both written anew with every write. Merging would keep old values "
                + "next to new metadata (they could no longer be decrypted) or leave the list wrong. Read the "
                + "entity, change it, and write it back whole in REPLACE mode (upsertEntity, or updateEntity with "
                + "ifUnchanged=true to detect concurrent changes). Nothing was written.");
        }
    }
}
