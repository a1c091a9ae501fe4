package dev.cse4j.table;

import com.azure.core.http.rest.PagedFlux;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.azure.security.keyvault.keys.cryptography.KeyEncryptionKeyClientBuilder;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.keys.CachingAsyncKeyEncryptionKeyResolver;
import dev.cse4j.keys.KeyWrapAlgorithm;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.CountingKeys;
import dev.cse4j.testing.KeyVaultClients;
import dev.cse4j.testing.KeyVaultExtension;
import dev.cse4j.testing.KeyVaultOperation;
import dev.cse4j.testing.KeyVaultServer;
import dev.cse4j.testing.StalledKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.stream.IntStream;

import static dev.cse4j.core.TableEncryptionFormat.AUTHENTICATED;
import static dev.cse4j.table.EncryptedTableClientTest.userProperties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What only the asynchronous table client has: the same API as the synchronous one, Key Vault's asynchronous key and
 * resolver used asynchronously under concurrency and throttling, concurrent merges into one entity losing nothing,
 * cancellation, and failures signalled rather than thrown. Every operation is subscribed on a parallel worker, where
 * BlockHound (installed for every test of this module) fails anything that blocks. The suites shared with the
 * synchronous client run through {@link Api}.
 */
@ExtendWith(AzuriteExtension.class)
class EncryptedTableAsyncClientTest {
    private static final EncryptionResolver SECRETS = (pk, rk, name) -> name.startsWith("Secret");
    @RegisterExtension
    static final KeyVaultExtension KEY_VAULT = new KeyVaultExtension();

    private TableClient plain;

    @BeforeEach
    void createTable(Azurite azurite) {
        plain = Tables.createTable(azurite, "async");
    }

    private EncryptedTableAsyncClient client(ClientSideEncryptionOptions.Builder options) {
        return Tables.builder(plain, options).encryptionResolver(SECRETS).buildEncryptedTableAsyncClient();
    }

    @Test
    void everyOperationOfTheSynchronousClient_hasItsAsynchronousTwin() throws NoSuchMethodException {
        int operations = 0;
        for (Method sync : EncryptedTableClient.class.getDeclaredMethods()) {
            if (!Modifier.isPublic(sync.getModifiers())
                || sync.getReturnType() == dev.cse4j.fleet.FleetSummary.class) {
                continue; // a table-wide fleet run is the blocking worker loop; the async twin rotates one entity
            }
            Method twin = Api.asyncTwin(sync);
            if (sync.getName().startsWith("get") && !sync.getName().startsWith("getEntity")) {
                assertThat(twin.getReturnType()).as(twin.toString()).isEqualTo(sync.getReturnType());
            } else {
                assertThat(twin.getReturnType()).as(twin.toString()).isIn(Mono.class, PagedFlux.class);
                operations++;
            }
        }
        assertThat(operations).isGreaterThanOrEqualTo(20);
    }

    @Test
    void keyVaultAsyncKeyAndResolver_concurrentWritesMergesAndReads_throttled_neverBlockAReactorThread() {
        KeyVaultServer vault = KEY_VAULT.server();
        String keyId = vault.createRsaKey("table-kek", 2048);
        // retry up to 10 times: with 8 requests in flight, every-Nth throttling can refuse one more often in a row
        KeyEncryptionKeyClientBuilder keyVault = KeyVaultClients.keyEncryptionKeyClientBuilder(vault, 10);
        CountingKeys reads = new CountingKeys();
        EncryptedTableAsyncClient table = client(ClientSideEncryptionOptions.builder()
            .key(keyVault.buildAsyncKeyEncryptionKey(keyId).block(Api.TIMEOUT), KeyWrapAlgorithm.RSA_OAEP_256));
        EncryptedTableAsyncClient reader = client(ClientSideEncryptionOptions.builder()
            .asyncKeyResolver(new CachingAsyncKeyEncryptionKeyResolver(reads.asyncResolver(keyVault))));
        List<String> rows = IntStream.range(0, 12).mapToObj(i -> "r" + i).toList();
        vault.throttleEvery(5, 0);

        Api.onParallel(Flux.fromIterable(rows).flatMap(row -> table.createEntity(new TableEntity("p", row)
            .addProperty("SecretA", "a " + row).addProperty("Plain", row)), 8).then());
        Api.onParallel(Flux.fromIterable(rows).flatMap(row -> table.upsertEntity(new TableEntity("p", row)
            .addProperty("SecretB", "b " + row)), 8).then());
        List<TableEntity> listed = Api.onParallel(reader.listEntities().collectList());

        assertThat(listed).hasSize(rows.size()).allSatisfy(e -> assertThat(userProperties(e)).containsOnly(
            org.assertj.core.api.Assertions.entry("SecretA", "a " + e.getRowKey()),
            org.assertj.core.api.Assertions.entry("SecretB", "b " + e.getRowKey()),
            org.assertj.core.api.Assertions.entry("Plain", e.getRowKey())));
        // a create wraps; a merge unwraps the entity read and wraps its re-encryption; the reader unwraps each
        assertThat(vault.calls(KeyVaultOperation.WRAP_KEY, "table-kek")).isEqualTo(2L * rows.size());
        assertThat(vault.calls(KeyVaultOperation.UNWRAP_KEY, "table-kek")).isEqualTo(2L * rows.size());
        assertThat(reads.resolutions()).isEqualTo(1);
        assertThat(vault.throttled()).isPositive();
    }

