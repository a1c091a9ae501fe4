package dev.cse4j.table;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.TableEncryptionFormat;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.cse4j.table.EncryptedTableClientTest.userProperties;
import static dev.cse4j.core.TableEncryptionFormat.AUTHENTICATED;
import static dev.cse4j.core.TableEncryptionFormat.LEGACY_V1_UNAUTHENTICATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** upsertEntity and updateEntity MERGE by default, as azure-data-tables does, and keep encrypted values valid. */
@ExtendWith(AzuriteExtension.class)
class MergeTest {
    private static final EncryptionResolver SECRETS = (pk, rk, name) -> name.startsWith("Secret");

    private TableClient plain;

    @BeforeEach
    void createTable(Azurite azurite) {
        plain = Tables.createTable(azurite, "merge");
    }

    /** The stored properties, as the service holds them (binary values hex-encoded, so maps compare by value). */
    private Map<String, Object> raw(String rowKey) {
        Map<String, Object> properties = new LinkedHashMap<>();
        plain.getEntity("p", rowKey).getProperties().forEach((name, value) -> {
            if (!EntityNames.isBookkeeping(name) && !EntityNames.TIMESTAMP.equals(name)) {
                properties.put(name, value instanceof byte[] ? "binary:" + Base64.getEncoder()
                    .encodeToString((byte[]) value) : value);
            }
        });
        return properties;
    }

    private EncryptionData metadata(String rowKey) {
        return EncryptionData.parse((String) plain.getEntity("p", rowKey).getProperty(EntityNames.METADATA));
    }

    @ParameterizedTest
    @MethodSource("dev.cse4j.table.Api#byFormat")
    void updateEntity_mergesByDefault_andAPlainMergeLeavesEveryEncryptedByteAsStored(Api api, TableEncryptionFormat format) {
        Api.TestTable table = Tables.encrypted(api, plain, format, SECRETS);
        table.createEntity(new TableEntity("p", "r").addProperty("SecretA", "alpha").addProperty("Plain", "old")
            .addProperty("Kept", 7));
        Map<String, Object> before = raw("r");

        table.updateEntity(new TableEntity("p", "r").addProperty("Plain", "new").addProperty("Added", true));

        Map<String, Object> after = raw("r");
        for (String stored : new String[] {"SecretA", EntityNames.METADATA, EntityNames.NAME_LIST}) {
            assertThat(after.get(stored)).as(stored).isEqualTo(before.get(stored));
        }
        assertThat(after).containsEntry("Plain", "new").containsEntry("Added", true).containsEntry("Kept", 7);
        assertThat(userProperties(table.getEntity("p", "r"))).containsOnly(entry("SecretA", "alpha"),
            entry("Plain", "new"), entry("Kept", 7), entry("Added", true));
    }

