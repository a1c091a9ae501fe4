package dev.cse4j.table;

import com.azure.core.exception.AzureException;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableTransactionAction;
import dev.cse4j.core.ClientSideEncryptionException;
import dev.cse4j.core.TableEncryptionFormat;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.FaultMatrix;
import dev.cse4j.testing.FaultProxy;
import dev.cse4j.testing.FaultRule;
import dev.cse4j.testing.FaultRule.Direction;
import io.netty.handler.codec.PrematureChannelClosureException;
import org.junit.jupiter.api.AfterAll;
import reactor.core.Exceptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static com.azure.data.tables.models.TableTransactionActionType.CREATE;
import static com.azure.data.tables.models.TableTransactionActionType.DELETE;
import static com.azure.data.tables.models.TableTransactionActionType.UPDATE_MERGE;
import static com.azure.data.tables.models.TableTransactionActionType.UPSERT_REPLACE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A transaction of the encrypted table client (an encrypted merge, a replace, a create and a delete) cut by a fault
 * proxy between the client and Azurite (issue 14, fault injection): its request or its response reset or closed
 * after a random number of bytes, or 500/503 answers, with or without the SDK's retries, for both clients. All or
 * nothing: afterwards the table, read and decrypted directly, holds exactly the entities before the transaction or
 * exactly those after it; a transaction that reported success applied whole. See {@link TableRestartTest} for
 * Azurite killed meanwhile. The seed is in the test's name and message.
 */
@ExtendWith(AzuriteExtension.class)
class TransactionFaultTest {
    private static final int SEEDS = 12;
    private static final EncryptionResolver SECRETS = (pk, rk, name) -> name.startsWith("Secret");
    // an asynchronous client signals the HTTP client's own failures (IOException, Netty's unchecked
    // PrematureChannelClosureException) as the Azure SDK's asynchronous clients do; a synchronous one throws
    // UncheckedIOException for both
    private static final FaultMatrix MATRIX = new FaultMatrix("table transaction cut", AzureException.class,
        UncheckedIOException.class, ClientSideEncryptionException.class, IOException.class,
        PrematureChannelClosureException.class);

    private static Azurite azurite;
    private static FaultProxy proxy;
    private static long up;
    private static long down;

    @BeforeAll
    static void start(Azurite service) {
        azurite = service;
        proxy = FaultProxy.start(azurite.tablePort());
        // the traffic of one such transaction, without faults
        TableClient twin = Tables.createTable(azurite, "txtwin");
        fill(twin);
        long upBefore = proxy.forwarded(Direction.UPSTREAM);
        long downBefore = proxy.forwarded(Direction.DOWNSTREAM);
        throughProxy(Api.SYNC, twin, 1).submitTransaction(TRANSACTION.get());
        up = proxy.forwarded(Direction.UPSTREAM) - upBefore;
        down = proxy.forwarded(Direction.DOWNSTREAM) - downBefore;
        assertThat(snapshot(twin)).isEqualTo(AFTER);
    }

    @AfterAll
    static void stop() {
        proxy.close();
        MATRIX.print();
    }

    /** The entities before the transaction, by row key: user properties, decrypted. */
    static final Map<String, Map<String, Object>> BEFORE = Map.of(
        "a", Map.of("SecretA", "alpha", "Plain", "a"),
        "b", Map.of("SecretB", "beta", "Plain", "b"),
        "gone", Map.of("SecretG", "gamma"));
    /** The entities after it. */
    static final Map<String, Map<String, Object>> AFTER = Map.of(
        "a", Map.of("SecretA", "alpha 2", "SecretX", "x", "Plain", "a"),
        "b", Map.of("Plain", "b2"),
        "c", Map.of("SecretC", "c"));
    /** The transaction (new entities each time: the client encrypts them in place). */
    static final java.util.function.Supplier<List<TableTransactionAction>> TRANSACTION = () -> List.of(
        new TableTransactionAction(UPDATE_MERGE, new TableEntity("p", "a").addProperty("SecretA", "alpha 2")
            .addProperty("SecretX", "x")),
        new TableTransactionAction(UPSERT_REPLACE, new TableEntity("p", "b").addProperty("Plain", "b2")),
        new TableTransactionAction(CREATE, new TableEntity("p", "c").addProperty("SecretC", "c")),
        new TableTransactionAction(DELETE, new TableEntity("p", "gone")));

