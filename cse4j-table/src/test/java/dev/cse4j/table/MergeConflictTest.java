package dev.cse4j.table;

import org.junit.jupiter.params.provider.EnumSource;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableErrorCode;
import com.azure.data.tables.models.TableServiceException;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.azure.data.tables.models.TableTransactionFailedException;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.cse4j.table.EncryptedTableClientTest.userProperties;
import static dev.cse4j.core.TableEncryptionFormat.AUTHENTICATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** Merges under concurrent writers: no acknowledged write is lost, and a bounded retry ends in a typed failure. */
@ExtendWith(AzuriteExtension.class)
class MergeConflictTest {
    private static final EncryptionResolver SECRETS = (pk, rk, name) -> name.startsWith("Secret");
    private static final int ROUNDS = 50;

    private TableClient plain;
    private EncryptedTableClient other;

    @BeforeEach
    void createTable(Azurite azurite) {
        plain = Tables.createTable(azurite, "conflict");
        other = Tables.encrypted(plain, AUTHENTICATED, SECRETS);
    }

    private Api.TestTable racer(Api api, Interloper policy) {
        return api.build(policy.builder(plain, AUTHENTICATED, SECRETS));
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void mergesRacingFromTwoClients_loseNoAcknowledgedWrite(Api api) throws Exception {
        other.createEntity(new TableEntity("p", "r").addProperty("SecretStart", "s").addProperty("Start", 0));
        Interloper policyA = new Interloper();
        Interloper policyB = new Interloper();
        Api.TestTable a = racer(api, policyA);
        Api.TestTable b = racer(api, policyB);
        CyclicBarrier barrier = new CyclicBarrier(2);

        // Each round both clients merge at once, one an encrypted property and the other a plain one (alternating).
        List<Map.Entry<String, String>> acknowledged = race(barrier,
            round -> merge(a, (round % 2 == 0 ? "SecretA" : "PlainA") + round, "a" + round),
            round -> merge(b, (round % 2 == 0 ? "PlainB" : "SecretB") + round, "b" + round));

        TableEntity end = other.getEntity("p", "r");
        assertThat(acknowledged).hasSize(2 * ROUNDS);
        for (Map.Entry<String, String> write : acknowledged) {
            assertThat(end.getProperty(write.getKey())).as(write.getKey()).isEqualTo(write.getValue());
        }
        assertThat(userProperties(end)).hasSize(2 * ROUNDS + 2).containsEntry("SecretStart", "s");
        TableEntity stored = plain.getEntity("p", "r");
        acknowledged.forEach(write -> assertThat(stored.getProperty(write.getKey())).as(write.getKey())
            .isInstanceOf(write.getKey().startsWith("Secret") ? byte[].class : String.class));
        assertThat(policyA.conflicts() + policyB.conflicts()).as("the clients did race").isPositive();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void transactionMergesRacingFromTwoClients_loseNoAcknowledgedWrite(Api api) throws Exception {
        other.createEntity(new TableEntity("p", "r1").addProperty("SecretStart", "s"));
        other.createEntity(new TableEntity("p", "r2").addProperty("Start", "s"));
        Api.TestTable a = racer(api, new Interloper());
        Api.TestTable b = racer(api, new Interloper());
        CyclicBarrier barrier = new CyclicBarrier(2);
        int rounds = ROUNDS / 5; // a transaction reads two entities and writes both: fewer rounds keep it quick

        List<Map.Entry<String, String>> acknowledged = race(barrier, rounds,
            round -> mergeBoth(a, "SecretA" + round, "PlainA" + round, "a" + round),
            round -> mergeBoth(b, "PlainB" + round, "SecretB" + round, "b" + round));

        TableEntity r1 = other.getEntity("p", "r1");
        TableEntity r2 = other.getEntity("p", "r2");
        assertThat(acknowledged).hasSize(2 * rounds);
        for (Map.Entry<String, String> write : acknowledged) {
            String[] names = write.getKey().split("/");
            assertThat(r1.getProperty(names[0])).as(names[0]).isEqualTo(write.getValue());
            assertThat(r2.getProperty(names[1])).as(names[1]).isEqualTo(write.getValue());
        }
        assertThat(userProperties(r1)).hasSize(2 * rounds + 1);
        assertThat(userProperties(r2)).hasSize(2 * rounds + 1);
    }

    private static Map.Entry<String, String> merge(Api.TestTable client, String name, String value) {
        client.updateEntity(new TableEntity("p", "r").addProperty(name, value));
        return Map.entry(name, value);
    }

    private static Map.Entry<String, String> mergeBoth(Api.TestTable client, String intoR1, String intoR2,
        String value) {
        client.submitTransaction(List.of(
            new TableTransactionAction(TableTransactionActionType.UPDATE_MERGE,
                new TableEntity("p", "r1").addProperty(intoR1, value)),
            new TableTransactionAction(TableTransactionActionType.UPSERT_MERGE,
                new TableEntity("p", "r2").addProperty(intoR2, value))));
        return Map.entry(intoR1 + "/" + intoR2, value);
    }

    private interface Round {
        Map.Entry<String, String> run(int round);
    }

    private static List<Map.Entry<String, String>> race(CyclicBarrier barrier, Round first, Round second)
        throws Exception {
        return race(barrier, ROUNDS, first, second);
    }

    /** Runs both writers' rounds side by side, each round started together; returns the writes that returned. */
    private static List<Map.Entry<String, String>> race(CyclicBarrier barrier, int rounds, Round first, Round second)
        throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<Map.Entry<String, String>>>> writers = new ArrayList<>();
            for (Round writer : new Round[] {first, second}) {
                Callable<List<Map.Entry<String, String>>> rounds1 = () -> {
                    List<Map.Entry<String, String>> done = new ArrayList<>();
                    for (int round = 0; round < rounds; round++) {
                        barrier.await(30, TimeUnit.SECONDS);
                        done.add(writer.run(round));
                    }
                    return done;
                };
                writers.add(pool.submit(rounds1));
            }
            List<Map.Entry<String, String>> acknowledged = new ArrayList<>();
            for (Future<List<Map.Entry<String, String>>> writer : writers) {
                acknowledged.addAll(writer.get(120, TimeUnit.SECONDS));
            }
            return acknowledged;
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "SYNC, encrypted merge, SecretB, 2",
        "SYNC, plain merge, Plain, 2",
        "SYNC, no retries, SecretB, 0",
        "ASYNC, encrypted merge, SecretB, 2",
        "ASYNC, plain merge, Plain, 2",
        "ASYNC, no retries, SecretB, 0"})
    void mergeOfAnEntityThatChangesBeforeEveryWrite_givesUpAfterTheBound_andWritesNothing(Api api, String what,
        String name, int retries) {
        other.createEntity(new TableEntity("p", "r").addProperty("SecretA", "a0").addProperty("Plain", "p0"));
        AtomicInteger interferences = new AtomicInteger();
        Interloper interloper = new Interloper();
        Api.TestTable mine = api.build(interloper.builder(plain, AUTHENTICATED, SECRETS)
            .maxMergeRetries(retries));
        interloper.arm(() -> other.updateEntity(new TableEntity("p", "r").addProperty("SecretA",
            "other " + interferences.incrementAndGet())));

        assertThatThrownBy(() -> mine.updateEntity(new TableEntity("p", "r").addProperty(name, "mine")
            .addProperty("Mine", "mine"))).as(what)
            .isInstanceOfSatisfying(TableMergeConflictException.class, e -> {
                assertThat(e.getAttempts()).isEqualTo(retries + 1);
                assertThat(e.getPartitionKey()).isEqualTo("p");
                assertThat(e.getRowKey()).isEqualTo("r");
                assertThat(e).hasMessageContainingAll("gave up after " + (retries + 1) + " attempts",
                    "Nothing of this call was written", "maxMergeRetries");
                assertThat(e.getCause()).isInstanceOfSatisfying(TableServiceException.class, cause ->
                    assertThat(cause.getResponse().getStatusCode()).isEqualTo(412));
            });

        interloper.disarm();
        assertThat(interloper.writes()).isEqualTo(retries + 1);
        assertThat(userProperties(other.getEntity("p", "r"))).containsOnly(
            entry("SecretA", "other " + (retries + 1)), entry("Plain", "p0"));
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void upsertOfAnEntityCreatedBeforeItsCreate_retriesAsAMerge_andKeepsBothWrites(Api api) {
        AtomicInteger interferences = new AtomicInteger();
        Interloper interloper = new Interloper();
        Api.TestTable mine = racer(api, interloper);
        interloper.arm(() -> {
            if (interferences.incrementAndGet() == 1) {
                other.createEntity(new TableEntity("p", "r").addProperty("SecretOther", "first"));
            }
        });

        mine.upsertEntity(new TableEntity("p", "r").addProperty("SecretMine", "second"));

        assertThat(interloper.conflicts()).isEqualTo(1);
        assertThat(userProperties(other.getEntity("p", "r"))).containsOnly(entry("SecretOther", "first"),
            entry("SecretMine", "second"));
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void transactionWhoseMergedEntityChangesBeforeEverySubmit_givesUpAfterTheBound_andAppliesNothing(Api api) {
        other.createEntity(new TableEntity("p", "r").addProperty("SecretA", "a0"));
        AtomicInteger interferences = new AtomicInteger();
        Interloper interloper = new Interloper();
        Api.TestTable mine = api.build(interloper.builder(plain, AUTHENTICATED, SECRETS)
            .maxMergeRetries(1));
        interloper.arm(() -> other.updateEntity(new TableEntity("p", "r").addProperty("Plain",
            "other " + interferences.incrementAndGet())));

        assertThatThrownBy(() -> mine.submitTransaction(List.of(
            new TableTransactionAction(TableTransactionActionType.CREATE, new TableEntity("p", "new")
                .addProperty("SecretN", "n")),
            new TableTransactionAction(TableTransactionActionType.UPSERT_MERGE, new TableEntity("p", "r")
                .addProperty("SecretA", "mine")))))
            .isInstanceOfSatisfying(TableMergeConflictException.class, e -> {
                assertThat(e.getAttempts()).isEqualTo(2);
                assertThat(e.getRowKey()).isEqualTo("r");
                assertThat(e.getCause()).isInstanceOfSatisfying(TableTransactionFailedException.class, cause -> {
                    assertThat(cause.getFailedTransactionActionIndex()).isEqualTo(1);
                    assertThat(cause.getValue().getErrorCode())
                        .isEqualTo(TableErrorCode.UPDATE_CONDITION_NOT_SATISFIED);
                });
            });

        interloper.disarm();
        assertThat(interloper.writes()).isEqualTo(2);
        assertThat(other.listEntities()).singleElement().satisfies(e -> assertThat(userProperties(e))
            .containsOnly(entry("SecretA", "a0"), entry("Plain", "other 2")));
    }
}
