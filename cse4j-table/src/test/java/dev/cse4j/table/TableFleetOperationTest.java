package dev.cse4j.table;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import com.microsoft.azure.storage.CloudStorageAccount;
import com.microsoft.azure.storage.table.CloudTable;
import com.microsoft.azure.storage.table.DynamicTableEntity;
import com.microsoft.azure.storage.table.EntityProperty;
import com.microsoft.azure.storage.table.TableEncryptionPolicy;
import com.microsoft.azure.storage.table.TableOperation;
import com.microsoft.azure.storage.table.TableRequestOptions;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.KeyResolutionException;
import dev.cse4j.core.TableEncryptionFormat;
import dev.cse4j.fleet.EncryptionState;
import dev.cse4j.fleet.FailureClass;
import dev.cse4j.fleet.FleetAction;
import dev.cse4j.fleet.FleetOptions;
import dev.cse4j.fleet.FleetOutcome;
import dev.cse4j.fleet.FleetResult;
import dev.cse4j.fleet.FleetSummary;
import dev.cse4j.keys.AesKeyWrapKey;
import dev.cse4j.keys.KeyWrapAlgorithm;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.CountingKeys;
import dev.cse4j.testing.LegacySdkKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Fleet operations over a table (issue 11): legacy 1.0 entities written by Microsoft's Java 8 SDK (8.6.6) and by
 * cse4j migrate to {@code cse4j-t1} and read back; rewrap rewrites only {@code _ClientEncryptionMetadata1}, leaving
 * every sealed value byte for byte, after which only the new key reads; dry runs change nothing; reruns skip; a
 * concurrent writer is never overwritten; tampered, malformed and unknown-key entities fail with their class.
 */
@ExtendWith(AzuriteExtension.class)
class TableFleetOperationTest {
    private static final String OLD_ID = Tables.KEK_ID;
    private static final String NEW_ID = Tables.OTHER_KEK_ID;
    private static final String UNICODE = "ünïcödé ✓ 🙂";

    private TableClient plain;
    private CloudTable java8;

    @BeforeEach
    void createTable(Azurite azurite) throws Exception {
        plain = Tables.createTable(azurite, "fleet");
        java8 = CloudStorageAccount.parse(azurite.connectionString()).createCloudTableClient()
            .getTableReference(plain.getTableName());
    }

    /** Writes entity (pk, rk) with the Java 8 SDK, encrypting "Secret" and "Note" (legacy 1.0, Java IV order). */
    private void java8Write(String pk, String rk, String secret) throws Exception {
        DynamicTableEntity entity = new DynamicTableEntity(pk, rk);
        entity.getProperties().put("Secret", new EntityProperty(secret));
        entity.getProperties().put("Note", new EntityProperty("note of " + rk));
        entity.getProperties().put("Public", new EntityProperty("visible " + rk));
        entity.getProperties().put("Count", new EntityProperty(42));
        java8.execute(TableOperation.insertOrReplace(entity), java8Options(LegacySdkKey.vectorsKey()), null);
    }

    private static TableRequestOptions java8Options(LegacySdkKey key) {
        TableRequestOptions options = new TableRequestOptions();
        options.setEncryptionPolicy(new TableEncryptionPolicy(key, key.resolver()));
        options.setEncryptionResolver((pk, rk, name) -> name.equals("Secret") || name.equals("Note"));
        options.setRequireEncryption(true);
        return options;
    }

    /** Writes entity (pk, rk) with cse4j in {@code format}, "Secret" encrypted. */
    private void cse4jWrite(TableEncryptionFormat format, String pk, String rk, String secret) {
        Tables.encrypted(plain, format, (p, r, name) -> name.equals("Secret")).upsertEntity(new TableEntity(pk, rk)
            .addProperty("Secret", secret).addProperty("Public", "visible " + rk).addProperty("Count", 7));
    }

