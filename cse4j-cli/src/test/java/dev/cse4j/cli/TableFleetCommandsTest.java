package dev.cse4j.cli;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.data.tables.models.TableEntity;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.keys.JsonWebKeySet;
import dev.cse4j.table.EncryptedTableClient;
import dev.cse4j.table.EncryptedTableClientBuilder;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.KnownAnswerVector;
import dev.cse4j.testing.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cse4j table rewrap|migrate|query} as issue 11 states them: the JSON lines (partitionKey and rowKey instead
 * of name), the result spellings, exit codes by the most serious failure class, usage errors, human lines with
 * escaped keys and a summary. The entities: the legacy Java 8 SDK's 1.0 (a known-answer vector), cse4j's
 * {@code cse4j-t1}, unencrypted.
 */
@ExtendWith(AzuriteExtension.class)
class TableFleetCommandsTest {
    private static final String OLD = "local:kek1";
    private static final KnownAnswerVector V1 = Vectors.load(Vectors.JAVA8_LEGACY_SDK, "table-v1");

    private final Azurite azurite;
    private final String table = "fleet" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final TableClient plain;

    @TempDir
    Path folder;

    TableFleetCommandsTest(Azurite azurite) {
        this.azurite = azurite;
        this.plain = new TableServiceClientBuilder().connectionString(azurite.connectionString()).buildClient()
            .getTableClient(table);
    }

    private CliRun.Result cse4j(String... args) {
        return CliRun.run(CliRun.args(List.of(args), "--connection-string", azurite.connectionString()));
    }

    private CliRun.Result command(String command, String... more) {
        return cse4j(CliRun.args(List.of("table", command, "--table", table), more));
    }

    /** The vectors' key (id local:kek1) as a key file: every encrypted entity here starts under it. */
    private Path oldKey() {
        return KeyFiles.vectorKek(folder, Vectors.JAVA8_LEGACY_SDK);
    }

    private EncryptedTableClient client(Path key) {
        return new EncryptedTableClientBuilder().tableClient(plain).clientSideEncryptionOptions(
            ClientSideEncryptionOptions.builder().key(JsonWebKeySet.read(key).single().toKeyEncryptionKey(), "A256KW")
                .build()).encryptionResolver((pk, rk, name) -> name.equals("Secret")).buildEncryptedTableClient();
    }

    /** The Java 8 SDK's 1.0 entity (the vector, PartitionKey "pk é"), a cse4j-t1 entity "t1" and a plain "plain". */
    private String writeEntities(Path key) {
        plain.createTable();
        Map<String, Object> raw = V1.rawEntityProperties();
        TableEntity v1 = new TableEntity((String) raw.get("PartitionKey"), (String) raw.get("RowKey"));
        raw.forEach((name, value) -> {
            if (!name.equals("PartitionKey") && !name.equals("RowKey")) {
                v1.addProperty(name, value);
            }
        });
        plain.createEntity(v1);
        client(key).upsertEntity(new TableEntity("p", "t1").addProperty("Secret", "t1 secret")
            .addProperty("Public", "shown"));
        plain.upsertEntity(new TableEntity("p", "plain").addProperty("Public", "not encrypted"));
        return v1.getPartitionKey();
    }

    private static List<String> lines(String out) {
        return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
    }

    private static String line(String pk, String rk, String result, String from, String to, String reason) {
        return "{\"partitionKey\":\"" + pk + "\",\"rowKey\":\"" + rk + "\",\"result\":\"" + result + "\",\"from\":"
            + from + (to == null ? "" : ",\"to\":" + to) + ",\"reason\":"
            + (reason == null ? "null" : "\"" + reason + "\"") + "}";
    }

    private static String state(String protocol, String keyId) {
        return protocol == null ? "{\"protocol\":null,\"keyId\":null}"
            : "{\"protocol\":\"" + protocol + "\",\"keyId\":\"" + keyId + "\"}";
    }

    /** Every stored property but Timestamp and the metadata's first property, binary values comparable. */
    private Map<String, Object> sealed(String pk, String rk) {
        Map<String, Object> stored = new LinkedHashMap<>();
        plain.getEntity(pk, rk).getProperties().forEach((name, value) -> {
            if (!name.equals("Timestamp") && !name.equals("_ClientEncryptionMetadata1") && !name.startsWith("odata.")
                && !name.contains("@odata.")) {
                stored.put(name, value instanceof byte[] bytes ? Arrays.toString(bytes) : value);
            }
        });
        return stored;
    }

