package dev.cse4j.table;

import com.azure.core.http.rest.PagedFlux;
import com.azure.core.http.rest.PagedIterable;
import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionResult;
import dev.cse4j.core.TableEncryptionFormat;
import org.junit.jupiter.params.provider.Arguments;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The two encrypted table clients, built by the same builder with the same options: the suites run against both
 * through {@link TestTable}, the synchronous client's API. The asynchronous client answers each call with its
 * method of the same name and parameters (without the timeout and context), subscribed on a Reactor parallel worker,
 * where BlockHound (installed for every test of this module) fails anything that blocks, and waited for; its
 * listings are iterated page by page the same way.
 */
enum Api {
    SYNC {
        @Override
        TestTable build(EncryptedTableClientBuilder builder) {
            EncryptedTableClient client = builder.buildEncryptedTableClient();
            return proxy(client, (method, args) -> invoke(client, EncryptedTableClient.class.getMethod(
                method.getName(), method.getParameterTypes()), args));
        }
    },
    ASYNC {
        @Override
        TestTable build(EncryptedTableClientBuilder builder) {
            EncryptedTableAsyncClient client = builder.buildEncryptedTableAsyncClient();
            return proxy(client, (method, args) -> {
                Method twin = asyncTwin(method);
                Object result = invoke(client, twin, args == null ? null
                    : Arrays.copyOf(args, twin.getParameterCount()));
                if (result instanceof PagedFlux<?> listing) {
                    return iterable(listing);
                }
                return result instanceof Mono<?> mono ? onParallel(mono) : result;
            });
        }
    };

    /** The longest any test waits for one asynchronous operation. */
    static final Duration TIMEOUT = Duration.ofMinutes(1);

    /** A client of this kind, built by {@code builder}. */
    abstract TestTable build(EncryptedTableClientBuilder builder);

    /** Every kind of client with every table format: {@code @MethodSource("dev.cse4j.table.Api#byFormat")}. */
    static Stream<Arguments> byFormat() {
        return times((Object[]) TableEncryptionFormat.values());
    }

    /** Every kind of client with each of {@code values}. */
    static Stream<Arguments> times(Object... values) {
        return Stream.of(values()).flatMap(api -> Stream.of(values).map(value -> Arguments.of(api, value)));
    }

    /** {@code mono}, subscribed on a parallel worker (a thread that must never block), waited for. */
    static <T> T onParallel(Mono<T> mono) {
        return mono.subscribeOn(Schedulers.parallel()).block(TIMEOUT);
    }

    /**
     * The asynchronous client's method answering a synchronous one: the same name and parameters, without a
     * trailing timeout and context.
     */
    static Method asyncTwin(Method sync) throws NoSuchMethodException {
        Class<?>[] parameters = sync.getParameterTypes();
        int n = parameters.length;
        if (n >= 2 && parameters[n - 2] == Duration.class && parameters[n - 1] == Context.class) {
            parameters = Arrays.copyOf(parameters, n - 2);
        }
        return EncryptedTableAsyncClient.class.getMethod(sync.getName(), parameters);
    }

    private static <T> PagedIterable<T> iterable(PagedFlux<T> listing) {
        return new PagedIterable<>(PagedFlux.create(() -> (continuationToken, pageSize) ->
            (continuationToken == null ? listing.byPage() : listing.byPage(continuationToken))
                .subscribeOn(Schedulers.parallel())));
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private interface Call {
        Object answer(Method method, Object[] args) throws Throwable;
    }

    private static TestTable proxy(Object client, Call call) {
        return (TestTable) Proxy.newProxyInstance(TestTable.class.getClassLoader(), new Class<?>[] {TestTable.class},
            (proxy, method, args) -> method.getName().equals("toString") && method.getParameterCount() == 0
                ? client.getClass().getSimpleName() : call.answer(method, args));
    }

    /** An encrypted table client of either kind, as the suites use it: {@link EncryptedTableClient}'s API. */
    interface TestTable {
        String getTableName();

        boolean createTableIfNotExists();

        Response<Boolean> createTableIfNotExistsWithResponse(Duration timeout, Context context);

        void deleteTable();

        Response<Void> deleteTableWithResponse(Duration timeout, Context context);

        void createEntity(TableEntity entity);

        void upsertEntity(TableEntity entity);

        Response<Void> upsertEntityWithResponse(TableEntity entity, TableEntityUpdateMode updateMode,
            Duration timeout, Context context);

        void updateEntity(TableEntity entity);

        void updateEntity(TableEntity entity, TableEntityUpdateMode updateMode);

        Response<Void> updateEntityWithResponse(TableEntity entity, TableEntityUpdateMode updateMode,
            boolean ifUnchanged, Duration timeout, Context context);

        void deleteEntity(String partitionKey, String rowKey);

        void deleteEntity(TableEntity entity);

        TableEntity getEntity(String partitionKey, String rowKey);

        Response<TableEntity> getEntityWithResponse(String partitionKey, String rowKey, List<String> select,
            Duration timeout, Context context);

        PagedIterable<TableEntity> listEntities();

        PagedIterable<TableEntity> listEntities(ListEntitiesOptions options, Duration timeout, Context context);

        TableTransactionResult submitTransaction(List<TableTransactionAction> transactionActions);

        dev.cse4j.core.EncryptionData rotateClientSideEncryptionKey(String partitionKey, String rowKey);
    }
}
