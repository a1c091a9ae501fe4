package dev.cse4j.table;

import org.junit.jupiter.params.provider.MethodSource;
import com.azure.core.http.rest.PagedIterable;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.KeyResolutionException;
import dev.cse4j.core.TableEncryptionFormat;
import dev.cse4j.keys.KeyWrapAlgorithm;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.cse4j.core.TableEncryptionFormat.AUTHENTICATED;
import static dev.cse4j.core.TableEncryptionFormat.LEGACY_V1_UNAUTHENTICATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(AzuriteExtension.class)
class EncryptedTableClientTest {
    private static final String PK = "pk é 日本";
    private static final String UNICODE = "héllo wörld ✓ 🙂 日本語 \u0000 \uFFFF";
    private static final EncryptionResolver SECRETS = (pk, rk, name) -> name.startsWith("Secret");
    private static final OffsetDateTime WHEN = OffsetDateTime.of(2024, 2, 29, 12, 0, 0, 0, ZoneOffset.UTC);
    private static final UUID ID = UUID.fromString("3f2504e0-4f89-11d3-9a0c-0305e82c3301");

    private static TableEntity sample(String rowKey) {
        return new TableEntity(PK, rowKey)
            .addProperty("SecretEmpty", "")
            .addProperty("SecretUnicode", UNICODE)
            .addProperty("SecretLong", "x".repeat(20_000) + "é")
            .addProperty("Public", "visible")
            .addProperty("Count", 7)
            .addProperty("Big", 1L << 40)
            .addProperty("Flag", true)
            .addProperty("Price", 2.5)
            .addProperty("When", WHEN)
            .addProperty("Id", ID)
            .addProperty("Bytes", new byte[] {0, 1, 2, (byte) 255});
    }

    @ParameterizedTest
    @MethodSource("dev.cse4j.table.Api#byFormat")
    void upsertThenGet_returnsDecryptedStringsAndUntouchedPlainProperties(Api api, TableEncryptionFormat format,
        Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "roundtrip");
        Api.TestTable table = Tables.encrypted(api, plain, format, SECRETS);

        table.upsertEntity(sample("r1"));
        TableEntity read = table.getEntity(PK, "r1");