    @Test
    void migrate_json_turnsTheJava8V1EntityIntoCse4jT1_dryRunFirst_rerunSkips_andQueryReadsItWithoutAllowV1()
        throws IOException {
        Path oldKey = oldKey();
        String v1pk = writeEntities(oldKey);
        String v1rk = (String) V1.rawEntityProperties().get("RowKey");

        CliRun.Result dry = command("migrate", "--key", oldKey.toString(), "--dry-run", "--json");
        CliRun.Result migrated = command("migrate", "--key", oldKey.toString(), "--json");
        CliRun.Result again = command("migrate", "--key", oldKey.toString(), "--json");
        CliRun.Result query = command("query", "--key", oldKey.toString(), "--filter", "PartitionKey eq '" + v1pk
            + "'");

        String t1Done = line("p", "t1", "skipped", state("cse4j-t1", OLD), null, "already done");
        String plainSkipped = line("p", "plain", "skipped", state(null, null), null, "not encrypted");
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(lines(dry.out())).containsExactlyInAnyOrder(t1Done, plainSkipped,
            line(v1pk, v1rk, "would-migrate", state("1.0", OLD), state("cse4j-t1", OLD), null));
        assertThat(migrated.exitCode()).as(migrated.toString()).isZero();
        assertThat(lines(migrated.out())).containsExactlyInAnyOrder(t1Done, plainSkipped,
            line(v1pk, v1rk, "migrated", state("1.0", OLD), state("cse4j-t1", OLD), null));
        assertThat(lines(again.out())).containsExactlyInAnyOrder(t1Done, plainSkipped,
            line(v1pk, v1rk, "skipped", state("cse4j-t1", OLD), null, "already done"));
        assertThat(query.exitCode()).as(query.toString()).isZero();
        assertThat(TableCommandsTest.json(query.out())).containsEntry("Secret", "from j8 é")
            .containsEntry("Public", "visible").containsEntry("RowKey", v1rk);
    }

    @Test
    void rewrap_json_leavesSealedValuesIdentical_onlyTheNewKeyReads_andExitsWithTheMostSeriousFailure()
        throws IOException {
        Path oldKey = oldKey();
        Path newKey = KeyFiles.aes(folder, "kek2");
        String v1pk = writeEntities(oldKey);
        String v1rk = (String) V1.rawEntityProperties().get("RowKey");
        Map<String, Object> t1Before = sealed("p", "t1");
        Map<String, Object> v1Before = sealed(v1pk, v1rk);

        CliRun.Result dry = command("rewrap", "--key", oldKey.toString(), "--new-key", newKey.toString(),
            "--dry-run", "--json");
        CliRun.Result first = command("rewrap", "--key", oldKey.toString(), "--new-key", newKey.toString(), "--json");
        CliRun.Result again = command("rewrap", "--key", oldKey.toString(), "--new-key", newKey.toString(), "--json",
            "--filter", "PartitionKey eq 'p'");
        client(KeyFiles.aes(folder, "nobody-has-it")).upsertEntity(new TableEntity("q", "unknown")
            .addProperty("Secret", "x"));
        CliRun.Result keyNotFound = command("rewrap", "--key", oldKey.toString(), "--new-key", newKey.toString(),
            "--json");
        plain.upsertEntity(new TableEntity("q", "bad").addProperty("_ClientEncryptionMetadata1", "{\"x\":"));
        CliRun.Result integrity = command("rewrap", "--key", oldKey.toString(), "--new-key", newKey.toString(),
            "--json");

        String plainSkipped = line("p", "plain", "skipped", state(null, null), null, "not encrypted");
        assertThat(lines(dry.out())).containsExactlyInAnyOrder(plainSkipped,
            line("p", "t1", "would-rewrap", state("cse4j-t1", OLD), state("cse4j-t1", "kek2"), null),
            line(v1pk, v1rk, "would-rewrap", state("1.0", OLD), state("1.0", "kek2"), null));
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(lines(first.out())).containsExactlyInAnyOrder(plainSkipped,
            line("p", "t1", "rewrapped", state("cse4j-t1", OLD), state("cse4j-t1", "kek2"), null),
            line(v1pk, v1rk, "rewrapped", state("1.0", OLD), state("1.0", "kek2"), null));
        assertThat(lines(again.out())).containsExactlyInAnyOrder(plainSkipped,
            line("p", "t1", "skipped", state("cse4j-t1", "kek2"), null, "already done"));
        assertThat(sealed("p", "t1")).isEqualTo(t1Before);
        assertThat(sealed(v1pk, v1rk)).isEqualTo(v1Before);
        assertThat(EncryptionData.parse((String) plain.getEntity("p", "t1").getProperty("_ClientEncryptionMetadata1"))
            .wrappedContentKey().keyId()).isEqualTo("kek2");
        CliRun.Result oldReads = command("query", "--key", oldKey.toString(), "--filter", "RowKey eq 't1'");
        CliRun.Result newReads = command("query", "--key", newKey.toString(), "--filter", "RowKey eq 't1'");
        assertThat(oldReads.exitCode()).as(oldReads.toString()).isEqualTo(4);
        assertThat(TableCommandsTest.json(newReads.out())).containsEntry("Secret", "t1 secret");
        assertThat(keyNotFound.exitCode()).as(keyNotFound.toString()).isEqualTo(4);
        assertThat(lines(keyNotFound.out())).filteredOn(l -> l.contains("\"failed\"")).singleElement().asString()
            .startsWith("{\"partitionKey\":\"q\",\"rowKey\":\"unknown\",\"result\":\"failed\",\"from\":{\"protocol\":"
                + "\"cse4j-t1\",\"keyId\":\"nobody-has-it\"},\"reason\":\"").contains("nobody-has-it");
        assertThat(integrity.exitCode()).as(integrity.toString()).isEqualTo(3);
        assertThat(lines(integrity.out())).anySatisfy(l -> assertThat(l).startsWith("{\"partitionKey\":\"q\","
            + "\"rowKey\":\"bad\",\"result\":\"failed\",\"from\":{\"protocol\":null,\"keyId\":null},\"reason\":\""));
    }

