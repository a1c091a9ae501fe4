package dev.cse4j.table;

import com.azure.core.credential.AzureNamedKeyCredential;
import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.keys.AesKeyWrapKey;
import dev.cse4j.keys.KeyWrapAlgorithm;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.BuilderRefusals;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(AzuriteExtension.class)
class EncryptedTableClientBuilderTest {
    private static EncryptedTableClientBuilder keyed() {
        return new EncryptedTableClientBuilder().clientSideEncryptionOptions(Tables.options().build());
    }

    private static EncryptedTableClientBuilder named() {
        return new EncryptedTableClientBuilder().tableName("t");
    }

    @TestFactory
    Stream<DynamicTest> refusesWhatEveryBuilderRefuses_withTheSameMessages() {
        return BuilderRefusals.tests(() -> named().clientSideEncryptionOptions(Tables.options().build()),
            EncryptedTableClientBuilderTest::named, EncryptedTableClientBuilder::buildEncryptedTableClient);
    }

    @TestFactory
    Stream<DynamicTest> asyncClient_refusesTheSame_withTheSameMessages() {
        return BuilderRefusals.tests(() -> named().clientSideEncryptionOptions(Tables.options().build()),
            EncryptedTableClientBuilderTest::named, EncryptedTableClientBuilder::buildEncryptedTableAsyncClient);
    }

    @Test
    void asyncClient_ofAWrappedSynchronousTableClient_isRefusedSayingWhatToSetInstead(Azurite azurite) {
        TableClient plain = Tables.plain(azurite, "wrapped");

        assertThatThrownBy(() -> keyed().tableClient(plain).buildEncryptedTableAsyncClient())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContainingAll("tableClient(...) wraps a synchronous TableClient", "connectionString(...)",
                "buildEncryptedTableClient()");
    }

    @Test
    void negativeMaxMergeRetries_isRefusedAtOnce() {
        assertThatThrownBy(() -> new EncryptedTableClientBuilder().maxMergeRetries(-1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxMergeRetries must be 0 or more");
    }

    @Test
    void nothingToConnectTo_namesTheWays() {
        assertThatThrownBy(() -> keyed().buildEncryptedTableClient()).isInstanceOf(IllegalStateException.class)
            .hasMessage("Nothing to connect to: set tableClient(...), or connectionString(...) and tableName(...), "
                + "or endpoint(...) with a credential and tableName(...).");
    }

    @Test
    void connectionStringWithoutTableName_failsNamingTableName() {
        assertThatThrownBy(() -> keyed().connectionString(BuilderRefusals.CONNECTION_STRING)
            .buildEncryptedTableClient()).isInstanceOf(IllegalStateException.class)
            .hasMessage("Name the table: set tableName(...).");
    }

    @Test
    void tableClientWithConnectionSettings_failsNamingThem() {
        TableClient existing = new com.azure.data.tables.TableClientBuilder()
            .connectionString(BuilderRefusals.CONNECTION_STRING).tableName("t").buildClient();
        assertThatThrownBy(() -> keyed().tableClient(existing).tableName("t").buildEncryptedTableClient())
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("tableClient(...) already carries the endpoint, credential and HTTP pipeline; remove "
                + "tableName(...).");
    }

    @Test
    void pathStyleEndpointWithAccountKey_andAsyncKeys_roundTripOnAzurite(Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "endpoint");
        AesKeyWrapKey kek = Tables.kek();
        AsyncKeyEncryptionKey asyncKek = new AsyncKeyEncryptionKey() {
            @Override
            public Mono<String> getKeyId() {
                return Mono.just(kek.getKeyId());
            }

            @Override
            public Mono<byte[]> wrapKey(String algorithm, byte[] key) {
                return Mono.fromSupplier(() -> kek.wrapKey(algorithm, key));
            }

            @Override
            public Mono<byte[]> unwrapKey(String algorithm, byte[] encryptedKey) {
                return Mono.fromSupplier(() -> kek.unwrapKey(algorithm, encryptedKey));
            }
        };
        EncryptedTableClient writer = new EncryptedTableClientBuilder().endpoint(azurite.tableEndpoint())
            .credential(new AzureNamedKeyCredential(azurite.accountName(), azurite.accountKey()))
            .tableName(plain.getTableName()).clientSideEncryptionOptions(ClientSideEncryptionOptions.builder()
                .key(asyncKek, KeyWrapAlgorithm.A256KW).build())
            .encryptionResolver((pk, rk, name) -> true).buildEncryptedTableClient();
        EncryptedTableClient reader = new EncryptedTableClientBuilder().connectionString(azurite.connectionString())
            .tableName(plain.getTableName()).clientSideEncryptionOptions(ClientSideEncryptionOptions.builder()
                .asyncKeyResolver(id -> Mono.just(asyncKek)).build()).buildEncryptedTableClient();

        writer.upsertEntity(new TableEntity("p", "r").addProperty("Secret", "s"));

        assertThat(reader.getEntity("p", "r").getProperty("Secret")).isEqualTo("s");
        assertThat(plain.getEntity("p", "r").getProperty("Secret")).isInstanceOf(byte[].class);
        assertThat(writer.getTableName()).isEqualTo(plain.getTableName());
    }

    @Test
    void invalidTableName_surfacesAsTableServiceException(Azurite azurite) {
        // The service's error for an invalid name must reach the caller as the SDK's exception, not as a linkage
        // error from a missing serializer (reported once from the CLI's shaded jar; not reproduced since).
        EncryptedTableClient client = keyed().connectionString(azurite.connectionString()).tableName("bad_name!")
            .buildEncryptedTableClient();
        assertThatThrownBy(client::createTable).isInstanceOf(com.azure.data.tables.models.TableServiceException.class);
    }
}
