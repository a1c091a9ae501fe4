package dev.cse4j.table;

import com.azure.core.credential.AzureNamedKeyCredential;
import com.azure.core.credential.AzureSasCredential;
import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import dev.cse4j.keys.AesKeyWrapKey;
import dev.cse4j.keys.KeyWrapAlgorithm;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(AzuriteExtension.class)
class EncryptedTableClientBuilderTest {
    private static final String CONNECTION = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
        + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
        + "TableEndpoint=http://127.0.0.1:1/devstoreaccount1;";

    private static EncryptedTableClientBuilder keyed() {
        return new EncryptedTableClientBuilder().key(Tables.kek(), KeyWrapAlgorithm.A256KW);
    }

    @Test
    void noKeyAndNoResolver_failsNamingTheSetters() {
        assertThatThrownBy(() -> new EncryptedTableClientBuilder().connectionString(CONNECTION).tableName("t")
            .buildEncryptedTableClient()).isInstanceOf(IllegalStateException.class)
            .hasMessageContainingAll("key(keyEncryptionKey, keyWrapAlgorithm)", "keyResolver(");
    }

    @Test
    void legacyWriteFormatWithoutAKey_failsNamingTheSetter() {
        assertThatThrownBy(() -> new EncryptedTableClientBuilder().keyResolver(Tables.resolver())
            .encryptionFormat(TableEncryptionFormat.LEGACY_V1_UNAUTHENTICATED).connectionString(CONNECTION)
            .tableName("t").buildEncryptedTableClient()).isInstanceOf(IllegalStateException.class)
            .hasMessageContainingAll("LEGACY_V1_UNAUTHENTICATED", "key(keyEncryptionKey");
    }

    @Test
    void noTable_failsNamingTheWaysToGiveOne() {
        assertThatThrownBy(() -> keyed().buildEncryptedTableClient()).isInstanceOf(IllegalStateException.class)
            .hasMessageContainingAll("tableClient(", "connectionString(", "endpoint(", "tableName(");
    }

    @Test
    void connectionStringWithoutTableName_failsNamingTableName() {
        assertThatThrownBy(() -> keyed().connectionString(CONNECTION).buildEncryptedTableClient())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("tableName(");
    }

    @Test
    void endpointWithoutCredential_failsNamingCredential() {
        assertThatThrownBy(() -> keyed().endpoint("http://127.0.0.1:1/devstoreaccount1").tableName("t")
            .buildEncryptedTableClient()).isInstanceOf(IllegalStateException.class).hasMessageContaining("credential(");
    }

    @Test
    void conflictingSettings_failNamingThem() {
        TableClient existing = new com.azure.data.tables.TableClientBuilder().connectionString(CONNECTION)
            .tableName("t").buildClient();

        assertThatThrownBy(() -> keyed().tableClient(existing).tableName("t").buildEncryptedTableClient())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("tableClient(");
        assertThatThrownBy(() -> keyed().connectionString(CONNECTION).endpoint("http://127.0.0.1:1/a")
            .tableName("t").buildEncryptedTableClient()).isInstanceOf(IllegalStateException.class)
            .hasMessageContainingAll("connectionString(", "endpoint(");
        assertThatThrownBy(() -> keyed().endpoint("http://127.0.0.1:1/a").tableName("t")
            .credential(new AzureSasCredential("sig=x")).sasToken("sig=y").buildEncryptedTableClient())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("More than one credential");
        assertThatThrownBy(() -> keyed().connectionString(CONNECTION).tableName("t").sasToken("sig=y").buildEncryptedTableClient())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("connection string");
    }

    @Test
    void keyWithoutAlgorithm_failsAtTheSetter() {
        assertThatThrownBy(() -> new EncryptedTableClientBuilder().key(Tables.kek(), " "))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A256KW");
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
            .tableName(plain.getTableName()).key(asyncKek, KeyWrapAlgorithm.A256KW)
            .encryptionResolver((pk, rk, name) -> true).buildEncryptedTableClient();
        EncryptedTableClient reader = new EncryptedTableClientBuilder().connectionString(azurite.connectionString())
            .tableName(plain.getTableName()).asyncKeyResolver(id -> Mono.just(asyncKek)).buildEncryptedTableClient();

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
