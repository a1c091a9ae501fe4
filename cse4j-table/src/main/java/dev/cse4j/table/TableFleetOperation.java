package dev.cse4j.table;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableErrorCode;
import com.azure.data.tables.models.TableServiceException;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.implementation.Blocking;
import dev.cse4j.core.implementation.EncryptionSettings;
import dev.cse4j.core.implementation.FleetKeys;
import dev.cse4j.fleet.EncryptionState;
import dev.cse4j.fleet.FailureClass;
import dev.cse4j.fleet.FleetAction;
import dev.cse4j.fleet.FleetObject;
import dev.cse4j.fleet.FleetOperation;
import dev.cse4j.fleet.FleetOptions;
import dev.cse4j.fleet.FleetOutcome;
import dev.cse4j.fleet.FleetResult;
import dev.cse4j.fleet.FleetSummary;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * A fleet operation over the entities of one table: rewrap, migrate or verify ({@link FleetOptions#action()}),
 * applied to entities as their listing shows them ({@link EntityRef}, from {@link TableListing}). Set up once, then
 * {@link #apply} one entity at a time from any thread, or {@link #applyAll} / {@link #run} many with bounded
 * concurrency (the library's one worker loop). The same code serves the library, the {@code cse4j table
 * rewrap|migrate} commands and a distributed job. Results are {@link FleetResult}s about
 * {@link FleetObject#entity entities}: their report lines carry {@code partitionKey} and {@code rowKey}.
 *
 * <h2>Keys</h2>
 * Given as {@link ClientSideEncryptionOptions}: the key resolver (and key) that <em>read</em>, and, to write, the key
 * encryption key ({@code key(kek, algorithm)}). The resolver is put behind a caching resolver, so each key id is
 * resolved once, not per entity. Every entity written costs exactly one unwrap and one wrap; a dry run unwraps and
 * wraps nothing (it only resolves each stored key id, through the cache, to report keys that are missing).
 *
 * <h2>What each action does with an entity</h2>
 * <ul>
 *   <li><b>rewrap</b> (needs a key encryption key): the content key is re-wrapped with the key encryption key and
 *       {@code _ClientEncryptionMetadata1} alone is written back, a MERGE with If-Match on the listed ETag
 *       ({@link EncryptedTableClient#rotateClientSideEncryptionKey} does the same for one entity). The encrypted
 *       values, the name list and every other property stay byte for byte as they are. Works for 1.0 and
 *       {@code cse4j-t1} (no value is decrypted, so 1.0 needs no opt-in); the protocol is kept. Done (skipped) when
 *       the stored key id and algorithm are the key encryption key's.</li>
 *   <li><b>migrate</b>: re-encrypts the entity as {@code cse4j-t1} under a fresh content key, wrapped by the key
 *       encryption key, or, if the options have none, by the key that wrapped the source (its algorithm too),
 *       replacing it only if it did not change meanwhile, then reads it back and compares (see
 *       {@link TableMigration}). Reads legacy 1.0 entities (migration is the explicit opt-in). Done (skipped) when
 *       the entity is {@code cse4j-t1} (under the key encryption key's id, if there is one). Unencrypted entities
 *       are skipped: which of their properties to encrypt is not known ({@link FleetOptions#isIncludeUnencrypted()}
 *       is refused).</li>
 *   <li><b>verify</b>: reads the entity and authenticates every encrypted value and its name list, discarding the
 *       plaintext. Legacy 1.0 entities need {@code allowUnauthenticatedV1Reads(true)} in the options (else they
 *       fail by policy, from the listing alone) and are reported verified with a caveat. An unencrypted entity fails
 *       by policy.</li>
 * </ul>
 * Invalid encryption metadata is a failure (integrity). Skip reasons are fixed words: {@code already done},
 * {@code not encrypted}, {@code deleted} (since it was listed).
 *
 * <h2>Resumable</h2>
 * What is done shows in the listing (key id, protocol), so running an operation again after an interruption skips
 * the finished entities without a request each and finishes the rest. Every write is conditioned on the ETag
 * listed, so an entity a concurrent writer changed is never overwritten: it is reported failed ({@code modified
 * since it was listed}) and a later run processes it.
 *
 * <p>The repository's {@code docs/fleet-operations.md} describes the operations and the {@code cse4j table} commands
 * built on them.
 */
public final class TableFleetOperation implements FleetOperation<EntityRef> {
    private final TableClient table;
    private final FleetOptions options;
    private final EncryptionSettings settings;
    private final String newKeyId;
    private final String newAlgorithm;
    private final TableOperations operations;
    private final TableWire wire;
    private final EntityDecryptor verifier;
    private final TableMigration migration;

    private TableFleetOperation(TableClient table, FleetOptions options, ClientSideEncryptionOptions keys) {
        this.table = table;
        this.options = options;
        ClientSideEncryptionOptions cached = FleetKeys.cached(keys);
        this.settings = EncryptionSettings.of(options.action() == FleetAction.VERIFY
            ? cached.toBuilder().requireEncryption(true).build() : cached);
        this.newKeyId = keys.canEncrypt() ? settings.contentKeys().keyId() : null;
        this.newAlgorithm = keys.getKeyWrapAlgorithm();
        if (options.action() == FleetAction.REWRAP && newKeyId == null) {
            throw new IllegalStateException("rewrap needs the key encryption key to wrap with: set "
                + "key(keyEncryptionKey, keyWrapAlgorithm) in the options, and the keys to unwrap with as "
                + "keyResolver(...).");
        }
        if (options.isIncludeUnencrypted()) {
            throw new IllegalStateException("includeUnencrypted(true) applies to blobs: which properties of an "
                + "unencrypted entity to encrypt is not known. Write such entities with an EncryptedTableClient and "
                + "its EncryptionResolver.");
        }
        this.operations = new TableOperations(table.getTableName(), settings, EncryptionResolver.NONE, 0);
        this.wire = TableWire.of(table, null, Context.NONE);
        this.verifier = new EntityDecryptor(settings, table.getTableName());
        this.migration = options.action() != FleetAction.MIGRATE ? null : new TableMigration(table, cached,
            EncryptionSettings.of(cached.toBuilder().allowUnauthenticatedV1Reads(true).build()));
    }

    /**
     * An operation on the entities of {@code table}.
     *
     * @param keys the keys that read the entities (resolver, key) and, for rewrap and migrate to another key, the
     *     key encryption key that writes; the read policy of verify (1.0 opt-in) is theirs
     * @throws IllegalStateException if rewrap has no key encryption key, or unencrypted entities are to be included
     */
    public static TableFleetOperation create(TableClient table, FleetOptions options,
        ClientSideEncryptionOptions keys) {
        return new TableFleetOperation(Objects.requireNonNull(table, "table"), Objects.requireNonNull(options,
            "options"), Objects.requireNonNull(keys, "keys"));
    }

    /** An operation on the entities of {@code table}, with its client-side encryption options as the keys. */
    public static TableFleetOperation create(EncryptedTableClient table, FleetOptions options) {
        return create(table.tableClient(), options, table.settings().options());
    }

    @Override
    public FleetOptions options() {
        return options;
    }

    /** The table's name. */
    public String getTableName() {
        return table.getTableName();
    }

    /**
     * Applies the operation to every entity {@code filter} selects ({@code null}: the whole table), listed as the
     * work goes ({@link TableListing#list}), {@link FleetOptions#concurrency()} at a time.
     */
    public FleetSummary run(String filter, Consumer<? super FleetResult> sink) {
        return applyAll(TableListing.list(table, filter), sink);
    }

    @Override
    public FleetResult apply(EntityRef entity) {
        FleetObject object = FleetObject.entity(table.getTableName(), entity.getPartitionKey(), entity.getRowKey());
        String what = EntityEncryptor.describe(table.getTableName(), entity.getPartitionKey(), entity.getRowKey());
        EncryptionData data;
        try {
            data = EntityDecryptor.metadata(entity.metadataView(), what);
        } catch (RuntimeException e) {
            return FleetResult.failed(object, EncryptionState.NONE, e);
        }
        EncryptionState from = EncryptionState.of(data);
        try {
            switch (options.action()) {
                case REWRAP:
                    return rewrap(object, entity, data, from);
                case MIGRATE:
                    return migrate(object, entity, data, from, what);
                default:
                    return verify(object, entity, data, from);
            }
        } catch (RuntimeException e) {
            if (isFatal(e)) {
                throw e;
            }
            return failure(object, from, e);
        }
    }

    private FleetResult rewrap(FleetObject object, EntityRef entity, EncryptionData data, EncryptionState from) {
        if (data == null) {
            return FleetResult.skipped(object, from, "not encrypted");
        }
        if (newKeyId.equals(data.wrappedContentKey().keyId())
            && Objects.equals(newAlgorithm, data.wrappedContentKey().algorithm())) {
            return FleetResult.skipped(object, from, "already done");
        }
        EncryptionState to = new EncryptionState(data.protocol().wireValue(), newKeyId);
        if (options.isDryRun()) {
            settings.contentKeys().keyFor(data.wrappedContentKey().keyId());
            return FleetResult.wrote(object, FleetOutcome.WOULD_REWRAP, from, to);
        }
        EncryptionData after = Blocking.await(operations.rewrap(entity.getPartitionKey(), entity.getRowKey(),
            entity.getETag(), data, wire));
        return FleetResult.wrote(object, FleetOutcome.REWRAPPED, from, EncryptionState.of(after));
    }

    private FleetResult migrate(FleetObject object, EntityRef entity, EncryptionData data, EncryptionState from,
        String what) {
        if (data == null) {
            return FleetResult.skipped(object, from, "not encrypted");
        }
        if (data.protocol() == EncryptionProtocol.CSE4J_TABLE_1
            && (newKeyId == null || newKeyId.equals(data.wrappedContentKey().keyId()))) {
            return FleetResult.skipped(object, from, "already done");
        }
        if (options.isDryRun()) {
            settings.contentKeys().keyFor(data.wrappedContentKey().keyId());
            return FleetResult.wrote(object, FleetOutcome.WOULD_MIGRATE, from, new EncryptionState(
                EncryptionProtocol.CSE4J_TABLE_1.wireValue(), newKeyId != null ? newKeyId
                : data.wrappedContentKey().keyId()));
        }
        EncryptionData after = migration.migrate(entity, what);
        return FleetResult.wrote(object, FleetOutcome.MIGRATED, from, EncryptionState.of(after));
    }

    private FleetResult verify(FleetObject object, EntityRef entity, EncryptionData data, EncryptionState from) {
        if (data == null) {
            return FleetResult.failed(object, from, FailureClass.POLICY, "not encrypted: it has no encryption "
                + "metadata, so there is nothing to authenticate");
        }
        if (data.protocol() == EncryptionProtocol.V1_0 && !settings.allowUnauthenticatedV1Reads()) {
            return FleetResult.failed(object, from, FailureClass.POLICY, "protocol 1.0 (AES-CBC) is not "
                + "authenticated and is decrypted only on the opt-in to unauthenticated 1.0 reads; migrate it to "
                + EncryptionProtocol.CSE4J_TABLE_1.wireValue());
        }
        Blocking.await(wire.getEntity(entity.getPartitionKey(), entity.getRowKey(), null)
            .flatMap(response -> verifier.open(response.getValue(), Projection.ALL, Blocking.ALLOWED)));
        return FleetResult.verified(object, from, data.protocol() == EncryptionProtocol.V1_0
            ? "protocol 1.0 is not authenticated: it decrypted to text, which does not show it is unmodified" : null);
    }

    /** What a per-entity failure is reported as. */
    private FleetResult failure(FleetObject object, EncryptionState from, RuntimeException e) {
        if (e instanceof TableMigration.ReadBackException) {
            return FleetResult.failed(object, from, e);
        }
        if (e instanceof TableMigration.ModifiedException) {
            return modified(object, from);
        }
        TableServiceException service = serviceException(e);
        if (service == null || service.getResponse() == null) {
            return FleetResult.failed(object, from, e);
        }
        int status = service.getResponse().getStatusCode();
        if (status == 404) {
            return FleetResult.skipped(object, from, "deleted");
        }
        if (status == 412) {
            return modified(object, from);
        }
        TableErrorCode code = service.getValue() == null ? null : service.getValue().getErrorCode();
        return FleetResult.failed(object, from, FailureClass.OTHER, "the storage service refused: HTTP " + status
            + (code == null ? "" : " " + code));
    }

    private FleetResult modified(FleetObject object, EncryptionState from) {
        return FleetResult.failed(object, from, FailureClass.OTHER, "modified since it was listed (its ETag "
            + "changed): nothing was " + (options.action() == FleetAction.VERIFY ? "verified" : "written")
            + "; run again to process it");
    }

    /** Failures of the whole operation, not of one entity: no permission, no table. */
    private static boolean isFatal(RuntimeException e) {
        TableServiceException service = serviceException(e);
        if (service == null || service.getResponse() == null) {
            return false;
        }
        int status = service.getResponse().getStatusCode();
        return status == 401 || status == 403 || service.getValue() != null
            && TableErrorCode.TABLE_NOT_FOUND.equals(service.getValue().getErrorCode());
    }

    private static TableServiceException serviceException(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof TableServiceException service) {
                return service;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "TableFleetOperation[" + table.getTableName() + ", " + options + "]";
    }
}
