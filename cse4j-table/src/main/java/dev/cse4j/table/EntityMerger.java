package dev.cse4j.table;

import com.azure.core.http.rest.Response;
import com.azure.core.util.logging.ClientLogger;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableErrorCode;
import com.azure.data.tables.models.TableServiceException;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.azure.data.tables.models.TableTransactionFailedException;
import com.azure.data.tables.models.TableTransactionResult;
import dev.cse4j.core.implementation.Logs;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes with MERGE semantics without losing updates: each attempt reads the entities it merges into, plans one
 * conditional write per entity ({@link MergePlanner}) and sends them; when the service refuses a write because an
 * entity changed since it was read, the attempt is planned again from fresh reads, at most {@code maxRetries} more
 * times, then {@link TableMergeConflictException}. A transaction is retried whole: its conditions make it fail
 * entirely, so a refused attempt applied nothing.
 */
final class EntityMerger {
    private static final ClientLogger LOGGER = new ClientLogger(EntityMerger.class);

    /** Entities of a transaction read (to merge into) or encrypted at the same time. */
    private static final int CONCURRENCY = 8;

    private final String tableName;
    private final EntityEncryptor encryptor;
    private final MergePlanner planner;
    private final int maxRetries;

    EntityMerger(String tableName, EntityEncryptor encryptor, MergePlanner planner, int maxRetries) {
        this.tableName = tableName;
        this.encryptor = encryptor;
        this.planner = planner;
        this.maxRetries = maxRetries;
    }

    /**
     * Merges one entity, as one {@link Mono} for either kind of client.
     *
     * @param upsert whether a missing entity is created (upsert) or is the service's 404 (update)
     * @param ifUnchanged whether the write holds to {@code change}'s ETag (then a refusal is the service's 412 and
     *     is not retried)
     */
    Mono<Response<Void>> merge(TableEntity change, boolean upsert, boolean ifUnchanged, TableWire wire) {
        return merge(change, upsert, ifUnchanged ? change.getETag() : null, wire, 1);
    }

    private Mono<Response<Void>> merge(TableEntity change, boolean upsert, String eTag, TableWire wire,
        int attempt) {
        return planner.plan(change, upsert, eTag, wire).flatMap(write -> write.send(wire)
            .onErrorResume(TableServiceException.class, e -> {
                if (!write.lostRace(e)) {
                    return Mono.error(e);
                }
                checkAttempts(attempt, write.entity(), "The merge into", e);
                return merge(change, upsert, eTag, wire, attempt + 1);
            }));
    }

    /**
     * Submits a transaction, each UPSERT_MERGE and UPDATE_MERGE action planned against its entity as read (and sent
     * as CREATE, UPDATE_MERGE or UPDATE_REPLACE with If-Match), every other action encrypted as it is, as one
     * {@link Mono} for either kind of client. The action at index i of the transaction sent is the caller's action
     * at index i.
     *
     * @return the result; an error signal {@link TableTransactionFailedException}, the service's, or, for an
     *     UPDATE_MERGE of an entity that does not exist, one made from the read's 404 with that action's index
     *     (nothing was sent)
     */
    Mono<Response<TableTransactionResult>> submit(List<TableTransactionAction> actions, TableWire wire) {
        return submit(actions, wire, 1);
    }

    private Mono<Response<TableTransactionResult>> submit(List<TableTransactionAction> actions, TableWire wire,
        int attempt) {
        Map<Integer, MergeWrite> merges = new ConcurrentHashMap<>();
        return Flux.range(0, actions.size())
            .flatMapSequential(index -> plan(actions.get(index), index, wire)
                .map(write -> {
                    merges.put(index, write);
                    return write.action();
                })
                .switchIfEmpty(Mono.defer(() -> encrypt(actions.get(index), wire))), CONCURRENCY)
            .collectList()
            .flatMap(sent -> wire.submitTransaction(sent).onErrorResume(TableTransactionFailedException.class, e -> {
                Integer index = e.getFailedTransactionActionIndex();
                MergeWrite write = index == null ? null : merges.get(index);
                if (write == null || !write.lostRace(e)) {
                    return Mono.error(e);
                }
                checkAttempts(attempt, write.entity(), "The transaction (" + actions.size() + " actions), which "
                    + "merges into", e);
                return submit(actions, wire, attempt + 1);
            }));
    }

    /** @return the merge's write; empty if the action is not a merge */
    private Mono<MergeWrite> plan(TableTransactionAction action, int index, TableWire wire) {
        TableTransactionActionType type = action.getActionType();
        if (type != TableTransactionActionType.UPSERT_MERGE && type != TableTransactionActionType.UPDATE_MERGE) {
            return Mono.empty();
        }
        boolean upsert = type == TableTransactionActionType.UPSERT_MERGE;
        TableEntity entity = action.getEntity();
        return planner.plan(entity, upsert, !upsert && action.getIfUnchanged() ? entity.getETag() : null, wire)
            .onErrorMap(TableServiceException.class, e -> {
                if (e instanceof TableTransactionFailedException || e.getValue() == null
                    || !TableErrorCode.RESOURCE_NOT_FOUND.equals(e.getValue().getErrorCode())) {
                    return e;
                }
                return new TableTransactionFailedException("Action " + index + " of the transaction, " + type
                    + " of " + EntityEncryptor.describe(tableName, entity.getPartitionKey(), entity.getRowKey())
                    + ", cannot be applied: the entity does not exist (read before the transaction, to merge into "
                    + "it). Nothing of the transaction was sent.", e.getResponse(), e.getValue(), index);
            });
    }

    private Mono<TableTransactionAction> encrypt(TableTransactionAction action, TableWire wire) {
        if (action.getActionType() == TableTransactionActionType.DELETE) {
            return Mono.just(action);
        }
        return encryptor.encrypt(action.getEntity(), wire.blocking())
            .map(encrypted -> new TableTransactionAction(action.getActionType(), encrypted, action.getIfUnchanged()));
    }

    /** @throws TableMergeConflictException if {@code attempt} was the last one allowed */
    private void checkAttempts(int attempt, TableEntity entity, String what, TableServiceException refusal) {
        String entityName = EntityEncryptor.describe(tableName, entity.getPartitionKey(),
            entity.getRowKey());
        if (attempt > maxRetries) {
            throw Logs.refused(LOGGER, new TableMergeConflictException(what + " " + entityName + " gave up after " + attempt
                + " attempts: each time, the entity changed between this client's read and its conditional write "
                + "(another writer updated, deleted or created it), and the service refused the write. Nothing of "
                + "this call was written. Retry later, or raise maxMergeRetries (now " + maxRetries + ") on "
                + "EncryptedTableClientBuilder.", entity.getPartitionKey(), entity.getRowKey(), attempt, refusal));
        }
        LOGGER.atVerbose().addKeyValue("attempt", attempt).addKeyValue("maxRetries", maxRetries)
            .log(() -> entityName + " changed while merging into it; reading it again and retrying");
    }
}
