package dev.cse4j.keys;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class JsonWebKeySetTest {
    private static final String AES_128 = "{\"kty\":\"oct\",\"kid\":\"local:kek128\",\"k\":\"AAECAwQFBgcICQoLDA0ODw\"}";
    private static final String SET = "{\"keys\":[" + Jwks.VECTOR_JWK + "," + AES_128 + "," + Jwks.rsaReference()
        + "]}";
    private static final KeyMaterial MATERIAL = KeyMaterial.ofJwk(Jwks.VECTOR_JWK).and(KeyMaterial.ofJwk(AES_128))
        .and(KeyMaterial.ofJwk(Jwks.rsaReference()));

    @TempDir
    Path folder;

    @Test
    void parse_singleJwk_isASetOfThatKey() {
        JsonWebKeySet set = JsonWebKeySet.parse(Jwks.VECTOR_JWK);

        assertThat(set.keys()).extracting(JsonWebKey::keyId).containsExactly("local:kek1");
        assertThat(set.single().keyId()).isEqualTo("local:kek1");
    }

    @Test
    void parse_jwkSet_keepsTheKeysInOrder() {
        JsonWebKeySet set = JsonWebKeySet.parse(SET);

        assertThat(set.keys()).extracting(JsonWebKey::keyId)
            .containsExactly("local:kek1", "local:kek128", "test:rsa3072");
        assertThat(set.keys()).extracting(JsonWebKey::keyType).containsExactly("oct", "oct", "RSA");
    }

    @Test
    void find_knownKeyId_givesTheKey_andUnknownOrNullGivesEmpty() {
        JsonWebKeySet set = JsonWebKeySet.parse(SET);

        assertThat(set.find("local:kek128")).hasValueSatisfying(key -> assertThat(key.sizeInBits()).isEqualTo(128));
        assertThat(set.find("local:unknown")).isEmpty();
        assertThat(set.find(null)).isEmpty();
    }

    @Test
    void single_severalKeys_throwsNamingTheKeyIdsAndAskingForOne() {
        JsonWebKeySet set = JsonWebKeySet.parse(SET);

        assertThatThrownBy(set::single)
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("holds 3 keys ('local:kek1', 'local:kek128', 'test:rsa3072')")
            .hasMessageContaining("pass a key id")
            .satisfies(MATERIAL::assertNotLeakedBy);
    }

    @Test
    void parse_duplicateKeyIds_throwsNamingTheKeyId() {
        String duplicate = "{\"keys\":[" + Jwks.VECTOR_JWK + "," + AES_128.replace("local:kek128", "local:kek1")
            + "]}";

        assertThatThrownBy(() -> JsonWebKeySet.parse(duplicate))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("more than one key with the key id 'local:kek1'")
            .satisfies(MATERIAL::assertNotLeakedBy);
    }

    @Test
    void of_duplicateKeyIdsOrNoKeys_throws() {
        JsonWebKey key = JsonWebKey.parse(Jwks.VECTOR_JWK);

        assertThatThrownBy(() -> JsonWebKeySet.of(List.of(key, key)))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("more than one key with the key id 'local:kek1'")
            .satisfies(MATERIAL::assertNotLeakedBy);
        assertThatThrownBy(() -> JsonWebKeySet.of(List.of()))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("has no keys");
        assertThat(JsonWebKeySet.of(List.of(key)).single()).isSameAs(key);
    }

    @Test
    void parse_setWithNoKeysOrKeysNotAnArray_throws() {
        assertThatThrownBy(() -> JsonWebKeySet.parse("{\"keys\":[]}"))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("JWK Set with no keys");
        assertThatThrownBy(() -> JsonWebKeySet.parse("{\"keys\":{}}"))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("\"keys\" must be an array");
        assertThatThrownBy(() -> JsonWebKeySet.parse("{\"keys\":[\"x\"]}"))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("key #1 must be a JSON object");
    }

    @Test
    void read_badKeyInAFile_namesTheFileTheKeyAndTheMember() throws IOException {
        Path file = folder.resolve("keys.json");
        Files.writeString(file, "{\"keys\":[" + Jwks.VECTOR_JWK + "," + AES_128.replace("\"k\":\"", "\"k\":\"+")
            + "]}");

        assertThatThrownBy(() -> JsonWebKeySet.read(file))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageStartingWith("key file '" + file + "', key #2 (kid 'local:kek128'): member \"k\" is not valid "
                + "base64url")
            .satisfies(MATERIAL::assertNotLeakedBy);
    }

    @Test
    void read_singleJwkFileAndSetFile_readTheSameWay() throws IOException {
        Path single = folder.resolve("single.jwk");
        Path set = folder.resolve("set.jwks");
        Files.writeString(single, Jwks.rsaReference());
        Files.writeString(set, SET);

        assertThat(JsonWebKeySet.read(single).single().toJson()).isEqualTo(JsonWebKey.parse(Jwks.rsaReference())
            .toJson());
        assertThat(JsonWebKeySet.read(set).keys()).hasSize(3);
    }

    @Test
    void read_missingFile_throwsUncheckedIOExceptionNamingTheFile() {
        Path missing = folder.resolve("missing.json");

        assertThatThrownBy(() -> JsonWebKeySet.read(missing))
            .isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining("key file '" + missing + "'")
            .hasMessageContaining("does not exist");
    }

    @Test
    void read_fileOver1MiBOrNotUtf8_throwsJsonWebKeyException() throws IOException {
        Path large = folder.resolve("large.json");
        Files.write(large, new byte[(1 << 20) + 1]);
        Path binary = folder.resolve("binary.json");
        Files.write(binary, new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}'});

        assertThatThrownBy(() -> JsonWebKeySet.read(large))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("larger than 1 MiB");
        assertThatThrownBy(() -> JsonWebKeySet.read(binary))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("not UTF-8");
    }

    @Test
    void read_endlessDeviceOrFifo_readsAtMost1MiBAndRefuses() throws IOException, InterruptedException {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero), "a POSIX system");
        Path fifo = folder.resolve("key.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        Thread writer = new Thread(() -> {
            try (var out = Files.newOutputStream(fifo)) {
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) ' ');
                for (int i = 0; i < 64; i++) { // 4 MiB, more than any key file
                    out.write(chunk);
                }
            } catch (IOException e) {
                // the reader stops after 1 MiB and closes its end: the writer gets a broken pipe
            }
        });
        writer.start();

        assertThatThrownBy(() -> JsonWebKeySet.read(zero))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("larger than 1 MiB");
        assertThatThrownBy(() -> JsonWebKeySet.read(fifo))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("larger than 1 MiB");
        writer.join(10_000);
        assertThat(writer.isAlive()).isFalse();
    }

    @Test
    void read_fileStartingWithAUtf8ByteOrderMark_isRefusedNamingTheMark() throws IOException {
        Path file = folder.resolve("bom.jwk");
        byte[] json = Jwks.VECTOR_JWK.getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(json, 0, withBom, 3, json.length);
        Files.write(file, withBom);

        assertThatThrownBy(() -> JsonWebKeySet.read(file))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("byte order mark")
            .hasMessageContaining("EF BB BF")
            .satisfies(MATERIAL::assertNotLeakedBy);
    }

    @Test
    void writeToThenRead_givesTheSameKeys() {
        JsonWebKeySet set = JsonWebKeySet.parse(SET);
        Path file = folder.resolve("written.jwks");

        set.writeTo(file, false);

        JsonWebKeySet again = JsonWebKeySet.read(file);
        assertThat(again.keys()).extracting(JsonWebKey::toJson)
            .containsExactlyElementsOf(set.keys().stream().map(JsonWebKey::toJson).toList());
        assertThat(again.toJson()).isEqualTo(set.toJson());
    }

    @Test
    void writeTo_createsTheFileReadableAndWritableByItsOwnerOnly() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
            "POSIX permissions only");
        Path file = folder.resolve("owner-only.jwks");

        JsonWebKeySet.parse(SET).writeTo(file, false);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void writeTo_overwritingAWorldReadableFile_replacesItWithAnOwnerOnlyFileAndLeavesNoTemporaryFile()
        throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
            "POSIX permissions only");
        Path file = folder.resolve("replaced.jwks");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        JsonWebKeySet.parse(Jwks.VECTOR_JWK).writeTo(file, true);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(JsonWebKeySet.read(file).single().keyId()).isEqualTo("local:kek1");
        try (var files = Files.list(folder)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void writeTo_existingFileWithoutOverwrite_throwsAndLeavesTheFileUnchanged() throws IOException {
        Path file = folder.resolve("existing.jwks");
        Files.writeString(file, "keep me");

        assertThatThrownBy(() -> JsonWebKeySet.parse(SET).writeTo(file, false))
            .isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining("already exists")
            .hasMessageContaining("allow overwriting")
            .satisfies(MATERIAL::assertNotLeakedBy);
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("keep me");
    }

    @Test
    void writeTo_missingFolder_throwsUncheckedIOExceptionAndCreatesNothing() {
        Path file = folder.resolve("no-such-folder").resolve("keys.jwks");

        assertThatThrownBy(() -> JsonWebKeySet.parse(SET).writeTo(file, false))
            .isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining("Cannot write key file")
            .satisfies(MATERIAL::assertNotLeakedBy);
        assertThat(file).doesNotExist();
    }

    @Test
    void toJson_isAJwkSetWithPrivateMembers() {
        String json = JsonWebKeySet.parse(Jwks.VECTOR_JWK).toJson();

        assertThat(json).isEqualTo("{\"keys\":[\n" + Jwks.VECTOR_JWK + "\n]}\n");
    }

    @Test
    void toString_listsKeyIdsTypesAndSizesButNoKeyMaterial() {
        JsonWebKeySet set = JsonWebKeySet.parse(SET);

        assertThat(set.toString())
            .isEqualTo("JsonWebKeySet[local:kek1 (oct 256), local:kek128 (oct 128), test:rsa3072 (RSA 3072)]");
        MATERIAL.assertNotInToString(set);
        MATERIAL.assertNotInToString(set.resolver());
    }
}
