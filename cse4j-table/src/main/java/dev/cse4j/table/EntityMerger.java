package dev.cse4j.table;

import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.core.util.logging.ClientLogger;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableErrorCode;
import com.azure.data.tables.models.TableServiceException;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.azure.data.tables.models.TableTransactionFailedException;
import com.azure.data.tables.models.TableTransactionResult;
import dev.cse4j.core.implementation.Logs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes with MERGE semantics without losing updates: each attempt reads the entities it merges into, plans one
 * conditional write per entity ({@link MergePlanner}) and sends them; when the service refuses a write because an
 * entity changed since it was read, the attempt is planned again from fresh reads, at most {@code maxRetries} more
 * times, then {@link TableMergeConflictException}. A transaction is retried whole: its conditions make it fail
 * entirely, so a refused attempt applied nothing.
 */
final class EntityMerger {
    private static final ClientLogger LOGGER = new ClientLogger(EntityMerger.class);

    private final TableClient client;
    private final EntityEncryptor encryptor;
    private final MergePlanner planner;
    private final int maxRetries;

    EntityMerger(TableClient client, EntityEncryptor encryptor, MergePlanner planner, int maxRetries) {
        this.client = client;
        this.encryptor = encryptor;
        this.planner = planner;
        this.maxRetries = maxRetries;
    }

    /**
     * Merges one entity.
     *
     * @param upsert whether a missing entity is created (upsert) or is the service's 404 (update)
     * @param ifUnchanged whether the write holds to {@code change}'s ETag (then a refusal is the service's 412 and
     *     is not retried)
     */
    Response<Void> merge(TableEntity change, boolean upsert, boolean ifUnchanged, Duration timeout,
        Context context) {
        Deadline deadline = Deadline.of(timeout);
        String eTag = ifUnchanged ? change.getETag() : null;
        for (int attempt = 1; ; attempt++) {
            MergeWrite write = planner.plan(change, upsert, eTag, deadline, context);
            try {
                return write.send(client, deadline.remaining(), context);
            } catch (TableServiceException e) {
                if (!write.lostRace(e)) {
                    throw e;
                }
                checkAttempts(attempt, write.entity(), "The merge into", e);
            }
        }
    }

    /**
     * Submits a transaction, each UPSERT_MERGE and UPDATE_MERGE action planned against its entity as read (and sent
     * as CREATE, UPDATE_MERGE or UPDATE_REPLACE with If-Match), every other action encrypted as it is. The action at
     * index i of the transaction sent is the caller's action at index i.
     *
     * @throws TableTransactionFailedException the service's, or, for an UPDATE_MERGE of an entity that does not
     *     exist, one made from the read's 404 with that action's index (nothing was sent)
     */
    Response<TableTransactionResult> submit(List<TableTransactionAction> actions, Duration timeout,
        Context context) {
        Deadline deadline = Deadline.of(timeout);
        for (int attempt = 1; ; attempt++) {
            List<TableTransactionAction> sent = new ArrayList<>(actions.size());
            Map<Integer, MergeWrite> merges = new HashMap<>();
            for (TableTransactionAction action : actions) {
                MergeWrite write = plan(action, sent.size(), deadline, context);
                if (write == null) {
                    sent.add(encrypt(action));
                } else {
                    merges.put(sent.size(), write);
                    sent.add(write.action());
                }
            }
            try {
                return client.submitTransactionWithResponse(sent, deadline.remaining(), context);
            } catch (TableTransactionFailedException e) {
                Integer index = e.getFailedTransactionActionIndex();
                MergeWrite write = index == null ? null : merges.get(index);
                if (write == null || !write.lostRace(e)) {
                    throw e;
                }
                checkAttempts(attempt, write.entity(), "The transaction (" + actions.size() + " actions), which "
                    + "merges into", e);
            }
        }
    }

    /** @return the merge's write, or {@code null} if the action is not a merge */
    private MergeWrite plan(TableTransactionAction action, int index, Deadline deadline, Context context) {
        TableTransactionActionType type = action.getActionType();
        if (type != TableTransactionActionType.UPSERT_MERGE && type != TableTransactionActionType.UPDATE_MERGE) {
            return null;
        }
        boolean upsert = type == TableTransactionActionType.UPSERT_MERGE;
        TableEntity entity = action.getEntity();
        try {
            return planner.plan(entity, upsert, !upsert && action.getIfUnchanged() ? entity.getETag() : null,
                deadline, context);
        } catch (TableServiceException e) {
            if (e instanceof TableTransactionFailedException || e.getValue() == null
                || !TableErrorCode.RESOURCE_NOT_FOUND.equals(e.getValue().getErrorCode())) {
                throw e;
            }
            throw new TableTransactionFailedException("Action " + index + " of the transaction, " + type + " of "
                + EntityEncryptor.describe(client.getTableName(), entity.getPartitionKey(), entity.getRowKey())
                + ", cannot be applied: the entity does not exist (read before the transaction, to merge into it). "
                + "Nothing of the transaction was sent.", e.getResponse(), e.getValue(), index);
        }
    }

    private TableTransactionAction encrypt(TableTransactionAction action) {
        if (action.getActionType() == TableTransactionActionType.DELETE) {
            return action;
        }
        return new TableTransactionAction(action.getActionType(), encryptor.encrypt(action.getEntity()),
            action.getIfUnchanged());
    }

    /** @throws TableMergeConflictException if {@code attempt} was the last one allowed */
    private void checkAttempts(int attempt, TableEntity entity, String what, TableServiceException refusal) {
        String entityName = EntityEncryptor.describe(client.getTableName(), entity.getPartitionKey(),
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