    /** Writes {@link #BEFORE} into {@code table}, encrypted. */
    static void fill(TableClient table) {
        EncryptedTableClient writer = Tables.encrypted(table, TableEncryptionFormat.AUTHENTICATED, SECRETS);
        BEFORE.forEach((rowKey, properties) -> {
            TableEntity entity = new TableEntity("p", rowKey);
            properties.forEach(entity::addProperty);
            writer.createEntity(entity);
        });
    }

    /** The table's entities, read directly and decrypted: user properties by row key. */
    static Map<String, Map<String, Object>> snapshot(TableClient table) {
        Map<String, Map<String, Object>> entities = new TreeMap<>();
        Tables.encrypted(table, TableEncryptionFormat.AUTHENTICATED, SECRETS).listEntities().forEach(entity ->
            entities.put(entity.getRowKey(), EncryptedTableClientTest.userProperties(entity)));
        return entities;
    }

    /** The encrypted client of {@code api} for {@code table} through {@code proxy}, {@code tries} tries per request. */
    static Api.TestTable throughProxy(Api api, TableClient table, FaultProxy proxy, int tries, Duration delay) {
        TableClient routed = new TableClientBuilder().connectionString(azurite(table, proxy))
            .tableName(table.getTableName()).buildClient();
        return api.build(Tables.builder(routed, TableEncryptionFormat.AUTHENTICATED, SECRETS)
            .retryOptions(new RetryOptions(new FixedDelayOptions(tries - 1, delay))));
    }

    private static Api.TestTable throughProxy(Api api, TableClient table, int tries) {
        return throughProxy(api, table, proxy, tries, Duration.ofMillis(1));
    }

    /** A connection string for the table's account with the table endpoint on the proxy. */
    private static String azurite(TableClient table, FaultProxy proxy) {
        return "DefaultEndpointsProtocol=http;AccountName=" + Azurite.ACCOUNT_NAME + ";AccountKey="
            + Azurite.ACCOUNT_KEY + ";TableEndpoint=http://127.0.0.1:" + proxy.port() + "/" + Azurite.ACCOUNT_NAME
            + ";";
    }

    static Stream<Arguments> seeds() {
        return Stream.of(Api.values()).flatMap(api -> LongStream.rangeClosed(1, SEEDS)
            .mapToObj(seed -> Arguments.of(api, seed)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("seeds")
    void transactionCut_appliesAllOrNothing(Api api, long seed) {
        Random random = new Random(seed * 31 + api.ordinal());
        TableClient table = Tables.createTable(azurite, "txcut");
        fill(table);
        int tries = random.nextBoolean() ? 1 : 3;
        proxy.clear();
        String fault = switch (random.nextInt(5)) {
            case 0 -> proxy.add(FaultRule.upstream().afterBytes(random.nextLong(up)).reset()).toString();
            case 1 -> proxy.add(FaultRule.upstream().afterBytes(random.nextLong(up)).truncate()).toString();
            case 2 -> proxy.add(FaultRule.downstream().afterBytes(random.nextLong(down)).reset()).toString();
            case 3 -> proxy.add(FaultRule.downstream().afterBytes(random.nextLong(down)).truncate()).toString();
            default -> proxy.add(FaultRule.requests().skip(random.nextInt(4)).times(1 + random.nextInt(2))
                .respond(random.nextBoolean() ? 500 : 503)).toString();
        };
        String what = api + " seed " + seed + ": " + tries + " tries, " + fault;

        Throwable failure = null;
        try {
            throughProxy(api, table, tries).submitTransaction(TRANSACTION.get());
        } catch (RuntimeException e) {
            failure = Exceptions.unwrap(e); // the asynchronous client's error signal, as block() wraps it
        } finally {
            proxy.clear();
        }

        Map<String, Map<String, Object>> now = snapshot(table);
        if (failure == null) {
            assertThat(now).as("%s: the table after the transaction succeeded", what).isEqualTo(AFTER);
        } else {
            MATRIX.assertTyped(failure, what);
            if (api == Api.SYNC) {
                assertThat(failure).as("%s: a synchronous client's failure", what)
                    .isNotInstanceOf(PrematureChannelClosureException.class);
            }
            assertThat(now).as("%s: the table after the transaction failed", what).isIn(BEFORE, AFTER);
        }
        MATRIX.count(api, failure == null ? "retried ok, applied whole" : now.equals(AFTER)
            ? "typed error, applied whole" : "typed error, unchanged");
    }
}