    /** Keys reading with the old key (by a counting resolver) and writing with the new one, if given. */
    private static ClientSideEncryptionOptions keys(CountingKeys oldKeys, CountingKeys newKeys) {
        ClientSideEncryptionOptions.Builder keys = ClientSideEncryptionOptions.builder()
            .keyResolver(oldKeys.resolver(id -> OLD_ID.equals(id) ? Tables.kek() : null));
        return newKeys == null ? keys.build() : keys.key(newKeys.key(Tables.otherKek()), KeyWrapAlgorithm.A256KW)
            .build();
    }

    private List<FleetResult> run(FleetAction action, boolean dryRun, ClientSideEncryptionOptions keys) {
        List<FleetResult> results = new ArrayList<>();
        TableFleetOperation.create(plain, FleetOptions.builder(action).dryRun(dryRun).concurrency(3).build(), keys)
            .run(null, results::add);
        return results;
    }

    /** Reads (pk, rk) with only {@code key}, 1.0 allowed. */
    private TableEntity readWith(AesKeyWrapKey key, String pk, String rk) {
        return Tables.builder(plain, ClientSideEncryptionOptions.builder().key(key, KeyWrapAlgorithm.A256KW)
            .allowUnauthenticatedV1Reads(true)).buildEncryptedTableClient().getEntity(pk, rk);
    }

    /** Every stored property but Timestamp and the OData bookkeeping, binary values comparable. */
    private Map<String, Object> stored(String pk, String rk) {
        Map<String, Object> stored = new LinkedHashMap<>();
        plain.getEntity(pk, rk).getProperties().forEach((name, value) -> {
            if (!name.equals("Timestamp") && !EntityNames.isBookkeeping(name)) {
                stored.put(name, value instanceof byte[] bytes ? Arrays.toString(bytes) : value);
            }
        });
        return stored;
    }

    private static Map<String, FleetResult> byRowKey(List<FleetResult> results) {
        Map<String, FleetResult> map = new LinkedHashMap<>();
        results.forEach(r -> map.put(r.object().rowKey(), r));
        return map;
    }

    @Test
    void migrate_legacyEntitiesOfJava8AndCse4j_becomeCse4jT1_readWithoutTheV1OptIn_oneUnwrapAndOneWrapEach()
        throws Exception {
        java8Write("p", "j1", UNICODE);
        java8Write("p", "j2", "");
        cse4jWrite(TableEncryptionFormat.LEGACY_V1_UNAUTHENTICATED, "p", "c1", "cse4j's 1.0");
        cse4jWrite(TableEncryptionFormat.AUTHENTICATED, "p", "t1", "already t1");
        plain.upsertEntity(new TableEntity("p", "plain").addProperty("Public", "no encryption"));
        CountingKeys oldKeys = new CountingKeys();

        List<FleetResult> results = run(FleetAction.MIGRATE, false, keys(oldKeys, null));

        Map<String, FleetResult> byRow = byRowKey(results);
        EncryptionState v1 = new EncryptionState("1.0", OLD_ID);
        EncryptionState t1 = new EncryptionState("cse4j-t1", OLD_ID);
        for (String row : List.of("j1", "j2", "c1")) {
            assertThat(byRow.get(row)).isEqualTo(FleetResult.wrote(byRow.get(row).object(), FleetOutcome.MIGRATED,
                v1, t1));
        }
        assertThat(byRow.get("t1").toJson()).isEqualTo("{\"partitionKey\":\"p\",\"rowKey\":\"t1\",\"result\":"
            + "\"skipped\",\"from\":{\"protocol\":\"cse4j-t1\",\"keyId\":\"local:kek1\"},\"reason\":\"already done\"}");
        assertThat(byRow.get("plain").reason()).isEqualTo("not encrypted");
        assertThat(oldKeys.unwraps()).isEqualTo(3);
        assertThat(oldKeys.wraps()).isEqualTo(3);
        assertThat(oldKeys.resolutions(OLD_ID)).isEqualTo(1);

        EncryptedTableClient strict = Tables.builder(plain).buildEncryptedTableClient();
        TableEntity j1 = strict.getEntity("p", "j1");
        assertThat(EncryptedTableClientTest.userProperties(j1)).containsOnly(Map.entry("Secret", UNICODE),
            Map.entry("Note", "note of j1"), Map.entry("Public", "visible j1"), Map.entry("Count", 42));
        assertThat(strict.getEntity("p", "j2").getProperty("Secret")).isEqualTo("");
        assertThat(strict.getEntity("p", "c1").getProperty("Secret")).isEqualTo("cse4j's 1.0");
        assertThat(plain.getEntity("p", "j1").getProperty("Secret")).isInstanceOf(byte[].class);
        assertThat(plain.getEntity("p", "j1").getProperty("Public")).isEqualTo("visible j1");
    }