    @Test
    void concurrentEncryptedMergesIntoOneEntity_loseNothing() {
        EncryptedTableAsyncClient table = Tables.builder(plain, Tables.options()).encryptionResolver(SECRETS)
            .maxMergeRetries(16).buildEncryptedTableAsyncClient();
        Api.onParallel(table.createEntity(new TableEntity("p", "r").addProperty("SecretStart", "s")));
        int writers = 8;

        // each merge that loses a race reads and re-encrypts again; one of those in flight wins each round
        Api.onParallel(Flux.range(0, writers).flatMap(i -> table.updateEntity(new TableEntity("p", "r")
            .addProperty("Secret" + i, "v" + i)), writers).then());

        TableEntity merged = Api.onParallel(table.getEntity("p", "r"));
        assertThat(userProperties(merged)).hasSize(writers + 1).containsEntry("SecretStart", "s");
        IntStream.range(0, writers).forEach(i -> assertThat(merged.getProperty("Secret" + i)).isEqualTo("v" + i));
        assertThat(plain.getEntity("p", "r").getProperty("Secret0")).isInstanceOf(byte[].class);
    }

    @Test
    void cancelledUpsert_whileTheKeyIsWrapping_writesNothing() throws InterruptedException {
        StalledKey slowKey = new StalledKey("local:slow");
        EncryptedTableAsyncClient table = client(ClientSideEncryptionOptions.builder()
            .key(slowKey, KeyWrapAlgorithm.A256KW));

        Disposable upsert = table.upsertEntity(new TableEntity("p", "r").addProperty("SecretA", "never stored"))
            .subscribeOn(Schedulers.parallel()).subscribe();
        assertThat(slowKey.awaitWrapping(Api.TIMEOUT)).as("the key was asked to wrap").isTrue();
        upsert.dispose();

        assertThat(slowKey.awaitCancelled(Api.TIMEOUT)).as("the key's wrap was cancelled").isTrue();
        assertThat(plain.listEntities()).isEmpty();
    }

    @Test
    void failures_areSignalled_notThrownWhenCalled() {
        EncryptedTableAsyncClient table = client(Tables.options());

        Mono<Void> nullEntity = table.createEntity(null);
        Mono<Void> reserved = table.upsertEntity(new TableEntity("p", "r")
            .addProperty(EntityNames.METADATA, "forged"));
        Mono<?> nullTransaction = table.submitTransaction(null);
        Mono<?> transaction = table.submitTransaction(List.of(new TableTransactionAction(
            TableTransactionActionType.CREATE, new TableEntity("p", "r").addProperty("SecretA", 42))));

        assertThatThrownBy(() -> Api.onParallel(nullEntity)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Api.onParallel(reserved)).isInstanceOf(dev.cse4j.core.EncryptionPolicyException.class)
            .hasMessageContaining("reserved");
        assertThatThrownBy(() -> Api.onParallel(nullTransaction)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Api.onParallel(transaction))
            .isInstanceOf(dev.cse4j.core.EncryptionPolicyException.class);
        assertThat(plain.listEntities()).isEmpty();
    }

    @Test
    void tableManagement_isPassedThrough(Azurite azurite) {
        EncryptedTableAsyncClient table = Tables.builder(Tables.plain(azurite, Tables.uniqueName("mgmt")),
            Tables.options()).buildEncryptedTableAsyncClient();

        assertThat(Api.onParallel(table.createTableIfNotExists())).isTrue();
        assertThat(Api.onParallel(table.createTableIfNotExists())).isFalse();
        Api.onParallel(table.deleteTable());
        assertThat(Api.onParallel(table.deleteTableWithResponse()).getStatusCode()).isEqualTo(404);
    }
}
