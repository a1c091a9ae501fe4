package dev.cse4j.table;

import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.ParameterizedTest;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.microsoft.azure.storage.CloudStorageAccount;
import com.microsoft.azure.storage.StorageException;
import com.microsoft.azure.storage.table.CloudTable;
import com.microsoft.azure.storage.table.DynamicTableEntity;
import com.microsoft.azure.storage.table.EntityProperty;
import com.microsoft.azure.storage.table.TableEncryptionPolicy;
import com.microsoft.azure.storage.table.TableOperation;
import com.microsoft.azure.storage.table.TableQuery;
import com.microsoft.azure.storage.table.TableRequestOptions;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.TableEncryptionFormat;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.KnownAnswerVector;
import dev.cse4j.testing.LegacySdkKey;
import dev.cse4j.testing.Vectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Interop with the legacy Java SDK (com.microsoft.azure:azure-storage 8.6.6) and its table encryption, both ways, on
 * Azurite: it reads the legacy entities we write, we read the ones it writes (the Java 8 IV order and name-list
 * spelling), and it fails loudly on our authenticated format.
 */
@ExtendWith(AzuriteExtension.class)
class LegacyJava8InteropTest {
    private static final String UNICODE = "ünïcödé ✓ 🙂 日本";
    private TableClient plain;
    private CloudTable java8;

    @BeforeEach
    void createTable(Azurite azurite) throws Exception {
        plain = Tables.createTable(azurite, "java8");
        java8 = CloudStorageAccount.parse(azurite.connectionString()).createCloudTableClient()
            .getTableReference(plain.getTableName());
    }

    /** The legacy SDK's options: key and resolver, its encryption resolver, and encryption required. */
    private static TableRequestOptions java8Options(String... encryptedNames) {
        LegacySdkKey key = LegacySdkKey.vectorsKey();
        TableRequestOptions options = new TableRequestOptions();
        options.setEncryptionPolicy(new TableEncryptionPolicy(key, key.resolver()));
        options.setEncryptionResolver((pk, rk, name) -> List.of(encryptedNames).contains(name));
        options.setRequireEncryption(true);
        return options;
    }

    private Api.TestTable ours(Api api, TableEncryptionFormat format) {
        return api.build(Tables.builder(plain, Tables.options().tableFormat(format)
            .allowUnauthenticatedV1Reads(true)).encryptionResolver((pk, rk, name) -> name.startsWith("S")));
    }