    @Test
    void migrate_withANewKey_reencryptsT1EntitiesUnderOtherKeysToo_andARerunSkipsAllFromTheListing()
        throws Exception {
        java8Write("p", "j1", "secret");
        cse4jWrite(TableEncryptionFormat.AUTHENTICATED, "p", "t1", "t1 under the old key");
        CountingKeys oldKeys = new CountingKeys();
        CountingKeys newKeys = new CountingKeys();

        List<FleetResult> first = run(FleetAction.MIGRATE, false, keys(oldKeys, newKeys));
        CountingKeys againOld = new CountingKeys();
        CountingKeys againNew = new CountingKeys();
        List<FleetResult> again = run(FleetAction.MIGRATE, false, keys(againOld, againNew));

        assertThat(first).allSatisfy(r -> {
            assertThat(r.result()).isEqualTo(FleetOutcome.MIGRATED);
            assertThat(r.to()).isEqualTo(new EncryptionState("cse4j-t1", NEW_ID));
        });
        assertThat(oldKeys.unwraps()).isEqualTo(2);
        assertThat(newKeys.wraps()).isEqualTo(2);
        assertThat(newKeys.unwraps() + oldKeys.wraps()).isZero();
        assertThat(readWith(Tables.otherKek(), "p", "j1").getProperty("Secret")).isEqualTo("secret");
        assertThat(readWith(Tables.otherKek(), "p", "t1").getProperty("Secret")).isEqualTo("t1 under the old key");
        assertThat(again).hasSize(2).allSatisfy(r -> assertThat(r.reason()).isEqualTo("already done"));
        assertThat(againOld.unwraps() + againNew.wraps() + againOld.resolutions()).isZero();
    }

    @Test
    void rewrap_leavesEverySealedValueByteForByte_changesOnlyTheWrappedKey_andOnlyTheNewKeyReads()
        throws Exception {
        java8Write("p", "j1", UNICODE);
        cse4jWrite(TableEncryptionFormat.AUTHENTICATED, "p", "t1", "authenticated");
        cse4jWrite(TableEncryptionFormat.LEGACY_V1_UNAUTHENTICATED, "p", "c1", "legacy by cse4j");
        Map<String, Map<String, Object>> before = new LinkedHashMap<>();
        for (String row : List.of("j1", "t1", "c1")) {
            before.put(row, stored("p", row));
        }
        CountingKeys oldKeys = new CountingKeys();
        CountingKeys newKeys = new CountingKeys();

        List<FleetResult> results = run(FleetAction.REWRAP, false, keys(oldKeys, newKeys));

        assertThat(results).hasSize(3).allSatisfy(r -> {
            assertThat(r.result()).isEqualTo(FleetOutcome.REWRAPPED);
            assertThat(r.to()).isEqualTo(new EncryptionState(r.from().protocol(), NEW_ID));
        });
        assertThat(byRowKey(results).get("t1").from().protocol()).isEqualTo("cse4j-t1");
        for (String row : List.of("j1", "t1", "c1")) {
            Map<String, Object> was = new LinkedHashMap<>(before.get(row));
            Map<String, Object> now = stored("p", row);
            EncryptionData old = EncryptionData.parse((String) was.remove("_ClientEncryptionMetadata1"));
            EncryptionData rewrapped = EncryptionData.parse((String) now.remove("_ClientEncryptionMetadata1"));
            assertThat(now).as(row).isEqualTo(was);
            assertThat(rewrapped.wrappedContentKey().keyId()).isEqualTo(NEW_ID);
            assertThat(rewrapped.withWrappedContentKey(old.wrappedContentKey())).isEqualTo(old);
            assertThat(readWith(Tables.otherKek(), "p", row).getProperty("Secret")).isNotNull();
            assertThatThrownBy(() -> readWith(Tables.kek(), "p", row)).isInstanceOf(KeyResolutionException.class);
        }
        assertThat(oldKeys.unwraps()).isEqualTo(3);
        assertThat(newKeys.wraps()).isEqualTo(3);
        assertThat(oldKeys.resolutions(OLD_ID)).isEqualTo(1);
        assertThat(readWith(Tables.otherKek(), "p", "j1").getProperty("Secret")).isEqualTo(UNICODE);
        DynamicTableEntity java8Read = java8.execute(TableOperation.retrieve("p", "j1", DynamicTableEntity.class),
            java8Options(new LegacySdkKey(NEW_ID, Tables.otherKekBytes())), null).getResultAsType();
        assertThat(java8Read.getProperties().get("Secret").getValueAsString()).isEqualTo(UNICODE);
    }

