package dev.cse4j.cli;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.data.tables.models.TableEntity;
import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.keys.JsonWebKey;
import dev.cse4j.keys.JsonWebKeySet;
import dev.cse4j.table.EncryptedString;
import dev.cse4j.table.EncryptedTableClient;
import dev.cse4j.table.EncryptedTableClientBuilder;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.KnownAnswerVector;
import dev.cse4j.testing.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(AzuriteExtension.class)
class TableCommandsTest {
    private final Azurite azurite;
    private final String table = "cli" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final TableClient plain;

    @TempDir
    Path folder;

    TableCommandsTest(Azurite azurite) {
        this.azurite = azurite;
        this.plain = new TableServiceClientBuilder().connectionString(azurite.connectionString()).buildClient()
            .getTableClient(table);
    }

    private CliRun.Result cse4j(String... args) {
        return CliRun.run(CliRun.args(List.of(args), "--connection-string", azurite.connectionString()));
    }

    private CliRun.Result put(String pk, String rk, Path key, String... more) {
        return cse4j(CliRun.args(List.of("table", "put", "--table", table, "--partition-key", pk, "--row-key", rk,
            "--key", key.toString()), more));
    }

    private CliRun.Result get(String pk, String rk, Path key, String... more) {
        return cse4j(CliRun.args(List.of("table", "get", "--table", table, "--partition-key", pk, "--row-key", rk,
            "--key", key.toString()), more));
    }

    static Map<String, Object> json(String text) throws IOException {
        try (JsonReader reader = JsonProviders.createReader(text)) {
            return reader.readMap(JsonReader::readUntyped);
        }
    }

    @Test
    void put_withoutEncrypt_encryptsEverySetProperty_andGetPrintsTheDecryptedEntityAsOneJsonObject()
        throws IOException {
        Path key = KeyFiles.aes(folder, "t-key");

        CliRun.Result stored = put("p1", "r1", key, "--set", "Name=Ada Lovelace", "--set", "Note=a=b, ünïcødé",
            "--set", "Empty=");
        CliRun.Result read = get("p1", "r1", key);

        assertThat(stored.exitCode()).as(stored.toString()).isZero();
        assertThat(stored.out()).contains("encrypted Name, Note, Empty");
        TableEntity raw = plain.getEntity("p1", "r1");
        assertThat(raw.getProperty("Name")).isInstanceOf(byte[].class);
        assertThat(raw.getProperty("Note")).isInstanceOf(byte[].class);
        assertThat(raw.getProperty("_ClientEncryptionMetadata1")).asString().contains("t-key");
        assertThat(read.exitCode()).as(read.toString()).isZero();
        assertThat(read.out()).endsWith("}\n").doesNotContain("_ClientEncryptionMetadata");
        assertThat(read.out().strip()).doesNotContain("\n");
        Map<String, Object> entity = json(read.out());
        assertThat(entity).containsEntry("PartitionKey", "p1").containsEntry("RowKey", "r1")
            .containsEntry("Name", "Ada Lovelace").containsEntry("Note", "a=b, ünïcødé").containsEntry("Empty", "")
            .containsKey("Timestamp");
        assertThat(OffsetDateTime.parse((String) entity.get("Timestamp")).getOffset()).isEqualTo(ZoneOffset.UTC);
        assertThat(List.copyOf(entity.keySet()).subList(0, 3)).containsExactly("PartitionKey", "RowKey",
            "Timestamp");
    }

    @Test
    void put_encryptList_encryptsOnlyThoseAndStoresTheOthersAsPlainStrings() throws IOException {
        Path key = KeyFiles.rsa(folder, "rsa-t");

        CliRun.Result stored = put("p", "r", key, "--set", "Secret=s", "--set", "Pin=1234", "--set", "Public=visible",
            "--encrypt", "Secret,Pin");
        CliRun.Result read = get("p", "r", key);

        assertThat(stored.exitCode()).as(stored.toString()).isZero();
        TableEntity raw = plain.getEntity("p", "r");
        assertThat(raw.getProperty("Secret")).isInstanceOf(byte[].class);
        assertThat(raw.getProperty("Pin")).isInstanceOf(byte[].class);
        assertThat(raw.getProperty("Public")).isEqualTo("visible");
        assertThat(raw.getProperty("_ClientEncryptionMetadata1")).asString().contains("RSA-OAEP-256");
        assertThat(json(read.out())).containsEntry("Secret", "s").containsEntry("Pin", "1234")
            .containsEntry("Public", "visible");
    }

