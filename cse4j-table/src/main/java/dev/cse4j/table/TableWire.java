package dev.cse4j.table;

import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.data.tables.TableAsyncClient;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionResult;
import dev.cse4j.core.implementation.Blocking;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;

/**
 * The table service as one call of either client reaches it, so that the encryption, the merges and their retries
 * ({@link TableOperations}) are written once, as {@link Mono}s: a synchronous client's call sends through the SDK's
 * synchronous {@link TableClient} on the calling thread (each request with the time left of the caller's timeout,
 * and the caller's context), and its keys may block ({@link Blocking#ALLOWED}); an asynchronous client sends through
 * the SDK's {@link TableAsyncClient} and never blocks ({@link Blocking#OFFLOADED}). Failures are the SDK's own, as
 * error signals.
 */
abstract class TableWire {
    private final Blocking blocking;

    private TableWire(Blocking blocking) {
        this.blocking = blocking;
    }

    /** One call of a synchronous client, which keeps to {@code timeout} ({@code null}: none) as a whole. */
    static TableWire of(TableClient client, Duration timeout, Context context) {
        return new Sync(client, Deadline.of(timeout), context);
    }

    /** An asynchronous client's calls. */
    static TableWire of(TableAsyncClient client) {
        return new Async(client);
    }

    /** Where what may block (keys, the random source) runs. */
    final Blocking blocking() {
        return blocking;
    }

    abstract Mono<Response<TableEntity>> getEntity(String partitionKey, String rowKey, List<String> select);

    abstract Mono<Response<Void>> createEntity(TableEntity entity);

    abstract Mono<Response<Void>> upsertEntity(TableEntity entity, TableEntityUpdateMode mode);

    abstract Mono<Response<Void>> updateEntity(TableEntity entity, TableEntityUpdateMode mode, boolean ifUnchanged);

    abstract Mono<Response<TableTransactionResult>> submitTransaction(List<TableTransactionAction> actions);

    private static final class Sync extends TableWire {
        private final TableClient client;
        private final Deadline deadline;
        private final Context context;

        Sync(TableClient client, Deadline deadline, Context context) {
            super(Blocking.ALLOWED);
            this.client = client;
            this.deadline = deadline;
            this.context = context;
        }

        @Override
        Mono<Response<TableEntity>> getEntity(String partitionKey, String rowKey, List<String> select) {
            return Mono.fromCallable(() -> client.getEntityWithResponse(partitionKey, rowKey, select,
                deadline.remaining(), context));
        }

        @Override
        Mono<Response<Void>> createEntity(TableEntity entity) {
            return Mono.fromCallable(() -> client.createEntityWithResponse(entity, deadline.remaining(), context));
        }

        @Override
        Mono<Response<Void>> upsertEntity(TableEntity entity, TableEntityUpdateMode mode) {
            return Mono.fromCallable(() -> client.upsertEntityWithResponse(entity, mode, deadline.remaining(),
                context));
        }

        @Override
        Mono<Response<Void>> updateEntity(TableEntity entity, TableEntityUpdateMode mode, boolean ifUnchanged) {
            return Mono.fromCallable(() -> client.updateEntityWithResponse(entity, mode, ifUnchanged,
                deadline.remaining(), context));
        }

        @Override
        Mono<Response<TableTransactionResult>> submitTransaction(List<TableTransactionAction> actions) {
            return Mono.fromCallable(() -> client.submitTransactionWithResponse(actions, deadline.remaining(),
                context));
        }
    }

    private static final class Async extends TableWire {
        private final TableAsyncClient client;

        Async(TableAsyncClient client) {
            super(Blocking.OFFLOADED);
            this.client = client;
        }

        @Override
        Mono<Response<TableEntity>> getEntity(String partitionKey, String rowKey, List<String> select) {
            return client.getEntityWithResponse(partitionKey, rowKey, select);
        }

        @Override
        Mono<Response<Void>> createEntity(TableEntity entity) {
            return client.createEntityWithResponse(entity);
        }

        @Override
        Mono<Response<Void>> upsertEntity(TableEntity entity, TableEntityUpdateMode mode) {
            return client.upsertEntityWithResponse(entity, mode);
        }

        @Override
        Mono<Response<Void>> updateEntity(TableEntity entity, TableEntityUpdateMode mode, boolean ifUnchanged) {
            return client.updateEntityWithResponse(entity, mode, ifUnchanged);
        }

        @Override
        Mono<Response<TableTransactionResult>> submitTransaction(List<TableTransactionAction> actions) {
            return client.submitTransactionWithResponse(actions);
        }
    }
}
