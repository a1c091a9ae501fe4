package dev.cse4j.table;

import com.azure.core.http.rest.Response;
import com.azure.core.http.rest.SimpleResponse;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableErrorCode;
import com.azure.data.tables.models.TableServiceException;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionResult;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.implementation.Blocking;
import dev.cse4j.core.implementation.EncryptionSettings;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Objects;

/**
 * What both table clients do with entities, written once: each operation is one {@link Mono} that runs against a
 * {@link TableWire}. {@link EncryptedTableClient} waits for it ({@link Blocking#await}) on a wire of the SDK's
 * synchronous client; {@link EncryptedTableAsyncClient} returns it on a wire of the SDK's asynchronous client. The
 * encryption, the decryption, the merges with their retries and the transactions are therefore the same code for
 * both, with the same checks, results and typed failures.
 */
final class TableOperations {
    private final String tableName;
    private final EncryptionSettings settings;
    private final EntityEncryptor encryptor;
    private final EntityDecryptor decryptor;
    private final EntityMerger merger;

    TableOperations(String tableName, EncryptionSettings settings, EncryptionResolver resolver, int maxMergeRetries) {
        this.tableName = tableName;
        this.settings = settings;
        this.encryptor = new EntityEncryptor(settings, resolver, tableName);
        this.decryptor = new EntityDecryptor(settings, tableName);
        this.merger = new EntityMerger(tableName, encryptor, new MergePlanner(tableName, encryptor, decryptor,
            settings.allowUnauthenticatedV1Reads()), maxMergeRetries);
    }

    /** Encrypts and inserts an entity. */
    Mono<Response<Void>> create(TableEntity entity, TableWire wire) {
        return Mono.defer(() -> encryptor.encrypt(requireEntity(entity), wire.blocking())).flatMap(wire::createEntity);
    }

    /** Upserts an entity: REPLACE encrypts it and stores it whole; MERGE ({@code null}) merges it. */
    Mono<Response<Void>> upsert(TableEntity entity, TableEntityUpdateMode mode, TableWire wire) {
        return Mono.defer(() -> mode == TableEntityUpdateMode.REPLACE
            ? encryptor.encrypt(requireEntity(entity), wire.blocking())
                .flatMap(stored -> wire.upsertEntity(stored, TableEntityUpdateMode.REPLACE))
            : merger.merge(requireEntity(entity), true, false, wire));
    }

    /** Updates an existing entity: REPLACE encrypts it and replaces it whole; MERGE ({@code null}) merges it. */
    Mono<Response<Void>> update(TableEntity entity, TableEntityUpdateMode mode, boolean ifUnchanged,
        TableWire wire) {
        return Mono.defer(() -> mode == TableEntityUpdateMode.REPLACE
            ? encryptor.encrypt(requireEntity(entity), wire.blocking())
                .flatMap(stored -> wire.updateEntity(stored, TableEntityUpdateMode.REPLACE, ifUnchanged))
            : merger.merge(requireEntity(entity), false, ifUnchanged, wire));
    }

    /** Reads and decrypts one entity, selecting {@code select} ({@code null}: every property). */
    Mono<Response<TableEntity>> get(String partitionKey, String rowKey, List<String> select, TableWire wire) {
        Projection projection = Projection.of(select);
        return wire.getEntity(partitionKey, rowKey, Projection.withMetadata(select))
            .flatMap(response -> decrypt(response.getValue(), projection, wire.blocking())
                .map(entity -> new SimpleResponse<>(response, entity)));
    }

    /** Submits a transaction (see {@link EntityMerger#submit}). */
    Mono<Response<TableTransactionResult>> submit(List<TableTransactionAction> actions, TableWire wire) {
        return Mono.defer(() -> merger.submit(Objects.requireNonNull(actions, "transactionActions"), wire));
    }

