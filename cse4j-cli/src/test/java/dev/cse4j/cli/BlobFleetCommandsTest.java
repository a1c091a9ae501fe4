package dev.cse4j.cli;

import com.azure.core.util.BinaryData;
import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.json.JsonToken;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import dev.cse4j.blob.EncryptedBlobClient;
import dev.cse4j.blob.EncryptedBlobClientBuilder;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.keys.JsonWebKeySet;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.KnownAnswerVector;
import dev.cse4j.testing.TestData;
import dev.cse4j.testing.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cse4j blob list|rewrap|migrate|verify} as issue 11 states them: the JSON lines and their fields, the result
 * spellings, exit codes by the most serious failure class, usage errors, human lines with escaped names and a summary.
 * The blobs: cse4j's 2.0 and 2.1, the legacy Java 8 SDK's 1.0 (a known-answer vector), unencrypted, malformed.
 */
@ExtendWith(AzuriteExtension.class)
class BlobFleetCommandsTest {
    private static final String OLD = "local:kek1";
    private static final byte[] DATA_20 = TestData.random(5, 1);
    private static final byte[] DATA_21 = TestData.random(100, 2);
    private static final KnownAnswerVector V1 = Vectors.load(Vectors.JAVA8_LEGACY_SDK, "blob-v1-17bytes");

    private final Azurite azurite;
    private final String container = "fleet-" + UUID.randomUUID().toString().substring(0, 8);
    private final BlobContainerClient plain;

    @TempDir
    Path folder;

    BlobFleetCommandsTest(Azurite azurite) {
        this.azurite = azurite;
        this.plain = new BlobServiceClientBuilder().connectionString(azurite.connectionString()).buildClient()
            .getBlobContainerClient(container);
    }

    private CliRun.Result cse4j(String... args) {
        return CliRun.run(CliRun.args(List.of(args), "--connection-string", azurite.connectionString()));
    }

    private CliRun.Result fleet(String command, String... more) {
        return cse4j(CliRun.args(List.of("blob", command, "--container", container), more));
    }

    /** The vectors' key (id local:kek1) as a key file: every encrypted blob here starts under it. */
    private Path oldKey() {
        return KeyFiles.vectorKek(folder, Vectors.JAVA8_LEGACY_SDK);
    }

    private EncryptedBlobClient client(String name, Path key, EncryptionProtocol protocol) {
        ClientSideEncryptionOptions.Builder options = ClientSideEncryptionOptions.builder()
            .key(JsonWebKeySet.read(key).single().toKeyEncryptionKey(), "A256KW").blobProtocol(protocol)
            .allowUnauthenticatedV1Reads(true);
        if (protocol == EncryptionProtocol.V2_1) {
            options.blobRegionLength(16);
        }
        return new EncryptedBlobClientBuilder().blobClient(plain.getBlobClient(name))
            .clientSideEncryptionOptions(options.build()).buildEncryptedBlobClient();
    }

