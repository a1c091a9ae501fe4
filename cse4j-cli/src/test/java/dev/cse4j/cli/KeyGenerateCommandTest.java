package dev.cse4j.cli;

import dev.cse4j.keys.JsonWebKey;
import dev.cse4j.keys.JsonWebKeySet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class KeyGenerateCommandTest {
    @TempDir
    Path folder;

    @Test
    void generate_aes256_writesOneOwnerOnlyJwkAndPrintsTheKidAndFileButNotTheKey() throws IOException {
        Path out = folder.resolve("aes.jwk");

        CliRun.Result result = CliRun.run("key", "generate", "--type", "aes256", "--kid", "my-aes", "--out",
            out.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        String text = Files.readString(out);
        JsonWebKey key = JsonWebKey.parse(text);
        assertThat(key.keyId()).isEqualTo("my-aes");
        assertThat(key.keyType()).isEqualTo("oct");
        assertThat(key.sizeInBits()).isEqualTo(256);
        assertThat(key.defaultWrapAlgorithm()).isEqualTo("A256KW");
        assertThat(text).doesNotContain("\"keys\"");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
        assertThat(result.out()).contains("my-aes", out.toString());
        String k = text.replaceAll(".*\"k\":\"([^\"]+)\".*\\s*", "$1");
        assertThat(result.out() + result.err()).doesNotContain(k);
        assertThat(result.err()).isEmpty();
    }

    @Test
    void generate_rsa3072_writesAPrivateRsaKeyWhoseDefaultIsRsaOaep256() throws IOException {
        Path out = folder.resolve("rsa.jwk");

        CliRun.Result result = CliRun.run("key", "generate", "--type", "rsa3072", "--kid", "my-rsa", "--out",
            out.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonWebKey key = JsonWebKeySet.read(out).single();
        assertThat(key.keyType()).isEqualTo("RSA");
        assertThat(key.sizeInBits()).isEqualTo(3072);
        assertThat(key.hasPrivateKey()).isTrue();
        assertThat(key.defaultWrapAlgorithm()).isEqualTo("RSA-OAEP-256");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
    }

    @Test
    void generate_existingNonEmptyFile_isRefusedWithExit1AndLeftUnchanged() throws IOException {
        Path out = Files.writeString(folder.resolve("precious.jwk"), "an old key");

        CliRun.Result result = CliRun.run("key", "generate", "--type", "aes256", "--kid", "k", "--out",
            out.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines()).singleElement().asString().contains(out + " exists");
        assertThat(Files.readString(out)).isEqualTo("an old key");
    }

    @Test
    void generate_existingEmptyFile_likeMktempMakes_isOverwritten() throws IOException {
        Path out = Files.createTempFile(folder, "key", ".jwk");

        CliRun.Result result = CliRun.run("key", "generate", "--type", "aes256", "--kid", "from-mktemp", "--out",
            out.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(JsonWebKeySet.read(out).single().keyId()).isEqualTo("from-mktemp");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
    }

    @Test
    void generate_missingFolder_exits1() {
        CliRun.Result result = CliRun.run("key", "generate", "--type", "aes256", "--kid", "k", "--out",
            folder.resolve("no/such/folder/k.jwk").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines()).singleElement().asString().contains("no/such/folder");
    }

    @Test
    void generate_unknownTypeOrMissingOptionOrBlankKid_isAUsageError() {
        Path out = folder.resolve("k.jwk");

        CliRun.Result unknownType = CliRun.run("key", "generate", "--type", "des", "--kid", "k", "--out",
            out.toString());
        CliRun.Result noKid = CliRun.run("key", "generate", "--type", "aes256", "--out", out.toString());
        CliRun.Result blankKid = CliRun.run("key", "generate", "--type", "aes256", "--kid", " ", "--out",
            out.toString());

        for (CliRun.Result result : new CliRun.Result[] {unknownType, noKid, blankKid}) {
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
            assertThat(result.errLines()).singleElement().asString()
                .endsWith(". Try 'cse4j key generate --help' for more information.");
        }
        assertThat(unknownType.err()).contains("aes256", "rsa3072");
        assertThat(noKid.err()).contains("--kid");
        assertThat(out).doesNotExist();
    }
}