    @ParameterizedTest
    @MethodSource("dev.cse4j.table.Api#byFormat")
    void encryptedMerge_reencryptsTheWholeEntityUnderAFreshKey_keepingEveryOtherProperty(Api api, TableEncryptionFormat format) {
        Api.TestTable table = Tables.encrypted(api, plain, format, SECRETS);
        table.createEntity(new TableEntity("p", "r").addProperty("SecretA", "alpha").addProperty("SecretB", "beta")
            .addProperty("Plain", "kept").addProperty("Big", 1L << 40));
        EncryptionData before = metadata("r");

        table.upsertEntity(new TableEntity("p", "r").addProperty("SecretB", "beta 2").addProperty("SecretC", "gamma"));

        EncryptionData after = metadata("r");
        assertThat(after.wrappedContentKey().encryptedKey()).isNotEqualTo(before.wrappedContentKey().encryptedKey());
        assertThat(after.protocol()).isEqualTo(before.protocol());
        assertThat(raw("r")).hasEntrySatisfying("SecretC", v -> assertThat(v.toString()).startsWith("binary:"))
            .hasEntrySatisfying("SecretA", v -> assertThat(v.toString()).startsWith("binary:"));
        assertThat(userProperties(table.getEntity("p", "r"))).containsOnly(entry("SecretA", "alpha"),
            entry("SecretB", "beta 2"), entry("SecretC", "gamma"), entry("Plain", "kept"), entry("Big", 1L << 40));
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void readChangeUpdate_ofAnEntityWithMarkedValues_keepsThemEncrypted_evenWhenSetToANewString(Api api) {
        Api.TestTable table = Tables.encrypted(api, plain, AUTHENTICATED, EncryptionResolver.NONE);
        table.createEntity(new TableEntity("p", "r").addProperty("Ssn", EncryptedString.of("078-05-1120"))
            .addProperty("Name", "Ada"));

        TableEntity read = table.getEntity("p", "r");
        read.addProperty("Name", "Bob"); // the read entity holds Ssn as a plain String now
        table.updateEntity(read);
        table.updateEntity(new TableEntity("p", "r").addProperty("Ssn", "219-09-9999"));

        assertThat(raw("r").get("Ssn").toString()).startsWith("binary:");
        assertThat(userProperties(table.getEntity("p", "r"))).containsOnly(entry("Ssn", "219-09-9999"),
            entry("Name", "Bob"));
    }

    static Stream<Arguments> plainPropertyNamedLikeAStoredEncryptedOne_cannotStoreItsValueInPlaintext() {
        return Api.times("Ssn", "a,b", "Name With Space");
    }

    @ParameterizedTest
    @MethodSource
    void plainPropertyNamedLikeAStoredEncryptedOne_cannotStoreItsValueInPlaintext(Api api, String name) {
        // Names that a $select list cannot carry make the merge read the whole entity: still no shadowing.
        Api.TestTable table = Tables.encrypted(api, plain, AUTHENTICATED, EncryptionResolver.NONE);
        table.createEntity(new TableEntity("p", "r").addProperty(name, EncryptedString.of("secret")));

        table.updateEntity(new TableEntity("p", "r").addProperty(name, "new secret"));

        assertThat(raw("r").get(name).toString()).startsWith("binary:");
        assertThat(table.getEntity("p", "r").getProperty(name)).isEqualTo("new secret");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void mergeSettingAStoredEncryptedPropertyToANonString_isRefused_andWritesNothing(Api api) {
        Api.TestTable table = Tables.encrypted(api, plain, AUTHENTICATED, EncryptionResolver.NONE);
        table.createEntity(new TableEntity("p", "r").addProperty("Ssn", EncryptedString.of("078-05-1120")));
        Map<String, Object> before = raw("r");

        assertThatThrownBy(() -> table.updateEntity(new TableEntity("p", "r").addProperty("Ssn", 42)))
            .isInstanceOf(EncryptionPolicyException.class)
            .hasMessageContainingAll("'Ssn' is stored encrypted", "Integer", "REPLACE", "Nothing was written");
        assertThat(raw("r")).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void plainBinaryProperty_mergedOverAPlainBinaryOne_staysPlainBinary(Api api) {
        Api.TestTable table = Tables.encrypted(api, plain, AUTHENTICATED, SECRETS);
        table.createEntity(new TableEntity("p", "r").addProperty("Bytes", new byte[] {1, 2})
            .addProperty("SecretA", "alpha"));

        table.updateEntity(new TableEntity("p", "r").addProperty("Bytes", new byte[] {3}));

        assertThat(raw("r")).containsEntry("Bytes", "binary:Aw==");
        TableEntity read = table.getEntity("p", "r");
        assertThat((byte[]) read.getProperty("Bytes")).containsExactly(3);
        assertThat(read.getProperty("SecretA")).isEqualTo("alpha");
    }

    static Stream<Arguments> mergeSettingAReservedProperty_isRefusedBeforeAnythingIsSent() {
        return Api.times("_ClientEncryptionMetadata1", "_ClientEncryptionMetadata2");
    }

    @ParameterizedTest
    @MethodSource
    void mergeSettingAReservedProperty_isRefusedBeforeAnythingIsSent(Api api, String name) {
        Tables.encrypted(api, plain, AUTHENTICATED, SECRETS).createEntity(new TableEntity("p", "r")
            .addProperty("SecretA", "alpha"));
        Map<String, Object> before = raw("r");
        Interloper counter = new Interloper();
        Api.TestTable table = api.build(counter.builder(plain, AUTHENTICATED, SECRETS));

        assertThatThrownBy(() -> table.updateEntity(new TableEntity("p", "r").addProperty(name, "forged")))
            .isInstanceOf(EncryptionPolicyException.class).hasMessageContainingAll(name, "reserved");
        assertThatThrownBy(() -> table.upsertEntity(new TableEntity("p", "r").addProperty(name, "forged")))
            .isInstanceOf(EncryptionPolicyException.class);
        assertThat(counter.requests()).isZero();
        assertThat(raw("r")).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void nullEntity_isAnIllegalArgument_inEveryWriteMode_asWithTheSdk(Api api) {
        Api.TestTable table = Tables.encrypted(api, plain, AUTHENTICATED, SECRETS);

        for (TableEntityUpdateMode mode : new TableEntityUpdateMode[] {null, TableEntityUpdateMode.MERGE,
            TableEntityUpdateMode.REPLACE}) {
            assertThatThrownBy(() -> table.upsertEntityWithResponse(null, mode, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("'entity' cannot be null.");
            assertThatThrownBy(() -> table.updateEntity(null, mode)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> table.createEntity(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void upsertMerge_ofAMissingEntity_createsItEncrypted(Api api) {
        Api.TestTable table = Tables.encrypted(api, plain, AUTHENTICATED, SECRETS);

        table.upsertEntity(new TableEntity("p", "new").addProperty("SecretA", "alpha").addProperty("Plain", "x")
            .addProperty("Unset", null));
        table.upsertEntity(new TableEntity("p", "plainonly").addProperty("Plain", "y"));

        assertThat(raw("new").get("SecretA").toString()).startsWith("binary:");
        assertThat(userProperties(table.getEntity("p", "new"))).containsOnly(entry("SecretA", "alpha"),
            entry("Plain", "x"));
        assertThat(raw("plainonly")).containsKeys(EntityNames.METADATA, EntityNames.NAME_LIST);
        assertThat(userProperties(table.getEntity("p", "plainonly"))).containsOnly(entry("Plain", "y"));
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void updateMerge_ofAMissingEntity_isTheServices404_andCreatesNothing(Api api) {
        Api.TestTable table = Tables.encrypted(api, plain, AUTHENTICATED, SECRETS);

        assertThatThrownBy(() -> table.updateEntity(new TableEntity("p", "missing").addProperty("Plain", "x")))
            .isInstanceOfSatisfying(TableServiceException.class,
                e -> assertThat(e.getResponse().getStatusCode()).isEqualTo(404));
        assertThatThrownBy(() -> table.updateEntity(new TableEntity("p", "missing").addProperty("SecretA", "x")))
            .isInstanceOfSatisfying(TableServiceException.class,
                e -> assertThat(e.getResponse().getStatusCode()).isEqualTo(404));
        assertThat(plain.listEntities()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void nullValuesInAMerge_leaveTheStoredPropertiesAsTheyAre(Api api) {
        Api.TestTable table = Tables.encrypted(api, plain, AUTHENTICATED, SECRETS);
        table.createEntity(new TableEntity("p", "r").addProperty("SecretA", "alpha").addProperty("Plain", "p"));

        table.updateEntity(new TableEntity("p", "r").addProperty("SecretA", null).addProperty("Plain", null)
            .addProperty("Other", "o"));
        table.updateEntity(new TableEntity("p", "r").addProperty("SecretA", null).addProperty("SecretB", "beta"));

        assertThat(userProperties(table.getEntity("p", "r"))).containsOnly(entry("SecretA", "alpha"),
            entry("SecretB", "beta"), entry("Plain", "p"), entry("Other", "o"));
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void mergeIfUnchanged_withAStaleETag_isTheServices412_isNotRetried_andWritesNothing(Api api) {
        Api.TestTable table = Tables.encrypted(api, plain, AUTHENTICATED, SECRETS);
        table.createEntity(new TableEntity("p", "r").addProperty("SecretA", "alpha").addProperty("Plain", "p"));
        TableEntity stale = table.getEntity("p", "r");
        table.updateEntity(new TableEntity("p", "r").addProperty("Other", "changed"));
        Map<String, Object> before = raw("r");

        for (String name : new String[] {"SecretA", "Plain"}) {
            TableEntity change = new TableEntity("p", "r").addProperty(name, "mine")
                .addProperty(EntityNames.ODATA_ETAG, stale.getETag());
            assertThatThrownBy(() -> table.updateEntityWithResponse(change, TableEntityUpdateMode.MERGE, true, null,
                null)).isInstanceOfSatisfying(TableServiceException.class,
                    e -> assertThat(e.getResponse().getStatusCode()).isEqualTo(412));
        }
        assertThat(raw("r")).isEqualTo(before);

        TableEntity fresh = table.getEntity("p", "r");
        fresh.addProperty("SecretA", "mine");
        table.updateEntityWithResponse(fresh, TableEntityUpdateMode.MERGE, true, null, null);
        assertThat(table.getEntity("p", "r").getProperty("SecretA")).isEqualTo("mine");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void mergeIntoALegacyEntity_needsTheV1OptIn_andNeverDowngradesOrLosesAValue(Api api) {
        Api.TestTable legacyWriter = Tables.encrypted(api, plain, LEGACY_V1_UNAUTHENTICATED, SECRETS);
        legacyWriter.createEntity(new TableEntity("p", "r").addProperty("SecretA", "alpha").addProperty("Plain", "p"));
        Map<String, Object> stored = raw("r");
        Api.TestTable strict = api.build(Tables.builder(plain).encryptionResolver(SECRETS));
        Api.TestTable optedIn = api.build(Tables.builder(plain, Tables.options().allowUnauthenticatedV1Reads(true))
            .encryptionResolver(SECRETS));

        for (String name : new String[] {"Plain", "SecretB"}) {
            assertThatThrownBy(() -> strict.updateEntity(new TableEntity("p", "r").addProperty(name, "x")))
                .isInstanceOf(EncryptionPolicyException.class).hasMessageContaining("allowUnauthenticatedV1Reads");
        }
        assertThat(raw("r")).isEqualTo(stored);

        optedIn.updateEntity(new TableEntity("p", "r").addProperty("Plain", "plain merge"));
        assertThat(metadata("r").protocol()).isEqualTo(EncryptionProtocol.V1_0);
        assertThat(raw("r").get("SecretA")).isEqualTo(stored.get("SecretA"));
        assertThat(legacyWriter.getEntity("p", "r").getProperty("Plain")).isEqualTo("plain merge");

        optedIn.updateEntity(new TableEntity("p", "r").addProperty("SecretB", "beta"));
        assertThat(metadata("r").protocol()).isEqualTo(EncryptionProtocol.CSE4J_TABLE_1);
        assertThat(userProperties(optedIn.getEntity("p", "r"))).containsOnly(entry("SecretA", "alpha"),
            entry("SecretB", "beta"), entry("Plain", "plain merge"));

        Map<String, Object> upgraded = raw("r");
        assertThatThrownBy(() -> legacyWriter.updateEntity(new TableEntity("p", "r").addProperty("SecretC", "c")))
            .isInstanceOf(EncryptionPolicyException.class).hasMessageContainingAll("never downgrades",
                "Nothing was written");
        assertThat(raw("r")).isEqualTo(upgraded);
        legacyWriter.updateEntity(new TableEntity("p", "r").addProperty("Plain", "legacy plain merge"));
        assertThat(metadata("r").protocol()).isEqualTo(EncryptionProtocol.CSE4J_TABLE_1);
        assertThat(optedIn.getEntity("p", "r").getProperty("Plain")).isEqualTo("legacy plain merge");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void mergeIntoAnUnencryptedEntity_isRefusedUnderRequireEncryption_andEncryptsItWhenAllowed(Api api) {
        plain.createEntity(new TableEntity("p", "r").addProperty("SecretA", "clear").addProperty("Plain", "p"));
        Map<String, Object> before = raw("r");
        Api.TestTable strict = Tables.encrypted(api, plain, AUTHENTICATED, SECRETS);
        Api.TestTable lenient = api.build(Tables.builder(plain, Tables.options().requireEncryption(false))
            .encryptionResolver(SECRETS));

        assertThatThrownBy(() -> strict.updateEntity(new TableEntity("p", "r").addProperty("Plain", "x")))
            .isInstanceOf(EncryptionPolicyException.class).hasMessageContaining("requireEncryption(false)");
        assertThat(raw("r")).isEqualTo(before);

        lenient.updateEntity(new TableEntity("p", "r").addProperty("Plain", "x"));

        assertThat(raw("r").get("SecretA").toString()).startsWith("binary:");
        assertThat(userProperties(strict.getEntity("p", "r"))).containsOnly(entry("SecretA", "clear"),
            entry("Plain", "x"));
    }
}