    /**
     * Rotates the key encryption key of one entity: reads its keys, ETag and metadata, then {@link #rewrap}s it.
     *
     * @return the entity's new encryption metadata; an error signal {@link IllegalStateException} if the client has
     *     no key encryption key or the entity is not encrypted, the service's 404 if it does not exist, its 412 if
     *     it changed between the read and the write, and what {@link #rewrap} signals
     */
    Mono<EncryptionData> rotate(String partitionKey, String rowKey, TableWire wire) {
        return Mono.defer(() -> {
            settings.checkCanEncrypt("rotate the key encryption key");
            return wire.getEntity(partitionKey, rowKey, Projection.narrowest(List.of()));
        }).flatMap(response -> {
            TableEntity stored = response.getValue();
            String what = EntityEncryptor.describe(tableName, partitionKey, rowKey);
            EncryptionData data = EntityDecryptor.metadata(stored, what);
            if (data == null) {
                return Mono.error(new IllegalStateException(what + " is not encrypted: it has no content key to "
                    + "re-wrap."));
            }
            return rewrap(partitionKey, rowKey, stored.getETag(), data, wire);
        });
    }

    /**
     * Re-wraps the content key of an entity stored with {@code data} with this client's key encryption key (one
     * unwrap, one wrap, the protocol kept: 1.0 or {@code cse4j-t1}) and writes the new metadata back: a MERGE of
     * {@code _ClientEncryptionMetadata1} alone, with If-Match {@code eTag}. The encrypted values and the name list
     * are not touched (they depend on the content key, which is the same), nor is any other property. No value is
     * decrypted, so 1.0 needs no opt-in.
     *
     * @return the new metadata; an error signal with the failures of the key operations, the service's 412 if the
     *     entity no longer has {@code eTag} (nothing written), 404 if it was deleted
     */
    Mono<EncryptionData> rewrap(String partitionKey, String rowKey, String eTag, EncryptionData data,
        TableWire wire) {
        return settings.contentKeys().rewrap(data, wire.blocking()).flatMap(after -> {
            TableEntity change = new TableEntity(partitionKey, rowKey)
                .addProperty(EntityNames.METADATA, after.toJsonString())
                .addProperty(EntityNames.ODATA_ETAG, Objects.requireNonNull(eTag, "eTag"));
            return wire.updateEntity(change, TableEntityUpdateMode.MERGE, true).thenReturn(after);
        });
    }

    /** Decrypts one entity of a listing or a read. */
    Mono<TableEntity> decrypt(TableEntity stored, Projection projection, Blocking blocking) {
        return decryptor.decrypt(stored, projection, blocking);
    }

    /**
     * The options to send for a listing: the caller's filter and page size, and its selection with the keys and the
     * metadata properties, which the decryption needs ({@link Projection}).
     */
    static ListEntitiesOptions sent(ListEntitiesOptions options) {
        ListEntitiesOptions given = options == null ? new ListEntitiesOptions() : options;
        return new ListEntitiesOptions().setFilter(given.getFilter()).setTop(given.getTop())
            .setSelect(Projection.withMetadata(given.getSelect()));
    }

    /** What the caller of a listing selected. */
    static Projection projection(ListEntitiesOptions options) {
        return Projection.of(options == null ? null : options.getSelect());
    }

    /** Whether a create-table failure says that the table exists. */
    static boolean tableExisted(TableServiceException e) {
        return e.getResponse() != null && e.getValue() != null
            && TableErrorCode.TABLE_ALREADY_EXISTS.equals(e.getValue().getErrorCode());
    }

    /** The service's 409 {@code TableAlreadyExists} as the answer {@code false} ("not created"). */
    static Response<Boolean> existed(TableServiceException e) {
        return new SimpleResponse<>(e.getResponse().getRequest(), e.getResponse().getStatusCode(),
            e.getResponse().getHeaders(), false);
    }

    /** As the SDK: a null entity is an {@link IllegalArgumentException}. */
    private static TableEntity requireEntity(TableEntity entity) {
        if (entity == null) {
            throw new IllegalArgumentException("'entity' cannot be null.");
        }
        return entity;
    }
}
