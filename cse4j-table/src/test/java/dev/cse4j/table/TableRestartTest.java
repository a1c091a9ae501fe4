package dev.cse4j.table;

import com.azure.core.exception.AzureException;
import com.azure.data.tables.TableClient;
import dev.cse4j.core.ClientSideEncryptionException;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteOptions;
import dev.cse4j.testing.FaultMatrix;
import dev.cse4j.testing.FaultProxy;
import dev.cse4j.testing.FaultRule;
import dev.cse4j.testing.ServiceCrash;
import io.netty.handler.codec.PrematureChannelClosureException;
import org.junit.jupiter.api.AfterAll;
import reactor.core.Exceptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Azurite killed (SIGKILL) and started again on the same ports while an encrypted transaction's batch request is
 * held on the wire (issue 14, fault injection), for both clients. Azurite keeps its data on disk here (a temporary
 * folder), and the tables were filled before a graceful restart, so the crash cannot lose them. The client retries
 * for about 6 s, long enough to reach the restarted server. All or nothing, as in {@link TransactionFaultTest}: the
 * table, read and decrypted, holds exactly the entities before or exactly those after the transaction.
 * <p>Tag {@code large} ({@code -Dgroups=large}, README "Tests"): each case kills and restarts a Node.js server and
 * waits out retries and visibility timeouts; the fault-proxy tests cut the same operations in the default suite.
 */
@Tag("large")
class TableRestartTest {
    // an asynchronous client signals the HTTP client's own failures (IOException, Netty's unchecked
    // PrematureChannelClosureException) as the Azure SDK's asynchronous clients do; a synchronous one throws
    // UncheckedIOException for both
    private static final FaultMatrix MATRIX = new FaultMatrix("table transaction, Azurite killed and restarted",
        AzureException.class, UncheckedIOException.class, ClientSideEncryptionException.class, IOException.class,
        PrematureChannelClosureException.class);

    @TempDir
    static Path data;

    private static Azurite azurite;
    private static final Map<Api, String> TABLES = new EnumMap<>(Api.class);

    @BeforeAll
    static void start() {
        azurite = Azurite.start(AzuriteOptions.defaults().withPersistenceDirectory(data));
        for (Api api : Api.values()) {
            TableClient table = Tables.createTable(azurite, "txrestart");
            TransactionFaultTest.fill(table);
            TABLES.put(api, table.getTableName());
        }
        azurite.close(); // saves everything
        azurite = azurite.startAgain();
    }

    @AfterAll
    static void stop() {
        azurite.close();
        MATRIX.print();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void killedWhileTheBatchIsOnTheWire_appliesAllOrNothing(Api api) {
        TableClient table = Tables.plain(azurite, TABLES.get(api));
        try (FaultProxy proxy = FaultProxy.start(azurite.tablePort())) {
            Api.TestTable client = TransactionFaultTest.throughProxy(api, table, proxy, 7, Duration.ofSeconds(1));

            ServiceCrash.Result<Object> crash = ServiceCrash.during(azurite, proxy,
                FaultRule.requests().method("POST").targetMatching("\\$batch").stall(),
                () -> client.submitTransaction(TransactionFaultTest.TRANSACTION.get()));
            azurite = crash.restarted();

            assertThat(crash.midway()).as("the crash came while the batch was held (the operation ended with %s)",
                crash.failure()).isTrue();
            Map<String, Map<String, Object>> now = TransactionFaultTest.snapshot(Tables.plain(azurite,
                TABLES.get(api)));
            if (crash.failure() == null) {
                assertThat(now).as("after the transaction succeeded").isEqualTo(TransactionFaultTest.AFTER);
            } else {
                MATRIX.assertTyped(Exceptions.unwrap(crash.failure()), api + ": transaction across the restart");
                assertThat(now).as("after the transaction failed").isIn(TransactionFaultTest.BEFORE,
                    TransactionFaultTest.AFTER);
            }
            MATRIX.count(api, (crash.failure() == null ? "retried ok" : "typed error") + ", "
                + (now.equals(TransactionFaultTest.AFTER) ? "applied whole" : "unchanged"));
        }
    }
}