    private DynamicTableEntity java8Get(String pk, String rk, TableRequestOptions options) throws StorageException {
        return java8.execute(TableOperation.retrieve(pk, rk, DynamicTableEntity.class), options, null)
            .getResultAsType();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void java8ReadsOurLegacyEntities_withItsEncryptionPolicy(Api api) throws Exception {
        ours(api, TableEncryptionFormat.LEGACY_V1_UNAUTHENTICATED).upsertEntity(new TableEntity("pk é", "rk 1")
            .addProperty("Secret", UNICODE).addProperty("SEmpty", "").addProperty("Sécret", "accented name")
            .addProperty("SLong", "z".repeat(40_000)).addProperty("Public", "visible").addProperty("Count", 3));

        Map<String, EntityProperty> read = java8Get("pk é", "rk 1", java8Options()).getProperties();

        assertThat(read.get("Secret").getValueAsString()).isEqualTo(UNICODE);
        assertThat(read.get("SEmpty").getValueAsString()).isEmpty();
        assertThat(read.get("Sécret").getValueAsString()).isEqualTo("accented name");
        assertThat(read.get("SLong").getValueAsString()).isEqualTo("z".repeat(40_000));
        assertThat(read.get("Public").getValueAsString()).isEqualTo("visible");
        assertThat(read.get("Count").getValueAsInteger()).isEqualTo(3);
        assertThat(read).doesNotContainKeys("_ClientEncryptionMetadata1", "_ClientEncryptionMetadata2");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void java8ReadsOurLegacyEntities_intoItsEncryptAnnotatedClass_andInQueries(Api api) throws Exception {
        Api.TestTable ours = ours(api, TableEncryptionFormat.LEGACY_V1_UNAUTHENTICATED);
        ours.upsertEntity(new TableEntity("p", "1").addProperty("Secret", "first").addProperty("Name", "Ada"));
        ours.upsertEntity(new TableEntity("p", "2").addProperty("Secret", UNICODE).addProperty("Name", "Bob"));

        Java8Customer one = java8.execute(TableOperation.retrieve("p", "1", Java8Customer.class), java8Options(), null)
            .getResultAsType();
        Map<String, String> all = new HashMap<>();
        for (Java8Customer c : java8.execute(TableQuery.from(Java8Customer.class), java8Options(), null)) {
            all.put(c.getName(), c.getSecret());
        }

        assertThat(one.getSecret()).isEqualTo("first");
        assertThat(one.getName()).isEqualTo("Ada");
        assertThat(all).containsOnly(Map.entry("Ada", "first"), Map.entry("Bob", UNICODE));
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void weReadJava8Entities_writtenWithItsEncryptionResolver(Api api) throws Exception {
        DynamicTableEntity entity = new DynamicTableEntity("pk é", "rk 1");
        entity.getProperties().put("Secret", new EntityProperty(UNICODE));
        entity.getProperties().put("Second", new EntityProperty(""));
        entity.getProperties().put("Public", new EntityProperty("visible"));
        java8.execute(TableOperation.insertOrReplace(entity), java8Options("Secret", "Second"), null);

        TableEntity read = ours(api, TableEncryptionFormat.AUTHENTICATED).getEntity("pk é", "rk 1");

        assertThat(read.getProperty("Secret")).isEqualTo(UNICODE);
        assertThat(read.getProperty("Second")).isEqualTo("");
        assertThat(read.getProperty("Public")).isEqualTo("visible");
        EncryptionData stored = EncryptionData.parse((String) plain.getEntity("pk é", "rk 1")
            .getProperty("_ClientEncryptionMetadata1"));
        assertThat(stored.encryptionLibrary()).contains("Java");
        assertThat(LegacyEntityCipher.isJavaV1(stored)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void weReadJava8Entities_writtenFromItsEncryptAnnotatedClass(Api api) throws Exception {
        java8.execute(TableOperation.insertOrReplace(new Java8Customer("p", "1", UNICODE, "Ada")), java8Options(),
            null);
        java8.execute(TableOperation.insertOrReplace(new Java8Customer("p", "2", "", "Bob")), java8Options(), null);

        List<TableEntity> read = ours(api, TableEncryptionFormat.AUTHENTICATED).listEntities().stream().toList();

        assertThat(read).extracting(e -> e.getProperty("Name"), e -> e.getProperty("Secret"))
            .containsExactly(org.assertj.core.groups.Tuple.tuple("Ada", UNICODE),
                org.assertj.core.groups.Tuple.tuple("Bob", ""));
        assertThat(plain.getEntity("p", "1").getProperty("Secret")).isInstanceOf(byte[].class);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void weReadAJava8EntityWithoutProperties_whichHasNoNameList(Api api) throws Exception {
        java8.execute(TableOperation.insertOrReplace(new DynamicTableEntity("p", "empty")), java8Options(), null);

        assertThat(plain.getEntity("p", "empty").getProperties()).containsKey("_ClientEncryptionMetadata1")
            .doesNotContainKey("_ClientEncryptionMetadata2");
        assertThat(EncryptedTableClientTest.userProperties(ours(api, TableEncryptionFormat.AUTHENTICATED)
            .getEntity("p", "empty"))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void java8VectorTableV1_insertedRaw_decryptsThroughOurClient(Api api) {
        KnownAnswerVector vector = Vectors.load(Vectors.JAVA8_LEGACY_SDK, "table-v1");
        Map<String, Object> raw = vector.rawEntityProperties();
        TableEntity stored = new TableEntity((String) raw.get("PartitionKey"), (String) raw.get("RowKey"));
        raw.forEach((name, value) -> {
            if (!EntityNames.isSystemProperty(name)) {
                stored.addProperty(name, value);
            }
        });
        plain.upsertEntity(stored);

        Api.TestTable reader = api.build(Tables.builder(plain, ClientSideEncryptionOptions.builder()
            .keyResolver(id -> vector.kekId().equals(id)
                ? dev.cse4j.keys.AesKeyWrapKey.of(vector.kekId(), vector.kekBytes()) : null)
            .allowUnauthenticatedV1Reads(true)));
        TableEntity read = reader.getEntity(stored.getPartitionKey(), stored.getRowKey());

        assertThat(EncryptedTableClientTest.userProperties(read)).containsOnly(
            Map.entry("Secret", vector.plaintextEntity().get("Secret")),
            Map.entry("Public", vector.plaintextEntity().get("Public")));
        assertThat(read.getProperty("Secret")).isEqualTo("from j8 é");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void java8ReadingOurAuthenticatedEntity_failsLoudly_neverReturningGarbage(Api api) {
        ours(api, TableEncryptionFormat.AUTHENTICATED).upsertEntity(new TableEntity("p", "r")
            .addProperty("Secret", "top secret").addProperty("Public", "visible"));
        TableRequestOptions lenient = java8Options();
        lenient.setRequireEncryption(false);

        for (TableRequestOptions options : new TableRequestOptions[] {java8Options(), lenient}) {
            Throwable single = catchThrowable(() -> java8Get("p", "r", options));
            Throwable query = catchThrowable(() -> java8.execute(TableQuery.from(DynamicTableEntity.class), options,
                null).iterator().next());

            assertThat(single).isInstanceOf(StorageException.class)
                .hasMessageContaining("Decryption logic threw error");
            assertThat(((StorageException) single).getErrorCode()).isEqualTo("DecryptionError");
            // Its metadata parser rejects our EncryptionAlgorithm before it reaches its Protocol == "1.0" check.
            assertThat(single.getCause()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AES_GCM_256_AAD");
            assertThat(query).isNotNull().hasStackTraceContaining("Decryption logic threw error");
        }
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void java8ReadingOurLegacyEntity_withTheWrongIvOrder_wouldFail_soWeWriteTheDotNetOrderUnderANonJavaAgent(Api api) {
        ours(api, TableEncryptionFormat.LEGACY_V1_UNAUTHENTICATED).upsertEntity(new TableEntity("p", "r")
            .addProperty("Secret", "s"));

        EncryptionData stored = EncryptionData.parse((String) plain.getEntity("p", "r")
            .getProperty("_ClientEncryptionMetadata1"));

        assertThat(stored.encryptionLibrary()).startsWith("cse4j").doesNotContain("Java");
        assertThat(LegacyEntityCipher.isJavaV1(stored)).isFalse();
        assertThatThrownBy(() -> api.build(Tables.builder(plain)).getEntity("p", "r"))
            .isInstanceOf(dev.cse4j.core.EncryptionPolicyException.class);
        assertThat(api.build(Tables.builder(plain, Tables.options().allowUnauthenticatedV1Reads(true))
            ).getEntity("p", "r").getProperty("Secret")).isEqualTo("s");
    }
}
