package dev.cse4j.table;

import com.azure.core.http.rest.Response;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableErrorCode;
import com.azure.data.tables.models.TableServiceException;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import reactor.core.publisher.Mono;

/**
 * The one conditional write that applies a merge to the entity as it was read: it succeeds only if the entity is
 * still that version, so a merge never overwrites a change it did not see.
 *
 * @param entity what to send, with the ETag read (or the caller's) as {@code odata.etag} for MERGE and REPLACE
 * @param retryable whether losing a race may be retried: not when the caller gave the ETag to hold to
 */
record MergeWrite(Kind kind, TableEntity entity, boolean retryable) {
    enum Kind {
        /** The entity did not exist (an upsert): insert it encrypted; fails if it was created meanwhile. */
        CREATE,
        /** Only unencrypted properties change: MERGE them, If-Match the version read. */
        MERGE,
        /** An encrypted property changes: REPLACE the whole re-encrypted entity, If-Match the version read. */
        REPLACE
    }

    Mono<Response<Void>> send(TableWire wire) {
        switch (kind) {
            case CREATE:
                return wire.createEntity(entity);
            case MERGE:
                return wire.updateEntity(entity, TableEntityUpdateMode.MERGE, true);
            default:
                return wire.updateEntity(entity, TableEntityUpdateMode.REPLACE, true);
        }
    }

    /** The same write as a transaction action. */
    TableTransactionAction action() {
        switch (kind) {
            case CREATE:
                return new TableTransactionAction(TableTransactionActionType.CREATE, entity);
            case MERGE:
                return new TableTransactionAction(TableTransactionActionType.UPDATE_MERGE, entity, true);
            default:
                return new TableTransactionAction(TableTransactionActionType.UPDATE_REPLACE, entity, true);
        }
    }

    /**
     * Whether the service refused this write because the entity changed after it was read (and the write may be
     * planned again): a create that found the entity, or an If-Match write that found another version or none.
     */
    boolean lostRace(TableServiceException refusal) {
        if (!retryable) {
            return false;
        }
        TableErrorCode code = refusal.getValue() == null ? null : refusal.getValue().getErrorCode();
        if (kind == Kind.CREATE) {
            return TableErrorCode.ENTITY_ALREADY_EXISTS.equals(code);
        }
        return TableErrorCode.UPDATE_CONDITION_NOT_SATISFIED.equals(code)
            || TableErrorCode.RESOURCE_NOT_FOUND.equals(code)
            || code == null && refusal.getResponse() != null && refusal.getResponse().getStatusCode() == 412;
    }
}