    /** enc20 (cse4j 2.0, 5 bytes), enc21 (cse4j 2.1, 16-byte regions, 100 bytes), v1 (Java 8 SDK), plain. */
    private void writeBlobs(Path key) {
        plain.create();
        client("enc20", key, EncryptionProtocol.V2_0).upload(BinaryData.fromBytes(DATA_20));
        client("enc21", key, EncryptionProtocol.V2_1).upload(BinaryData.fromBytes(DATA_21));
        plain.getBlobClient("v1").uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromBytes(
            V1.rawBytes())).setMetadata(V1.metadata()), null, null);
        plain.getBlobClient("plain").upload(BinaryData.fromString("abc"));
    }

    private void writeMalformed(String name) {
        plain.getBlobClient(name).uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromString("x"))
            .setMetadata(Map.of("encryptiondata", "{\"EncryptionAgent\":")), null, null);
    }

    private static List<String> lines(String out) {
        return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
    }

    private static String line(String name, String result, String from, String to, String reason) {
        return "{\"name\":\"" + name + "\",\"result\":\"" + result + "\",\"from\":" + from
            + (to == null ? "" : ",\"to\":" + to) + ",\"reason\":" + (reason == null ? "null" : "\"" + reason + "\"")
            + "}";
    }

    private static String state(String protocol, String keyId) {
        return protocol == null ? "{\"protocol\":null,\"keyId\":null}"
            : "{\"protocol\":\"" + protocol + "\",\"keyId\":\"" + keyId + "\"}";
    }

    private String keyId(String name) {
        return EncryptionData.parse(plain.getBlobClient(name).getProperties().getMetadata().get("encryptiondata"))
            .wrappedContentKey().keyId();
    }

    @Test
    void list_json_oneObjectPerBlobWithExactlyTheIssuesFields_andHumanLinesEndWithTheInventory() {
        writeBlobs(oldKey());
        writeMalformed("bad");

        CliRun.Result json = fleet("list", "--json");
        CliRun.Result human = fleet("list");
        CliRun.Result prefixed = fleet("list", "--prefix", "enc", "--json");

        assertThat(json.exitCode()).as(json.toString()).isZero();
        assertThat(json.err()).isEmpty();
        List<String> listed = lines(json.out());
        assertThat(listed).hasSize(5);
        assertThat(listed.get(0)).startsWith("{\"name\":\"bad\",\"encrypted\":true,\"protocol\":null,\"keyId\":null,"
            + "\"size\":null,\"error\":\"").endsWith("\"}");
        assertThat(listed.subList(1, 5)).containsExactly(
            "{\"name\":\"enc20\",\"encrypted\":true,\"protocol\":\"2.0\",\"keyId\":\"local:kek1\",\"size\":5}",
            "{\"name\":\"enc21\",\"encrypted\":true,\"protocol\":\"2.1\",\"keyId\":\"local:kek1\",\"size\":100}",
            "{\"name\":\"plain\",\"encrypted\":false,\"protocol\":null,\"keyId\":null,\"size\":3}",
            "{\"name\":\"v1\",\"encrypted\":true,\"protocol\":\"1.0\",\"keyId\":\"local:kek1\",\"size\":null}");
        assertThat(lines(prefixed.out())).hasSize(2).allMatch(l -> l.startsWith("{\"name\":\"enc"));
        assertThat(human.exitCode()).isZero();
        assertThat(lines(human.out())).contains("enc20: encrypted, protocol 2.0, key 'local:kek1', 5 bytes",
            "plain: not encrypted, 3 bytes", "v1: encrypted, protocol 1.0, key 'local:kek1', size unknown")
            .last().isEqualTo("5 blobs: 1 protocol 1.0 key 'local:kek1', 1 protocol 2.0 key 'local:kek1', "
                + "1 protocol 2.1 key 'local:kek1', 1 not encrypted, 1 with malformed encryption metadata");
    }

    @Test
    void rewrap_json_rewrapsEveryProtocol_skipsWithReasons_andARerunFindsItAllDone() throws Exception {
        Path oldKey = oldKey();
        Path newKey = KeyFiles.aes(folder, "kek2");
        writeBlobs(oldKey);
        byte[] stored21 = plain.getBlobClient("enc21").downloadContent().toBytes();

        CliRun.Result dry = fleet("rewrap", "--key", oldKey.toString(), "--new-key", newKey.toString(), "--dry-run",
            "--json");
        CliRun.Result first = fleet("rewrap", "--key", oldKey.toString(), "--new-key", newKey.toString(), "--json",
            "--concurrency", "2");
        CliRun.Result again = fleet("rewrap", "--key", oldKey.toString(), "--new-key", newKey.toString(), "--json");

        String notEncrypted = line("plain", "skipped", state(null, null), null, "not encrypted");
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(lines(dry.out())).containsExactlyInAnyOrder(
            line("enc20", "would-rewrap", state("2.0", OLD), state("2.0", "kek2"), null),
            line("enc21", "would-rewrap", state("2.1", OLD), state("2.1", "kek2"), null),
            line("v1", "would-rewrap", state("1.0", OLD), state("1.0", "kek2"), null), notEncrypted);
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.err()).isEmpty();
        assertThat(lines(first.out())).containsExactlyInAnyOrder(
            line("enc20", "rewrapped", state("2.0", OLD), state("2.0", "kek2"), null),
            line("enc21", "rewrapped", state("2.1", OLD), state("2.1", "kek2"), null),
            line("v1", "rewrapped", state("1.0", OLD), state("1.0", "kek2"), null), notEncrypted);
        assertThat(lines(again.out())).containsExactlyInAnyOrder(
            line("enc20", "skipped", state("2.0", "kek2"), null, "already done"),
            line("enc21", "skipped", state("2.1", "kek2"), null, "already done"),
            line("v1", "skipped", state("1.0", "kek2"), null, "already done"), notEncrypted);
        assertThat(plain.getBlobClient("enc21").downloadContent().toBytes()).isEqualTo(stored21);
        assertThat(client("enc21", newKey, EncryptionProtocol.V2_0).downloadContent().toBytes()).isEqualTo(DATA_21);
        assertThat(client("v1", newKey, EncryptionProtocol.V2_0).downloadContent().toBytes())
            .isEqualTo(V1.plaintext());
    }

    @Test
    void rewrap_exitCodeIsThatOfTheMostSeriousFailure_andOneNamedBlobIsRewrappedAlone() {
        Path oldKey = oldKey();
        Path newKey = KeyFiles.aes(folder, "kek2");
        writeBlobs(oldKey);
        client("unknown", KeyFiles.aes(folder, "nobody-has-it"), EncryptionProtocol.V2_0)
            .upload(BinaryData.fromString("x"));

        CliRun.Result one = fleet("rewrap", "--name", "enc20", "--key", oldKey.toString(), "--new-key",
            newKey.toString(), "--json");
        CliRun.Result keyNotFound = fleet("rewrap", "--key", oldKey.toString(), "--new-key", newKey.toString(),
            "--json");
        writeMalformed("bad");
        CliRun.Result integrity = fleet("rewrap", "--key", oldKey.toString(), "--new-key", newKey.toString(),
            "--json");

        assertThat(lines(one.out())).containsExactly(line("enc20", "rewrapped", state("2.0", OLD),
            state("2.0", "kek2"), null));
        assertThat(keyId("enc21")).isEqualTo("kek2");
        assertThat(keyNotFound.exitCode()).as(keyNotFound.toString()).isEqualTo(4);
        assertThat(lines(keyNotFound.out())).filteredOn(l -> l.contains("\"failed\"")).singleElement().asString()
            .startsWith("{\"name\":\"unknown\",\"result\":\"failed\",\"from\":{\"protocol\":\"2.0\",\"keyId\":"
                + "\"nobody-has-it\"},\"reason\":\"").contains("nobody-has-it");
        assertThat(integrity.exitCode()).as(integrity.toString()).isEqualTo(3);
        assertThat(lines(integrity.out())).anySatisfy(l -> assertThat(l).startsWith("{\"name\":\"bad\",\"result\":"
            + "\"failed\",\"from\":{\"protocol\":null,\"keyId\":null},\"reason\":\"Malformed encryption metadata"));
    }

    @Test
    void migrate_json_reencryptsV1AndV21As20_readableWithTheSameKey_andIncludeUnencryptedNeedsANewKey() {
        Path oldKey = oldKey();
        writeBlobs(oldKey);

        CliRun.Result usage = fleet("migrate", "--key", oldKey.toString(), "--include-unencrypted");
        CliRun.Result dry = fleet("migrate", "--key", oldKey.toString(), "--json", "--dry-run");
        CliRun.Result migrated = fleet("migrate", "--key", oldKey.toString(), "--json");

        assertThat(usage.exitCode()).as(usage.toString()).isEqualTo(2);
        assertThat(usage.err()).contains("--include-unencrypted needs --new-key");
        assertThat(lines(dry.out())).contains(line("v1", "would-migrate", state("1.0", OLD), state("2.0", OLD), null));
        assertThat(migrated.exitCode()).as(migrated.toString()).isZero();
        assertThat(lines(migrated.out())).containsExactlyInAnyOrder(
            line("enc20", "skipped", state("2.0", OLD), null, "already done"),
            line("enc21", "migrated", state("2.1", OLD), state("2.0", OLD), null),
            line("v1", "migrated", state("1.0", OLD), state("2.0", OLD), null),
            line("plain", "skipped", state(null, null), null, "not encrypted"));
        EncryptedBlobClient reader = client("v1", oldKey, EncryptionProtocol.V2_0);
        assertThat(reader.getProperties().getProtocol()).isEqualTo(EncryptionProtocol.V2_0);
        assertThat(reader.downloadContent().toBytes()).isEqualTo(V1.plaintext());
        assertThat(client("enc21", oldKey, EncryptionProtocol.V2_0).downloadContent().toBytes()).isEqualTo(DATA_21);
    }

    @Test
    void migrate_withNewKeyAndIncludeUnencrypted_encryptsEverythingUnderTheNewKey() {
        Path oldKey = oldKey();
        Path newKey = KeyFiles.aes(folder, "kek2");
        writeBlobs(oldKey);

        CliRun.Result migrated = fleet("migrate", "--key", oldKey.toString(), "--new-key", newKey.toString(),
            "--include-unencrypted", "--json");

        assertThat(migrated.exitCode()).as(migrated.toString()).isZero();
        assertThat(lines(migrated.out())).hasSize(4).allSatisfy(l -> assertThat(l).contains("\"result\":\"migrated\"",
            "\"to\":{\"protocol\":\"2.0\",\"keyId\":\"kek2\"}"));
        assertThat(client("plain", newKey, EncryptionProtocol.V2_0).downloadContent().toString()).isEqualTo("abc");
        assertThat(keyId("enc20")).isEqualTo("kek2");
    }

    @Test
    void verify_findsTheTamperedBlob_refusesV1WithoutAllowV1ByPolicy_andExitsWithTheMostSerious() {
        Path oldKey = oldKey();
        writeBlobs(oldKey);

        CliRun.Result v1Only = fleet("verify", "--name", "v1", "--key", oldKey.toString(), "--json");
        CliRun.Result allowed = fleet("verify", "--prefix", "v", "--key", oldKey.toString(), "--allow-v1", "--json");
        byte[] stored = plain.getBlobClient("enc21").downloadContent().toBytes();
        stored[50] ^= 1;
        Map<String, String> metadata = new HashMap<>(plain.getBlobClient("enc21").getProperties().getMetadata());
        plain.getBlobClient("enc21").uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromBytes(stored))
            .setMetadata(metadata), null, null);
        CliRun.Result all = fleet("verify", "--key", oldKey.toString(), "--json");

        assertThat(v1Only.exitCode()).as(v1Only.toString()).isEqualTo(5);
        assertThat(lines(v1Only.out())).singleElement().asString().startsWith("{\"name\":\"v1\",\"result\":\"failed\","
            + "\"from\":{\"protocol\":\"1.0\",\"keyId\":\"local:kek1\"},\"reason\":\"");
        assertThat(allowed.exitCode()).as(allowed.toString()).isZero();
        assertThat(lines(allowed.out())).singleElement().asString().startsWith("{\"name\":\"v1\",\"result\":"
            + "\"verified\",\"from\":{\"protocol\":\"1.0\",\"keyId\":\"local:kek1\"},\"reason\":\"protocol 1.0 is not "
            + "authenticated");
        assertThat(all.exitCode()).as(all.toString()).isEqualTo(3);
        assertThat(lines(all.out())).contains(line("enc20", "verified", state("2.0", OLD), null, null))
            .anySatisfy(l -> assertThat(l).startsWith("{\"name\":\"enc21\",\"result\":\"failed\""))
            .anySatisfy(l -> assertThat(l).startsWith("{\"name\":\"plain\",\"result\":\"failed\""));
    }

    @Test
    void humanOutput_aLinePerBlobWithNamesEscaped_aSummary_andTheHintForV1() {
        Path oldKey = oldKey();
        writeBlobs(oldKey);
        client("evil\u007f[2J\u202e", oldKey, EncryptionProtocol.V2_0).upload(BinaryData.fromString("x"));

        CliRun.Result verify = fleet("verify", "--key", oldKey.toString());
        CliRun.Result terminal = CliRun.run(Map.of(), true, "blob", "verify", "--container", container, "--key",
            oldKey.toString(), "--connection-string", azurite.connectionString());

        assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(5);
        assertThat(verify.err()).isEmpty();
        List<String> out = lines(verify.out());
        assertThat(out).contains("verified      enc20: 2.0 key 'local:kek1'",
            "verified      evil\\x7f[2J\\u{202e}: 2.0 key 'local:kek1'")
            .anySatisfy(l -> assertThat(l).startsWith("failed        v1: 1.0 key 'local:kek1' ("))
            .anySatisfy(l -> assertThat(l).startsWith("failed        plain (").contains("not encrypted"));
        assertThat(out.get(out.size() - 2)).isEqualTo("5 blobs: 3 verified, 2 failed (2 policy)");
        assertThat(out.get(out.size() - 1)).startsWith("1 blob uses legacy protocol 1.0").contains("--allow-v1");
        assertThat(verify.out()).doesNotContain("\u007f", "\u202e");
        assertThat(lines(terminal.out())).containsExactlyInAnyOrderElementsOf(out);
        assertThat(terminal.err()).contains("\r").doesNotContain("\n");
    }

    @Test
    void jsonLines_writeCharactersThatControlATerminalAsJsonEscapes_meaningTheSameName() throws IOException {
        Path oldKey = oldKey();
        plain.create();
        String evil = "evil\u009b2J\u007f\u202e\u2028";
        client(evil, oldKey, EncryptionProtocol.V2_0).upload(BinaryData.fromString("x"));

        CliRun.Result list = fleet("list", "--json");
        CliRun.Result verify = fleet("verify", "--key", oldKey.toString(), "--json");

        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(list.out()).startsWith("{\"name\":\"evil\\u009b2J\\u007f\\u202e\\u2028\",\"encrypted\":true,");
        assertThat(verify.out()).isEqualTo(line("evil\\u009b2J\\u007f\\u202e\\u2028", "verified",
            state("2.0", OLD), null, null) + "\n");
        assertThat(list.out() + verify.out()).doesNotContain("\u009b", "\u007f", "\u202e", "\u2028");
        try (JsonReader json = JsonProviders.createReader(list.out().strip())) {
            String listed = json.readObject(reader -> {
                String name = null;
                while (reader.nextToken() != JsonToken.END_OBJECT) {
                    String field = reader.getFieldName();
                    reader.nextToken();
                    if (field.equals("name")) {
                        name = reader.getString();
                    } else {
                        reader.skipChildren();
                    }
                }
                return name;
            });
            assertThat(listed).isEqualTo(evil);
        }
    }

    @Test
    void usageErrorsAndMissingThings_exit2Or1() {
        Path key = oldKey();
        plain.create();

        List<CliRun.Result> usage = new ArrayList<>();
        usage.add(fleet("verify", "--key", key.toString(), "--name", "a", "--prefix", "b"));
        usage.add(fleet("rewrap", "--key", key.toString()));
        usage.add(fleet("verify", "--key", key.toString(), "--concurrency", "0"));
        usage.add(fleet("migrate", "--key", key.toString(), "--new-key-id", "x"));
        usage.add(fleet("verify", "--key", key.toString(), "--dry-run"));
        CliRun.Result noBlob = fleet("verify", "--key", key.toString(), "--name", "missing");
        CliRun.Result noContainer = cse4j("blob", "list", "--container", "no-such-" + container);

        assertThat(usage).allSatisfy(r -> assertThat(r.exitCode()).as(r.toString()).isEqualTo(2));
        assertThat(usage.get(0).err()).contains("--name", "--prefix", "mutually exclusive");
        assertThat(usage.get(1).err()).contains("--new-key");
        assertThat(noBlob.exitCode()).as(noBlob.toString()).isEqualTo(1);
        assertThat(noBlob.err()).contains("missing' does not exist");
        assertThat(noContainer.exitCode()).as(noContainer.toString()).isEqualTo(1);
        assertThat(noContainer.err()).contains("does not exist");
    }
}