    @Test
    void dryRuns_writeNothing_useNoKey_andReportTheStateEachEntityWouldGet() throws Exception {
        java8Write("p", "j1", "s");
        cse4jWrite(TableEncryptionFormat.AUTHENTICATED, "p", "t1", "s");
        Map<String, Object> j1 = stored("p", "j1");
        Map<String, Object> t1 = stored("p", "t1");
        CountingKeys oldKeys = new CountingKeys();
        CountingKeys newKeys = new CountingKeys();

        List<FleetResult> rewrap = run(FleetAction.REWRAP, true, keys(oldKeys, newKeys));
        List<FleetResult> migrate = run(FleetAction.MIGRATE, true, keys(oldKeys, null));

        assertThat(rewrap).extracting(FleetResult::toJson).containsExactlyInAnyOrder(
            "{\"partitionKey\":\"p\",\"rowKey\":\"j1\",\"result\":\"would-rewrap\",\"from\":{\"protocol\":\"1.0\","
                + "\"keyId\":\"local:kek1\"},\"to\":{\"protocol\":\"1.0\",\"keyId\":\"local:kek2\"},\"reason\":null}",
            "{\"partitionKey\":\"p\",\"rowKey\":\"t1\",\"result\":\"would-rewrap\",\"from\":{\"protocol\":"
                + "\"cse4j-t1\",\"keyId\":\"local:kek1\"},\"to\":{\"protocol\":\"cse4j-t1\",\"keyId\":\"local:kek2\"},"
                + "\"reason\":null}");
        assertThat(byRowKey(migrate).get("j1").result()).isEqualTo(FleetOutcome.WOULD_MIGRATE);
        assertThat(byRowKey(migrate).get("j1").to()).isEqualTo(new EncryptionState("cse4j-t1", OLD_ID));
        assertThat(byRowKey(migrate).get("t1").reason()).isEqualTo("already done");
        assertThat(stored("p", "j1")).isEqualTo(j1);
        assertThat(stored("p", "t1")).isEqualTo(t1);
        assertThat(oldKeys.unwraps() + oldKeys.wraps() + newKeys.wraps()).isZero();
    }

    @Test
    void aConcurrentWriterAfterTheListing_isNeverOverwritten_theEntityIsReportedFailed() throws Exception {
        java8Write("p", "j1", "s");
        cse4jWrite(TableEncryptionFormat.AUTHENTICATED, "p", "t1", "s");
        List<EntityRef> listed = new ArrayList<>();
        TableListing.list(plain, null).forEachRemaining(listed::add);
        for (String row : List.of("j1", "t1")) {
            plain.updateEntity(new TableEntity("p", row).addProperty("Writer", "was here"), TableEntityUpdateMode.MERGE);
        }
        Map<String, Object> j1 = stored("p", "j1");
        Map<String, Object> t1 = stored("p", "t1");

        List<FleetResult> results = new ArrayList<>();
        for (FleetAction action : List.of(FleetAction.REWRAP, FleetAction.MIGRATE)) {
            TableFleetOperation operation = TableFleetOperation.create(plain, FleetOptions.of(action),
                keys(new CountingKeys(), new CountingKeys()));
            listed.forEach(ref -> results.add(operation.apply(ref)));
        }

        assertThat(results).hasSize(4).allSatisfy(r -> {
            assertThat(r.result()).isEqualTo(FleetOutcome.FAILED);
            assertThat(r.failureClass()).isEqualTo(FailureClass.OTHER);
            assertThat(r.reason()).startsWith("modified since it was listed");
        });
        assertThat(stored("p", "j1")).isEqualTo(j1).containsEntry("Writer", "was here");
        assertThat(stored("p", "t1")).isEqualTo(t1);
    }

