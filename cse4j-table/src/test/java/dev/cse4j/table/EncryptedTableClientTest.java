package dev.cse4j.table;

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
import org.junit.jupiter.api.Test;
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
    @EnumSource(TableEncryptionFormat.class)
    void upsertThenGet_returnsDecryptedStringsAndUntouchedPlainProperties(TableEncryptionFormat format,
        Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "roundtrip");
        EncryptedTableClient table = Tables.encrypted(plain, format, SECRETS);

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
    @EnumSource(TableEncryptionFormat.class)
    void upsert_storesEncryptedValuesAsBinaryWithTheFormatsMetadata(TableEncryptionFormat format, Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "stored");
        Tables.encrypted(plain, format, SECRETS).upsertEntity(sample("r1"));

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
    @EnumSource(TableEncryptionFormat.class)
    void encryptedStringMarker_encryptsThatPropertyWithoutAResolver(TableEncryptionFormat format, Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "marker");
        EncryptedTableClient table = Tables.encrypted(plain, format, EncryptionResolver.NONE);

        table.createEntity(new TableEntity("p", "r").addProperty("Ssn", EncryptedString.of("078-05-1120"))
            .addProperty("Name", "Ada"));

        assertThat(plain.getEntity("p", "r").getProperty("Ssn")).isInstanceOf(byte[].class);
        assertThat(plain.getEntity("p", "r").getProperty("Name")).isEqualTo("Ada");
        assertThat(table.getEntity("p", "r").getProperty("Ssn")).isEqualTo("078-05-1120");
    }

    @Test
    void entityWithNothingSelected_stillCarriesMetadata_soRequireEncryptionReadsIt(Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "nothing");
        EncryptedTableClient table = Tables.encrypted(plain, AUTHENTICATED, EncryptionResolver.NONE);

        table.upsertEntity(new TableEntity("p", "r").addProperty("Name", "Ada"));

        assertThat(plain.getEntity("p", "r").getProperties()).containsKeys("_ClientEncryptionMetadata1",
            "_ClientEncryptionMetadata2");
        assertThat(table.getEntity("p", "r").getProperty("Name")).isEqualTo("Ada");
    }

    @ParameterizedTest
    @EnumSource(TableEncryptionFormat.class)
    void updateReplace_replacesTheWholeEntity(TableEncryptionFormat format, Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "update");
        EncryptedTableClient table = Tables.encrypted(plain, format, SECRETS);
        table.createEntity(new TableEntity("p", "r").addProperty("SecretA", "a").addProperty("Old", "gone"));

        table.updateEntity(new TableEntity("p", "r").addProperty("SecretB", "b"), TableEntityUpdateMode.REPLACE);

        TableEntity read = table.getEntity("p", "r");
        assertThat(read.getProperty("SecretB")).isEqualTo("b");
        assertThat(read.getProperties()).doesNotContainKeys("SecretA", "Old");
    }

    @Test
    void updateIfUnchanged_withTheETagRead_succeeds_andWithAStaleOne_isRejectedByTheService(Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "etag");
        EncryptedTableClient table = Tables.encrypted(plain, AUTHENTICATED, SECRETS);
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
    @EnumSource(TableEncryptionFormat.class)
    void getWithSelect_returnsTheSelectedPropertiesDecrypted_withoutMetadata(TableEncryptionFormat format,
        Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "select");
        EncryptedTableClient table = Tables.encrypted(plain, format, SECRETS);
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

    @Test
    void getWithSelect_ofTheKeys_returnsThemLikeAnyOtherSelectedProperty(Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "selectkeys");
        EncryptedTableClient table = Tables.encrypted(plain, AUTHENTICATED, SECRETS);
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
    @EnumSource(TableEncryptionFormat.class)
    void listWithFilterAndSelect_decryptsEachEntity_andDropsTheAddedMetadata(TableEncryptionFormat format,
        Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "query");
        EncryptedTableClient table = Tables.encrypted(plain, format, SECRETS);
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

    @Test
    void listWithASelectionOfOnlyPlainProperties_readsThem(Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "plainselect");
        EncryptedTableClient table = Tables.encrypted(plain, AUTHENTICATED, SECRETS);
        table.upsertEntity(new TableEntity("p", "r").addProperty("Secret", "s").addProperty("Other", "o"));

        List<TableEntity> read = table.listEntities(new ListEntitiesOptions().setSelect(List.of("Other")), null, null)
            .stream().collect(Collectors.toList());

        assertThat(read).singleElement().satisfies(e -> assertThat(userProperties(e)).containsOnly(
            Map.entry("Other", "o")));
    }

    @Test
    void createTableIfNotExists_createsAMissingTable_andLeavesAnExistingOneAsItIs(Azurite azurite) {
        TableClient plain = Tables.plain(azurite, Tables.uniqueName("ifnotexists"));
        EncryptedTableClient table = Tables.encrypted(plain, AUTHENTICATED, SECRETS);

        assertThat(table.createTableIfNotExists()).isTrue();
        table.upsertEntity(new TableEntity("p", "r").addProperty("Secret", "s"));
        assertThat(table.createTableIfNotExistsWithResponse(null, null)).satisfies(response -> {
            assertThat(response.getValue()).isFalse();
            assertThat(response.getStatusCode()).isEqualTo(409);
        });
        assertThat(table.getEntity("p", "r").getProperty("Secret")).isEqualTo("s");
    }

    @Test
    void deleteTable_deletesIt_andATableThatDoesNotExistIsNotAnError(Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "deletetable");
        EncryptedTableClient table = Tables.encrypted(plain, AUTHENTICATED, SECRETS);

        table.deleteTable();

        assertThat(table.deleteTableWithResponse(null, null).getStatusCode()).isEqualTo(404);
        assertThat(table.createTableIfNotExists()).isTrue();
    }

    @Test
    void delete_removesTheEntity(Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "delete");
        EncryptedTableClient table = Tables.encrypted(plain, AUTHENTICATED, SECRETS);
        table.upsertEntity(new TableEntity("p", "r1").addProperty("Secret", "s"));
        table.upsertEntity(new TableEntity("p", "r2").addProperty("Secret", "s"));

        table.deleteEntity("p", "r1");
        table.deleteEntity(table.getEntity("p", "r2"));

        assertThat(plain.listEntities()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TableEncryptionFormat.class)
    void transaction_encryptsEveryEntityWithItsOwnContentKey(TableEncryptionFormat format, Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "batch");
        EncryptedTableClient table = Tables.encrypted(plain, format, SECRETS);
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

    @Test
    void unencryptedEntity_isRefusedByDefault_andReturnedAsStoredWithRequireEncryptionOff(Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "plain");
        plain.upsertEntity(new TableEntity("p", "r").addProperty("Name", "Ada"));

        EncryptedTableClient strict = Tables.encrypted(plain, AUTHENTICATED, SECRETS);
        EncryptedTableClient lenient = Tables.builder(plain, Tables.options().requireEncryption(false))
            .buildEncryptedTableClient();

        assertThatThrownBy(() -> strict.getEntity("p", "r")).isInstanceOf(EncryptionPolicyException.class)
            .hasMessageContaining("requireEncryption(false)");
        assertThatThrownBy(() -> strict.listEntities().stream().count())
            .isInstanceOf(EncryptionPolicyException.class);
        assertThat(lenient.getEntity("p", "r").getProperty("Name")).isEqualTo("Ada");
        assertThat(lenient.listEntities(new ListEntitiesOptions().setSelect(List.of("Name")), null, null).stream()
            .map(EncryptedTableClientTest::userProperties)).containsExactly(Map.of("Name", "Ada"));
    }

    @Test
    void legacyEntity_isRefusedWithoutTheV1OptIn(Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "v1optin");
        Tables.encrypted(plain, LEGACY_V1_UNAUTHENTICATED, SECRETS)
            .upsertEntity(new TableEntity("p", "r").addProperty("Secret", "s"));

        EncryptedTableClient defaults = Tables.builder(plain).buildEncryptedTableClient();

        assertThatThrownBy(() -> defaults.getEntity("p", "r")).isInstanceOf(EncryptionPolicyException.class)
            .hasMessageContaining("allowUnauthenticatedV1Reads(true)");
    }

    @Test
    void query_whoseKeyIdTheResolverCannotResolve_failsWithKeyResolutionException(Azurite azurite) {
        TableClient plain = tableWithOneEntityPerKey(azurite);
        EncryptedTableClient reader = Tables.builder(plain, ClientSideEncryptionOptions.builder()
            .keyResolver(keyId -> Tables.KEK_ID.equals(keyId) ? Tables.kek() : null)).buildEncryptedTableClient();

        assertThat(reader.getEntity("p", "a").getProperty("Secret")).isEqualTo("one");
        assertThatThrownBy(() -> reader.listEntities().forEach(e -> { }))
            .isInstanceOfSatisfying(KeyResolutionException.class, e -> {
                assertThat(e.getKeyId()).isEqualTo(Tables.OTHER_KEK_ID);
                assertThat(e.getReason()).isEqualTo(KeyResolutionException.Reason.KEY_NOT_FOUND);
            });
    }

    @Test
    void readerWithBothKeysInAResolver_readsEntitiesWrittenWithEither_butCannotWrite(Azurite azurite) {
        TableClient plain = tableWithOneEntityPerKey(azurite);
        EncryptedTableClient reader = Tables.builder(plain, ClientSideEncryptionOptions.builder()
            .keyResolver(Tables.resolver())).buildEncryptedTableClient();

        assertThat(reader.listEntities()).extracting(e -> e.getProperty("Secret")).containsExactly("one", "two");
        assertThatThrownBy(() -> reader.upsertEntity(new TableEntity("p", "c")))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("key(keyEncryptionKey");
    }

    /** A table with (p, a) Secret "one" under key local:kek1 and (p, b) Secret "two" under local:kek2. */
    private static TableClient tableWithOneEntityPerKey(Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "twokeys");
        Tables.encrypted(plain, AUTHENTICATED, SECRETS).upsertEntity(new TableEntity("p", "a")
            .addProperty("Secret", "one"));
        Tables.builder(plain, ClientSideEncryptionOptions.builder().key(Tables.otherKek(), KeyWrapAlgorithm.A256KW))
            .encryptionResolver(SECRETS).buildEncryptedTableClient().upsertEntity(new TableEntity("p", "b")
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
