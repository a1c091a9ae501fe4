package dev.cse4j.keys;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class JsonWebKeyWriteToTest {
    @TempDir
    Path folder;

    @Test
    void writeTo_writesASingleJwkThatReadsBackAsTheSameKey() throws IOException {
        JsonWebKey key = JsonWebKey.generateAes(256, "kek-1");
        Path file = folder.resolve("kek.jwk");

        key.writeTo(file, false);

        String text = Files.readString(file);
        assertThat(text).startsWith("{\"kty\":\"oct\"").doesNotContain("\"keys\"");
        assertThat(JsonWebKey.parse(text).toJson()).isEqualTo(key.toJson());
        assertThat(JsonWebKeySet.read(file).single().keyId()).isEqualTo("kek-1");
    }

    @Test
    void writeTo_createsTheFileReadableAndWritableByItsOwnerOnly() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions only");
        Path file = folder.resolve("owner-only.jwk");

        JsonWebKey.generateAes(128, "kek-2").writeTo(file, false);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void writeTo_existingFileWithoutOverwrite_throwsAndLeavesTheFileUnchanged() throws IOException {
        Path file = folder.resolve("existing.jwk");
        Files.writeString(file, "keep me");

        assertThatThrownBy(() -> JsonWebKey.generateAes(256, "kek-3").writeTo(file, false))
            .isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining("already exists");
        assertThat(Files.readString(file)).isEqualTo("keep me");
    }

    @Test
    void writeTo_existingFileWithOverwrite_replacesIt() {
        Path file = folder.resolve("replaced.jwk");
        JsonWebKey.generateAes(256, "old").writeTo(file, false);

        JsonWebKey.generateAes(256, "new").writeTo(file, true);

        assertThat(JsonWebKeySet.read(file).single().keyId()).isEqualTo("new");
    }
}