    @Test
    void query_printsOneDecryptedEntityPerLine_selectsAndFilters_andRefusesV1WithoutAllowV1() throws IOException {
        Path key = oldKey();
        String v1pk = writeEntities(key);
        client(key).upsertEntity(new TableEntity("p", "t2").addProperty("Secret", "second").addProperty("N", 2));

        CliRun.Result both = command("query", "--key", key.toString(), "--filter", "PartitionKey eq 'p' and "
            + "RowKey ge 't'", "--select", "RowKey,Secret");
        CliRun.Result v1 = command("query", "--key", key.toString(), "--filter", "PartitionKey eq '" + v1pk + "'");
        CliRun.Result v1Allowed = command("query", "--key", key.toString(), "--allow-v1", "--filter",
            "PartitionKey eq '" + v1pk + "'");
        CliRun.Result all = command("query", "--key", key.toString(), "--allow-v1");

        assertThat(both.exitCode()).as(both.toString()).isZero();
        List<String> selected = lines(both.out());
        assertThat(selected).hasSize(2);
        assertThat(TableCommandsTest.json(selected.get(0))).containsEntry("RowKey", "t1")
            .containsEntry("Secret", "t1 secret").doesNotContainKeys("PartitionKey", "Public");
        assertThat(TableCommandsTest.json(selected.get(1))).containsEntry("RowKey", "t2")
            .containsEntry("Secret", "second").doesNotContainKeys("PartitionKey", "N");
        assertThat(v1.exitCode()).as(v1.toString()).isEqualTo(5);
        assertThat(v1.out()).isEmpty();
        assertThat(v1.err()).contains("--allow-v1");
        assertThat(TableCommandsTest.json(v1Allowed.out())).containsEntry("Secret", "from j8 é");
        assertThat(all.exitCode()).as(all.toString()).isEqualTo(5);
        assertThat(all.err()).contains("not encrypted");
    }

    @Test
    void humanOutput_aLinePerEntityWithKeysEscaped_andASummary() {
        Path key = oldKey();
        Path newKey = KeyFiles.aes(folder, "kek2");
        writeEntities(key);
        client(key).upsertEntity(new TableEntity("evil[2J\u202e", "r").addProperty("Secret", "x"));

        CliRun.Result rewrap = command("rewrap", "--key", key.toString(), "--new-key", newKey.toString());

        assertThat(rewrap.exitCode()).as(rewrap.toString()).isZero();
        assertThat(rewrap.err()).isEmpty();
        List<String> out = lines(rewrap.out());
        assertThat(out).contains("rewrapped     (p, t1): cse4j-t1 key 'local:kek1' -> cse4j-t1 key 'kek2'",
            "rewrapped     (evil[2J\\u{202e}, r): cse4j-t1 key 'local:kek1' -> cse4j-t1 key 'kek2'",
            "skipped       (p, plain) (not encrypted)");
        assertThat(out.get(out.size() - 1)).isEqualTo("4 entities: 3 rewrapped, 1 skipped");
        assertThat(rewrap.out()).doesNotContain("\u202e");
    }

    @Test
    void usageErrorsAndAMissingTable_exit2Or1() {
        Path key = oldKey();

        CliRun.Result noNewKey = command("rewrap", "--key", key.toString());
        CliRun.Result idWithoutKey = command("migrate", "--key", key.toString(), "--new-key-id", "x");
        CliRun.Result concurrency = command("migrate", "--key", key.toString(), "--concurrency", "2");
        CliRun.Result noTable = command("migrate", "--key", key.toString());
        CliRun.Result noTableQuery = command("query", "--key", key.toString());

        assertThat(List.of(noNewKey, idWithoutKey, concurrency)).allSatisfy(r ->
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2));
        assertThat(noNewKey.err()).contains("--new-key");
        assertThat(idWithoutKey.err()).contains("--new-key-id needs --new-key");
        assertThat(List.of(noTable, noTableQuery)).allSatisfy(r -> {
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).contains("Table '" + table + "' does not exist");
        });
    }
}