    @Test
    void tamperedMalformedAndUnknownKeyEntities_failWithTheirClass_andTheRunsExitCodeIsTheMostSerious()
        throws Exception {
        java8Write("p", "tampered", "sixteen bytes...");
        TableEntity tampered = plain.getEntity("p", "tampered");
        byte[] value = (byte[]) tampered.getProperty("Secret");
        plain.updateEntity(new TableEntity("p", "tampered").addProperty("Secret", Arrays.copyOf(value,
            value.length - 1)), TableEntityUpdateMode.MERGE);
        plain.upsertEntity(new TableEntity("p", "malformed").addProperty("_ClientEncryptionMetadata1", "{\"no\":"));
        plain.upsertEntity(new TableEntity("p", "stripped").addProperty("_ClientEncryptionMetadata2", new byte[40]));
        Tables.builder(plain, ClientSideEncryptionOptions.builder().key(AesKeyWrapKey.of("local:unknown",
            Tables.otherKekBytes()), KeyWrapAlgorithm.A256KW).tableFormat(TableEncryptionFormat
            .LEGACY_V1_UNAUTHENTICATED)).encryptionResolver((p, r, n) -> true)
            .buildEncryptedTableClient().upsertEntity(new TableEntity("p", "unknown").addProperty("Secret", "x"));
        cse4jWrite(TableEncryptionFormat.AUTHENTICATED, "p", "t1", "good");
        TableEntity t1 = plain.getEntity("p", "t1");
        byte[] sealed = ((byte[]) t1.getProperty("Secret")).clone();
        sealed[20] ^= 1;
        plain.updateEntity(new TableEntity("p", "t1").addProperty("Secret", sealed), TableEntityUpdateMode.MERGE);

        FleetSummary migrate = new FleetSummary();
        List<FleetResult> results = new ArrayList<>();
        TableFleetOperation.create(plain, FleetOptions.of(FleetAction.MIGRATE), keys(new CountingKeys(), null))
            .run(null, r -> {
                migrate.add(r);
                results.add(r);
            });
        List<FleetResult> verified = run(FleetAction.VERIFY, false, keys(new CountingKeys(), null));

        Map<String, FleetResult> byRow = byRowKey(results);
        assertThat(byRow.get("tampered").failureClass()).isEqualTo(FailureClass.INTEGRITY);
        assertThat(byRow.get("malformed").failureClass()).isEqualTo(FailureClass.INTEGRITY);
        assertThat(byRow.get("stripped").failureClass()).isEqualTo(FailureClass.INTEGRITY);
        assertThat(byRow.get("unknown").failureClass()).isEqualTo(FailureClass.KEY_NOT_FOUND);
        assertThat(byRow.get("unknown").reason()).contains("local:unknown");
        assertThat(byRow.get("t1").reason()).isEqualTo("already done");
        assertThat(migrate.exitCode()).isEqualTo(3);
        assertThat(plain.getEntity("p", "tampered").getProperty("_ClientEncryptionMetadata1")).asString()
            .contains("\"1.0\"");
        Map<String, FleetResult> verifiedByRow = byRowKey(verified);
        assertThat(verifiedByRow.get("t1").failureClass()).isEqualTo(FailureClass.INTEGRITY);
        assertThat(verifiedByRow.get("tampered").failureClass()).isEqualTo(FailureClass.POLICY);
        assertThat(verifiedByRow.get("unknown").failureClass()).isEqualTo(FailureClass.POLICY);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void rotateClientSideEncryptionKey_oneEntity_rewritesOnlyItsMetadata_withTheClientsKey(Api api)
        throws Exception {
        java8Write("p", "j1", "one");
        java8Write("p", "j2", "two");
        Map<String, Object> before = stored("p", "j1");
        Api.TestTable client = api.build(Tables.builder(plain, ClientSideEncryptionOptions.builder()
            .keyResolver(Tables.resolver()).key(Tables.otherKek(), KeyWrapAlgorithm.A256KW)));

        EncryptionData rotated = client.rotateClientSideEncryptionKey("p", "j1");

        assertThat(rotated.wrappedContentKey().keyId()).isEqualTo(NEW_ID);
        Map<String, Object> after = stored("p", "j1");
        assertThat(after.remove("_ClientEncryptionMetadata1")).isEqualTo(rotated.toJsonString());
        before.remove("_ClientEncryptionMetadata1");
        assertThat(after).isEqualTo(before);
        assertThat(readWith(Tables.otherKek(), "p", "j1").getProperty("Secret")).isEqualTo("one");
        assertThat(readWith(Tables.kek(), "p", "j2").getProperty("Secret")).isEqualTo("two");
        assertThatThrownBy(() -> client.rotateClientSideEncryptionKey("p", "missing"))
            .isInstanceOfSatisfying(TableServiceException.class,
                e -> assertThat(e.getResponse().getStatusCode()).isEqualTo(404));
    }

    @Test
    void rotateClientSideEncryptionKeys_tableWide_withAFilter_rotatesWhatItSelects() throws Exception {
        for (String pk : List.of("a", "b", "c")) {
            cse4jWrite(TableEncryptionFormat.AUTHENTICATED, pk, "r", pk);
        }
        EncryptedTableClient client = Tables.builder(plain, ClientSideEncryptionOptions.builder()
            .keyResolver(Tables.resolver()).key(Tables.otherKek(), KeyWrapAlgorithm.A256KW))
            .buildEncryptedTableClient();
        List<FleetResult> results = new ArrayList<>();

        FleetSummary summary = client.rotateClientSideEncryptionKeys(TableListing.partitionRange("RowKey eq 'r'",
            "b", null), results::add);

        assertThat(summary.count(FleetOutcome.REWRAPPED)).isEqualTo(2);
        assertThat(results).extracting(r -> r.object().partitionKey()).containsExactlyInAnyOrder("b", "c");
        assertThat(readWith(Tables.kek(), "a", "r").getProperty("Secret")).isEqualTo("a");
        assertThat(readWith(Tables.otherKek(), "c", "r").getProperty("Secret")).isEqualTo("c");
    }

    @Test
    void partitionRanges_splitAListingIntoPartsThatListEveryEntityOnce_quotesEscaped() {
        for (String pk : List.of("a", "b'q", "c", "d")) {
            plain.upsertEntity(new TableEntity(pk, "r"));
        }
        List<String> listed = new ArrayList<>();
        String[] cuts = {null, "b'q", "c", null};
        for (int i = 0; i + 1 < cuts.length; i++) {
            TableListing.list(plain, TableListing.partitionRange(null, cuts[i], cuts[i + 1]))
                .forEachRemaining(ref -> listed.add(ref.getPartitionKey()));
        }

        assertThat(listed).containsExactly("a", "b'q", "c", "d");
        assertThat(TableListing.partitionRange("X eq 1", "a'", null)).isEqualTo("(X eq 1) and PartitionKey ge 'a'''");
        assertThat(TableListing.partitionRange(" ", null, null)).isNull();
    }

    @Test
    void create_refusesRewrapWithoutAKeyAndUnencryptedEntities() {
        assertThatThrownBy(() -> TableFleetOperation.create(plain, FleetOptions.of(FleetAction.REWRAP),
            keys(new CountingKeys(), null))).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("key(keyEncryptionKey");
        assertThatThrownBy(() -> TableFleetOperation.create(plain, FleetOptions.builder(FleetAction.MIGRATE)
            .includeUnencrypted(true).build(), keys(new CountingKeys(), new CountingKeys())))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("EncryptionResolver");
    }
}