    @Test
    void put_replacesAnExistingEntityWhole() throws IOException {
        Path key = KeyFiles.aes(folder, "k");
        put("p", "r", key, "--set", "Old=1", "--set", "Kept=1");

        put("p", "r", key, "--set", "Kept=2");

        assertThat(json(get("p", "r", key).out())).doesNotContainKey("Old").containsEntry("Kept", "2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"_ClientEncryptionMetadata1", "_ClientEncryptionMetadata2"})
    void put_reservedPropertyName_isAUsageError_andCreatesNothing(String reserved) {
        CliRun.Result result = put("p", "r", KeyFiles.aes(folder, "k"), "--set", reserved + "=x", "--set", "A=b");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString().contains(reserved, "reserved");
        assertThat(new TableServiceClientBuilder().connectionString(azurite.connectionString()).buildClient()
            .listTables().stream().map(t -> t.getName())).doesNotContain(table);
    }

    @Test
    void put_keySetWithKeyId_andWrapAlgorithm() throws IOException {
        Path set = KeyFiles.set(folder, "set.jwks", JsonWebKey.generateAes(256, "a"),
            KeyFiles.withoutAlg(JsonWebKey.generateRsa(2048, "b")));

        CliRun.Result stored = put("p", "r", set, "--key-id", "b", "--wrap-algorithm", "RSA-OAEP", "--set", "S=x");
        CliRun.Result read = get("p", "r", set);

        assertThat(stored.exitCode()).as(stored.toString()).isZero();
        assertThat(plain.getEntity("p", "r").getProperty("_ClientEncryptionMetadata1")).asString()
            .contains("\"KeyId\":\"b\"", "\"Algorithm\":\"RSA-OAEP\"");
        assertThat(json(read.out())).containsEntry("S", "x");
    }

    @Test
    void put_legacyV1_writesProtocol10_whichGetRefusesWithExit5_andReadsWithAllowV1() throws IOException {
        Path key = KeyFiles.aes(folder, "k");

        CliRun.Result stored = put("p", "r", key, "--legacy-v1", "--set", "Secret=old format");
        CliRun.Result refused = get("p", "r", key);
        CliRun.Result allowed = get("p", "r", key, "--allow-v1");

        assertThat(stored.exitCode()).as(stored.toString()).isZero();
        assertThat(plain.getEntity("p", "r").getProperty("_ClientEncryptionMetadata1")).asString()
            .contains("\"Protocol\":\"1.0\"");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(5);
        assertThat(refused.errLines()).singleElement().asString().contains("--allow-v1")
            .doesNotContain("allowUnauthenticatedV1Reads");
        assertThat(refused.out()).isEmpty();
        assertThat(allowed.exitCode()).as(allowed.toString()).isZero();
        assertThat(json(allowed.out())).containsEntry("Secret", "old format");
    }

    @Test
    void get_legacyV1EntityFromTheJava8Sdk_withAllowV1() throws IOException {
        KnownAnswerVector vector = Vectors.load(Vectors.JAVA8_LEGACY_SDK, "table-v1");
        plain.createTable();
        Map<String, Object> raw = vector.rawEntityProperties();
        TableEntity entity = new TableEntity((String) raw.get("PartitionKey"), (String) raw.get("RowKey"));
        raw.forEach((name, value) -> {
            if (!name.equals("PartitionKey") && !name.equals("RowKey")) {
                entity.addProperty(name, value);
            }
        });
        plain.createEntity(entity);

        CliRun.Result read = get(entity.getPartitionKey(), entity.getRowKey(),
            KeyFiles.vectorKek(folder, Vectors.JAVA8_LEGACY_SDK), "--allow-v1");

        assertThat(read.exitCode()).as(read.toString()).isZero();
        assertThat(json(read.out())).containsEntry("Secret", "from j8 é").containsEntry("Public", "visible");
    }

    @Test
    void get_nonStringProperties_appearAsDocumented() throws IOException {
        Path key = KeyFiles.aes(folder, "k");
        EncryptedTableClient client = new EncryptedTableClientBuilder().connectionString(azurite.connectionString())
            .tableName(table).clientSideEncryptionOptions(ClientSideEncryptionOptions.builder()
                .key(JsonWebKeySet.read(key).single().toKeyEncryptionKey(), "A256KW").build())
            .buildEncryptedTableClient();
        client.createTable();
        client.upsertEntity(new TableEntity("p", "types").addProperty("Secret", EncryptedString.of("s"))
            .addProperty("Int", 42).addProperty("Long", 1L << 40).addProperty("Double", 1.5)
            .addProperty("Bool", true).addProperty("When", OffsetDateTime.parse("2024-01-02T03:04:05Z"))
            .addProperty("Bytes", new byte[] {1, 2, 3}).addProperty("Guid",
                UUID.fromString("12345678-1234-1234-1234-123456789abc")));

        CliRun.Result read = get("p", "types", key);

        assertThat(read.exitCode()).as(read.toString()).isZero();
        assertThat(read.out()).contains("\"Int\":42", "\"Long\":1099511627776", "\"Double\":1.5", "\"Bool\":true",
            "\"When\":\"2024-01-02T03:04:05Z\"", "\"Bytes\":\"AQID\"",
            "\"Guid\":\"12345678-1234-1234-1234-123456789abc\"", "\"Secret\":\"s\"");
    }

    @Test
    void get_unknownKey_exits4_tamperedOrMovedValue_exits3_unencrypted_exits5() {
        Path key = KeyFiles.aes(folder, "writer");
        put("p", "r", key, "--set", "Secret=abc");
        plain.createEntity(new TableEntity("p", "plain").addProperty("Public", "x"));
        TableEntity stored = plain.getEntity("p", "r");
        byte[] flipped = ((byte[]) stored.getProperty("Secret")).clone();
        flipped[0] ^= 1;
        plain.createEntity(copyOf(stored, "flipped").addProperty("Secret", flipped));
        plain.createEntity(copyOf(stored, "moved"));

        CliRun.Result unknown = get("p", "r", KeyFiles.aes(folder, "reader"));
        CliRun.Result modified = get("p", "flipped", key);
        CliRun.Result moved = get("p", "moved", key);
        CliRun.Result unencrypted = get("p", "plain", key);

        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(4);
        assertThat(unknown.err()).contains("'writer'", "reader.jwk");
        assertThat(modified.exitCode()).as(modified.toString()).isEqualTo(3);
        assertThat(moved.exitCode()).as(moved.toString()).isEqualTo(3);
        assertThat(unencrypted.exitCode()).as(unencrypted.toString()).isEqualTo(5);
        for (CliRun.Result result : List.of(unknown, modified, moved, unencrypted)) {
            assertThat(result.out()).isEmpty();
            assertThat(result.errLines()).hasSize(1);
        }
    }

    /** The stored properties of {@code entity} (encrypted values and metadata as stored) under another RowKey. */
    private static TableEntity copyOf(TableEntity entity, String rowKey) {
        TableEntity copy = new TableEntity(entity.getPartitionKey(), rowKey);
        entity.getProperties().forEach((name, value) -> {
            if (!List.of("PartitionKey", "RowKey", "Timestamp").contains(name) && !name.startsWith("odata.")) {
                copy.addProperty(name, value);
            }
        });
        return copy;
    }

    @Test
    void get_missingEntityOrTable_exits1WithAClearMessage() {
        Path key = KeyFiles.aes(folder, "k");

        CliRun.Result noTable = get("p", "r", key);
        plain.createTable();
        CliRun.Result noEntity = get("p", "r", key);

        assertThat(noTable.exitCode()).isEqualTo(1);
        assertThat(noTable.errLines()).singleElement().asString().contains("'" + table + "'");
        assertThat(noEntity.exitCode()).isEqualTo(1);
        assertThat(noEntity.errLines()).singleElement().asString().contains("no entity", "'p'", "'r'");
    }
}
