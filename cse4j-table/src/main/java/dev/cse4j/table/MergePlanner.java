package dev.cse4j.table;

import com.azure.core.http.rest.Response;
import com.azure.core.util.logging.ClientLogger;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableErrorCode;
import com.azure.data.tables.models.TableServiceException;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.TableEncryptionFormat;
import dev.cse4j.core.implementation.Blocking;
import dev.cse4j.core.implementation.Logs;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plans one merge: reads the entity and returns the conditional write that applies the merge to that version.
 * <ul>
 *   <li>The entity does not exist: an upsert creates it, encrypted as {@link EntityEncryptor} writes any entity; an
 *       update fails with the service's 404, as the SDK's does.</li>
 *   <li>The merge sets only properties this client does not encrypt, and none of them is stored as binary (so none
 *       is an encrypted value it could overwrite with plaintext), and the entity is encrypted in a format this client
 *       reads: a MERGE of those properties. The encrypted values, the name list and the metadata are not touched and
 *       stay valid: neither format binds unencrypted properties (docs/table-format.md §5, §10).</li>
 *   <li>Otherwise: the entity is decrypted, merged ({@link EntityMerge}), re-encrypted whole under a fresh content
 *       key and REPLACEd.</li>
 * </ul>
 * The read of a plain merge selects only the properties it sets, the keys and the metadata.
 */
final class MergePlanner {
    private static final ClientLogger LOGGER = new ClientLogger(MergePlanner.class);

    private final String tableName;
    private final EntityEncryptor encryptor;
    private final EntityDecryptor decryptor;
    private final boolean allowV1Reads;

    MergePlanner(String tableName, EntityEncryptor encryptor, EntityDecryptor decryptor, boolean allowV1Reads) {
        this.tableName = tableName;
        this.encryptor = encryptor;
        this.decryptor = decryptor;
        this.allowV1Reads = allowV1Reads;
    }

    /**
     * The write, as one {@link Mono} for either kind of client: the checks that need nothing stored are made when it
     * is subscribed, before anything is read.
     *
     * @param change the entity's properties to set (null values leave stored ones as they are)
     * @param upsert whether a missing entity is created; otherwise its absence is the service's 404
     * @param eTag the caller's ETag to hold the write to, or {@code null} to hold it to the version read
     * @return the write; an error signal with the read's {@link TableServiceException}, e.g. 404
     *     {@code ResourceNotFound} for an update of a missing entity, or what the encryptor or decryptor refuses
     */
    Mono<MergeWrite> plan(TableEntity change, boolean upsert, String eTag, TableWire wire) {
        return Mono.defer(() -> {
            TableEntity set = EntityMerge.setProperties(change);
            encryptor.check(set);
            List<String> names = userNames(set);
            boolean encrypts = false;
            for (String name : names) {
                encrypts |= encryptor.encrypts(set.getPartitionKey(), set.getRowKey(), name, set.getProperty(name));
            }
            List<String> select = encrypts ? null : Projection.narrowest(names);
            boolean plainly = !encrypts;
            // empty: the entity does not exist (an upsert creates it, also if it vanished before the second read)
            return read(set, select, upsert, wire)
                .flatMap(stored -> plainly && mergesPlainly(stored, names)
                    ? Mono.just(new MergeWrite(MergeWrite.Kind.MERGE,
                        encryptor.plainMerge(set, eTag != null ? eTag : eTag(stored)), eTag == null))
                    // re-encrypting needs every property: read them all unless they were
                    : (select == null ? Mono.just(stored) : read(set, null, upsert, wire))
                        .flatMap(whole -> replace(whole, set, eTag, wire.blocking())))
                .switchIfEmpty(Mono.defer(() -> encryptor.encrypt(set, wire.blocking())
                    .map(created -> new MergeWrite(MergeWrite.Kind.CREATE, created, true))));
        });
    }

    /** The whole entity re-encrypted with the merge applied, to REPLACE the version read. */
    private Mono<MergeWrite> replace(TableEntity stored, TableEntity set, String eTag, Blocking blocking) {
        String holdTo = eTag != null ? eTag : eTag(stored);
        String what = EntityEncryptor.describe(tableName, set.getPartitionKey(), set.getRowKey());
        return decryptor.open(stored, Projection.ALL, blocking).flatMap(current -> {
            if (current.protocol() == EncryptionProtocol.CSE4J_TABLE_1
                && encryptor.format() == TableEncryptionFormat.LEGACY_V1_UNAUTHENTICATED) {
                throw Logs.refused(LOGGER, new EncryptionPolicyException(what + " is stored in cse4j's authenticated "
                    + "format, and this client writes the legacy unauthenticated 1.0 format, so merging an encrypted "
                    + "property into it would rewrite it unauthenticated. A merge never downgrades an entity: merge "
                    + "with a client that writes the authenticated format, or write the whole entity with "
                    + "TableEntityUpdateMode.REPLACE if it must become 1.0. Nothing was written."));
            }
            TableEntity merged = EntityMerge.apply(current, set, what);
            merged.getProperties().put(EntityNames.ODATA_ETAG, holdTo);
            return encryptor.encrypt(merged, blocking)
                .map(encrypted -> new MergeWrite(MergeWrite.Kind.REPLACE, encrypted, eTag == null));
        });
    }

    /**
     * Whether a merge of unencrypted properties can be sent as a MERGE: the entity is encrypted (both metadata
     * properties present) in a format this client may read, and no property the merge sets is stored as binary.
     * Anything else goes the way of a re-encryption, whose read applies the policies and checks with their own
     * messages (an unencrypted entity under requireEncryption, legacy 1.0 without the opt-in, tampering).
     */
    private boolean mergesPlainly(TableEntity stored, List<String> names) {
        Map<String, Object> properties = stored.getProperties();
        EncryptionData data = EntityDecryptor.metadata(stored,
            EntityEncryptor.describe(tableName, stored.getPartitionKey(), stored.getRowKey()));
        if (data == null || !(properties.get(EntityNames.NAME_LIST) instanceof byte[])
            || data.protocol() == EncryptionProtocol.V1_0 && !allowV1Reads) {
            return false;
        }
        for (String name : names) {
            if (properties.get(name) instanceof byte[]) {
                return false;
            }
        }
        return true;
    }

    /** @return the entity; empty if it does not exist and {@code upsert} */
    private static Mono<TableEntity> read(TableEntity set, List<String> select, boolean upsert, TableWire wire) {
        return wire.getEntity(set.getPartitionKey(), set.getRowKey(), select).map(Response::getValue)
            .onErrorResume(TableServiceException.class, e -> upsert && e.getValue() != null
                && TableErrorCode.RESOURCE_NOT_FOUND.equals(e.getValue().getErrorCode()) ? Mono.empty()
                : Mono.error(e));
    }

    /** The ETag read, without which no write could be held to the version read. */
    private String eTag(TableEntity stored) {
        String eTag = stored.getETag();
        if (eTag == null) {
            throw new IllegalStateException("The table service returned " + EntityEncryptor.describe(
                tableName, stored.getPartitionKey(), stored.getRowKey()) + " without an ETag, so a merge cannot be held to the "
                + "version it read. Nothing was written.");
        }
        return eTag;
    }

    private static List<String> userNames(TableEntity set) {
        List<String> names = new ArrayList<>();
        for (String name : set.getProperties().keySet()) {
            if (!EntityNames.isBookkeeping(name) && !EntityNames.isSystemProperty(name)) {
                names.add(name);
            }
        }
        return names;
    }
}