        assertThat(read.getPartitionKey()).isEqualTo(PK);
        assertThat(read.getRowKey()).isEqualTo("r1");
        assertThat(read.getProperty("SecretEmpty")).isEqualTo("");
        assertThat(read.getProperty("SecretUnicode")).isEqualTo(UNICODE);
        assertThat(read.getProperty("SecretLong")).isEqualTo("x".repeat(20_000) + "é");
        assertThat(read.getProperty("Public")).isEqualTo("visible");
        assertThat(read.getProperty("Count")).isEqualTo(7);
        assertThat(read.getProperty("Big")).isEqualTo(1L << 40);
        assertThat(read.getProperty("Flag")).isEqualTo(true);
        assertThat(read.getProperty("Price")).isEqualTo(2.5);
        assertThat(read.getProperty("When")).isEqualTo(WHEN);
        assertThat(read.getProperty("Id")).isEqualTo(ID);
        assertThat((byte[]) read.getProperty("Bytes")).containsExactly(0, 1, 2, 255);
        assertThat(read.getETag()).isNotNull();
        assertThat(read.getProperties().keySet()).noneMatch(k -> k.startsWith("_ClientEncryptionMetadata"))
            .doesNotContain("SecretEmpty@odata.type", "SecretUnicode@odata.type", "SecretLong@odata.type");
    }

    @ParameterizedTest
    @MethodSource("dev.cse4j.table.Api#byFormat")
    void upsert_storesEncryptedValuesAsBinaryWithTheFormatsMetadata(Api api, TableEncryptionFormat format, Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "stored");
        Tables.encrypted(api, plain, format, SECRETS).upsertEntity(sample("r1"));

        TableEntity raw = plain.getEntity(PK, "r1");

        assertThat(raw.getProperty("SecretUnicode")).isInstanceOf(byte[].class);
        assertThat(raw.getProperty("SecretEmpty")).isInstanceOf(byte[].class);
        assertThat((byte[]) raw.getProperty("SecretEmpty")).hasSize(format == AUTHENTICATED ? 28 : 16);
        assertThat(raw.getProperty("Public")).isEqualTo("visible");
        assertThat(raw.getProperty("_ClientEncryptionMetadata2")).isInstanceOf(byte[].class);
        EncryptionData data = EncryptionData.parse((String) raw.getProperty("_ClientEncryptionMetadata1"));
        assertThat(data.protocol()).isEqualTo(format == AUTHENTICATED ? EncryptionProtocol.CSE4J_TABLE_1
            : EncryptionProtocol.V1_0);
        assertThat(data.wrappedContentKey().keyId()).isEqualTo(Tables.KEK_ID);
        assertThat(data.encryptionLibrary()).startsWith("cse4j ").doesNotContain("Java");
        assertThat(data.encryptionMode()).isNull();
    }

    @ParameterizedTest
    @MethodSource("dev.cse4j.table.Api#byFormat")
    void encryptedStringMarker_encryptsThatPropertyWithoutAResolver(Api api, TableEncryptionFormat format, Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "marker");
        Api.TestTable table = Tables.encrypted(api, plain, format, EncryptionResolver.NONE);

        table.createEntity(new TableEntity("p", "r").addProperty("Ssn", EncryptedString.of("078-05-1120"))
            .addProperty("Name", "Ada"));

        assertThat(plain.getEntity("p", "r").getProperty("Ssn")).isInstanceOf(byte[].class);
        assertThat(plain.getEntity("p", "r").getProperty("Name")).isEqualTo("Ada");
        assertThat(table.getEntity("p", "r").getProperty("Ssn")).isEqualTo("078-05-1120");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void entityWithNothingSelected_stillCarriesMetadata_soRequireEncryptionReadsIt(Api api, Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "nothing");
        Api.TestTable table = Tables.encrypted(api, plain, AUTHENTICATED, EncryptionResolver.NONE);

        table.upsertEntity(new TableEntity("p", "r").addProperty("Name", "Ada"));

        assertThat(plain.getEntity("p", "r").getProperties()).containsKeys("_ClientEncryptionMetadata1",
            "_ClientEncryptionMetadata2");
        assertThat(table.getEntity("p", "r").getProperty("Name")).isEqualTo("Ada");
    }

    @ParameterizedTest
    @MethodSource("dev.cse4j.table.Api#byFormat")
    void updateReplace_replacesTheWholeEntity(Api api, TableEncryptionFormat format, Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "update");
        Api.TestTable table = Tables.encrypted(api, plain, format, SECRETS);
        table.createEntity(new TableEntity("p", "r").addProperty("SecretA", "a").addProperty("Old", "gone"));

        table.updateEntity(new TableEntity("p", "r").addProperty("SecretB", "b"), TableEntityUpdateMode.REPLACE);

        TableEntity read = table.getEntity("p", "r");
        assertThat(read.getProperty("SecretB")).isEqualTo("b");
        assertThat(read.getProperties()).doesNotContainKeys("SecretA", "Old");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void updateIfUnchanged_withTheETagRead_succeeds_andWithAStaleOne_isRejectedByTheService(Api api, Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "etag");
        Api.TestTable table = Tables.encrypted(api, plain, AUTHENTICATED, SECRETS);
        table.createEntity(new TableEntity("p", "r").addProperty("Secret", "v1"));
        TableEntity read = table.getEntity("p", "r");

        read.addProperty("Secret", "v2");
        table.updateEntityWithResponse(read, TableEntityUpdateMode.REPLACE, true, null, null);
        read.addProperty("Secret", "v3");

        assertThatThrownBy(() -> table.updateEntityWithResponse(read, TableEntityUpdateMode.REPLACE, true, null,
            null)).isInstanceOf(TableServiceException.class);
        assertThat(table.getEntity("p", "r").getProperty("Secret")).isEqualTo("v2");
    }

    @ParameterizedTest
    @MethodSource("dev.cse4j.table.Api#byFormat")
    void getWithSelect_returnsTheSelectedPropertiesDecrypted_withoutMetadata(Api api, TableEncryptionFormat format,
        Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "select");
        Api.TestTable table = Tables.encrypted(api, plain, format, SECRETS);
        table.upsertEntity(sample("r1"));

        TableEntity read = table.getEntityWithResponse(PK, "r1", List.of("SecretUnicode", "Count"), null, null)
            .getValue();

        assertThat(userProperties(read)).containsOnlyKeys("SecretUnicode", "Count");
        assertThat(read.getProperty("SecretUnicode")).isEqualTo(UNICODE);
        assertThat(read.getProperty("Count")).isEqualTo(7);
        assertThat(read.getPartitionKey()).as("not selected, as with the SDK").isNull();
        assertThat(read.getRowKey()).isNull();
        assertThat(read.getETag()).isNotNull();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void getWithSelect_ofTheKeys_returnsThemLikeAnyOtherSelectedProperty(Api api, Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "selectkeys");
        Api.TestTable table = Tables.encrypted(api, plain, AUTHENTICATED, SECRETS);
        table.upsertEntity(sample("r1"));

        TableEntity read = table.getEntityWithResponse(PK, "r1", List.of("RowKey", "SecretEmpty"), null, null)
            .getValue();
        TableEntity sdk = plain.getEntityWithResponse(PK, "r1", List.of("RowKey", "Public"), null, null).getValue();

        assertThat(read.getRowKey()).isEqualTo("r1").isEqualTo(sdk.getRowKey());
        assertThat(read.getPartitionKey()).isNull();
        assertThat(sdk.getPartitionKey()).isNull();
        assertThat(userProperties(read)).containsOnly(Map.entry("SecretEmpty", ""));
    }

    @ParameterizedTest
    @MethodSource("dev.cse4j.table.Api#byFormat")
    void listWithFilterAndSelect_decryptsEachEntity_andDropsTheAddedMetadata(Api api, TableEncryptionFormat format,
        Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "query");
        Api.TestTable table = Tables.encrypted(api, plain, format, SECRETS);
        for (int i = 0; i < 5; i++) {
            table.upsertEntity(new TableEntity("p" + i % 2, "r" + i).addProperty("SecretName", "name " + i + " é")
                .addProperty("Rank", i).addProperty("Other", "o" + i));
        }

        PagedIterable<TableEntity> selected = table.listEntities(new ListEntitiesOptions().setFilter("Rank ge 2")
            .setSelect(List.of("SecretName", "Rank", "RowKey")).setTop(2), null, null);
        Map<String, Object> names = new java.util.TreeMap<>();
        for (TableEntity e : selected) {
            assertThat(userProperties(e)).containsOnlyKeys("SecretName", "Rank");
            assertThat(e.getPartitionKey()).isNull();
            names.put(e.getRowKey(), e.getProperty("SecretName"));
        }
        List<TableEntity> all = table.listEntities().stream().collect(Collectors.toList());

        assertThat(names).containsExactly(Map.entry("r2", "name 2 é"), Map.entry("r3", "name 3 é"),
            Map.entry("r4", "name 4 é"));
        assertThat(all).hasSize(5).allSatisfy(e -> {
            assertThat(userProperties(e)).containsOnlyKeys("SecretName", "Rank", "Other");
            assertThat(e.getProperty("SecretName")).isEqualTo("name " + e.getProperty("Rank") + " é");
        });
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void listWithASelectionOfOnlyPlainProperties_readsThem(Api api, Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "plainselect");
        Api.TestTable table = Tables.encrypted(api, plain, AUTHENTICATED, SECRETS);
        table.upsertEntity(new TableEntity("p", "r").addProperty("Secret", "s").addProperty("Other", "o"));

        List<TableEntity> read = table.listEntities(new ListEntitiesOptions().setSelect(List.of("Other")), null, null)
            .stream().collect(Collectors.toList());

        assertThat(read).singleElement().satisfies(e -> assertThat(userProperties(e)).containsOnly(
            Map.entry("Other", "o")));
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void createTableIfNotExists_createsAMissingTable_andLeavesAnExistingOneAsItIs(Api api, Azurite azurite) {
        TableClient plain = Tables.plain(azurite, Tables.uniqueName("ifnotexists"));
        Api.TestTable table = Tables.encrypted(api, plain, AUTHENTICATED, SECRETS);

        assertThat(table.createTableIfNotExists()).isTrue();
        table.upsertEntity(new TableEntity("p", "r").addProperty("Secret", "s"));
        assertThat(table.createTableIfNotExistsWithResponse(null, null)).satisfies(response -> {
            assertThat(response.getValue()).isFalse();
            assertThat(response.getStatusCode()).isEqualTo(409);
        });
        assertThat(table.getEntity("p", "r").getProperty("Secret")).isEqualTo("s");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void deleteTable_deletesIt_andATableThatDoesNotExistIsNotAnError(Api api, Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "deletetable");
        Api.TestTable table = Tables.encrypted(api, plain, AUTHENTICATED, SECRETS);

        table.deleteTable();

        assertThat(table.deleteTableWithResponse(null, null).getStatusCode()).isEqualTo(404);
        assertThat(table.createTableIfNotExists()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void delete_removesTheEntity(Api api, Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "delete");
        Api.TestTable table = Tables.encrypted(api, plain, AUTHENTICATED, SECRETS);
        table.upsertEntity(new TableEntity("p", "r1").addProperty("Secret", "s"));
        table.upsertEntity(new TableEntity("p", "r2").addProperty("Secret", "s"));

        table.deleteEntity("p", "r1");
        table.deleteEntity(table.getEntity("p", "r2"));

        assertThat(plain.listEntities()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.cse4j.table.Api#byFormat")
    void transaction_encryptsEveryEntityWithItsOwnContentKey(Api api, TableEncryptionFormat format, Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "batch");
        Api.TestTable table = Tables.encrypted(api, plain, format, SECRETS);
        table.upsertEntity(new TableEntity("p", "gone").addProperty("Secret", "x"));
        List<TableTransactionAction> actions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            actions.add(new TableTransactionAction(TableTransactionActionType.CREATE,
                new TableEntity("p", "r" + i).addProperty("Secret", "secret " + i).addProperty("N", i)));
        }
        actions.add(new TableTransactionAction(TableTransactionActionType.UPSERT_REPLACE,
            new TableEntity("p", "r9").addProperty("Secret", EncryptedString.of("upserted"))));
        actions.add(new TableTransactionAction(TableTransactionActionType.DELETE, new TableEntity("p", "gone")));

        table.submitTransaction(actions);

        Set<String> wrappedKeys = new HashSet<>();
        for (TableEntity raw : plain.listEntities()) {
            assertThat(raw.getProperty("Secret")).isInstanceOf(byte[].class);
            wrappedKeys.add(java.util.Base64.getEncoder().encodeToString(EncryptionData.parse(
                (String) raw.getProperty("_ClientEncryptionMetadata1")).wrappedContentKey().encryptedKey()));
        }
        assertThat(wrappedKeys).hasSize(5);
        for (int i = 0; i < 4; i++) {
            assertThat(table.getEntity("p", "r" + i).getProperty("Secret")).isEqualTo("secret " + i);
        }
        assertThat(table.getEntity("p", "r9").getProperty("Secret")).isEqualTo("upserted");
        assertThat(table.listEntities()).extracting(TableEntity::getRowKey).doesNotContain("gone");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void unencryptedEntity_isRefusedByDefault_andReturnedAsStoredWithRequireEncryptionOff(Api api, Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "plain");
        plain.upsertEntity(new TableEntity("p", "r").addProperty("Name", "Ada"));

        Api.TestTable strict = Tables.encrypted(api, plain, AUTHENTICATED, SECRETS);
        Api.TestTable lenient = api.build(Tables.builder(plain, Tables.options().requireEncryption(false))
            );

        assertThatThrownBy(() -> strict.getEntity("p", "r")).isInstanceOf(EncryptionPolicyException.class)
            .hasMessageContaining("requireEncryption(false)");
        assertThatThrownBy(() -> strict.listEntities().stream().count())
            .isInstanceOf(EncryptionPolicyException.class);
        assertThat(lenient.getEntity("p", "r").getProperty("Name")).isEqualTo("Ada");
        assertThat(lenient.listEntities(new ListEntitiesOptions().setSelect(List.of("Name")), null, null).stream()
            .map(EncryptedTableClientTest::userProperties)).containsExactly(Map.of("Name", "Ada"));
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void legacyEntity_isRefusedWithoutTheV1OptIn(Api api, Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "v1optin");
        Tables.encrypted(api, plain, LEGACY_V1_UNAUTHENTICATED, SECRETS)
            .upsertEntity(new TableEntity("p", "r").addProperty("Secret", "s"));

        Api.TestTable defaults = api.build(Tables.builder(plain));

        assertThatThrownBy(() -> defaults.getEntity("p", "r")).isInstanceOf(EncryptionPolicyException.class)
            .hasMessageContaining("allowUnauthenticatedV1Reads(true)");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void query_whoseKeyIdTheResolverCannotResolve_failsWithKeyResolutionException(Api api, Azurite azurite) {
        TableClient plain = tableWithOneEntityPerKey(api, azurite);
        Api.TestTable reader = api.build(Tables.builder(plain, ClientSideEncryptionOptions.builder()
            .keyResolver(keyId -> Tables.KEK_ID.equals(keyId) ? Tables.kek() : null)));

        assertThat(reader.getEntity("p", "a").getProperty("Secret")).isEqualTo("one");
        assertThatThrownBy(() -> reader.listEntities().forEach(e -> { }))
            .isInstanceOfSatisfying(KeyResolutionException.class, e -> {
                assertThat(e.getKeyId()).isEqualTo(Tables.OTHER_KEK_ID);
                assertThat(e.getReason()).isEqualTo(KeyResolutionException.Reason.KEY_NOT_FOUND);
            });
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void readerWithBothKeysInAResolver_readsEntitiesWrittenWithEither_butCannotWrite(Api api, Azurite azurite) {
        TableClient plain = tableWithOneEntityPerKey(api, azurite);
        Api.TestTable reader = api.build(Tables.builder(plain, ClientSideEncryptionOptions.builder()
            .keyResolver(Tables.resolver())));

        assertThat(reader.listEntities()).extracting(e -> e.getProperty("Secret")).containsExactly("one", "two");
        assertThatThrownBy(() -> reader.upsertEntity(new TableEntity("p", "c")))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("key(keyEncryptionKey");
    }

    /** A table with (p, a) Secret "one" under key local:kek1 and (p, b) Secret "two" under local:kek2. */
    private static TableClient tableWithOneEntityPerKey(Api api, Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "twokeys");
        Tables.encrypted(api, plain, AUTHENTICATED, SECRETS).upsertEntity(new TableEntity("p", "a")
            .addProperty("Secret", "one"));
        api.build(Tables.builder(plain, ClientSideEncryptionOptions.builder().key(Tables.otherKek(),
            KeyWrapAlgorithm.A256KW)).encryptionResolver(SECRETS)).upsertEntity(new TableEntity("p", "b")
                .addProperty("Secret", "two"));
        return plain;
    }

    /** The entity's own properties: no keys, timestamp, OData bookkeeping or annotations. */
    static Map<String, Object> userProperties(TableEntity entity) {
        Map<String, Object> result = new java.util.LinkedHashMap<>();
        entity.getProperties().forEach((name, value) -> {
            if (!EntityNames.isSystemProperty(name) && !EntityNames.isBookkeeping(name)) {
                result.put(name, value);
            }
        });
        return result;
    }
}
