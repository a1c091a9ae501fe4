package dev.cse4j.cli;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.implementation.TerminalText;
import dev.cse4j.keys.JsonWebKey;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.FaultProxy;
import dev.cse4j.testing.FaultRule;
import dev.cse4j.testing.KnownAnswerVector;
import dev.cse4j.testing.TestData;
import dev.cse4j.testing.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(AzuriteExtension.class)
class BlobCommandsTest {
    private final Azurite azurite;
    private final String container = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    private final BlobContainerClient plain;

    @TempDir
    Path folder;

    BlobCommandsTest(Azurite azurite) {
        this.azurite = azurite;
        this.plain = new BlobServiceClientBuilder().connectionString(azurite.connectionString()).buildClient()
            .getBlobContainerClient(container);
    }

    private CliRun.Result cse4j(String... args) {
        return CliRun.run(CliRun.args(List.of(args), "--connection-string", azurite.connectionString()));
    }

    private CliRun.Result upload(String name, Path file, Path key, String... more) {
        return cse4j(CliRun.args(List.of("blob", "upload", "--container", container, "--name", name, "--file",
            file.toString(), "--key", key.toString()), more));
    }

    private CliRun.Result download(String name, Path file, Path key, String... more) {
        return cse4j(CliRun.args(List.of("blob", "download", "--container", container, "--name", name, "--file",
            file.toString(), "--key", key.toString()), more));
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(folder.resolve(name), content);
    }

    /** Replaces blob {@code name}'s stored {@code encryptiondata} with {@code edit} of it; returns the new value. */
    private String editEncryptionData(String name, java.util.function.UnaryOperator<String> edit) {
        BlobClient blob = plain.getBlobClient(name);
        Map<String, String> metadata = new java.util.HashMap<>(blob.getProperties().getMetadata());
        String edited = edit.apply(metadata.get("encryptiondata"));
        metadata.put("encryptiondata", edited);
        blob.setMetadata(metadata);
        return edited;
    }

    private EncryptionData stored(String name) {
        return EncryptionData.parse(plain.getBlobClient(name).getProperties().getMetadata().get("encryptiondata"));
    }

    @Test
    void upload_aesJwk_thenDownload_roundTripsAsProtocol20WithA256kwAndCreatesTheContainer() throws IOException {
        byte[] data = TestData.random(5 * 1024 * 1024 + 3, 1);
        Path key = KeyFiles.aes(folder, "aes-1");

        CliRun.Result up = upload("five-mib", file("in.bin", data), key);
        CliRun.Result down = download("five-mib", folder.resolve("out.bin"), key);

        assertThat(up.exitCode()).as(up.toString()).isZero();
        assertThat(up.out()).contains(container + "/five-mib", "2.0", "'aes-1'", "A256KW");
        assertThat(up.err()).isEmpty();
        EncryptionData data0 = stored("five-mib");
        assertThat(data0.protocol().wireValue()).isEqualTo("2.0");
        assertThat(data0.wrappedContentKey().keyId()).isEqualTo("aes-1");
        assertThat(data0.wrappedContentKey().algorithm()).isEqualTo("A256KW");
        assertThat(down.exitCode()).as(down.toString()).isZero();
        assertThat(down.out()).contains("5242883 bytes", "protocol 2.0, verified");
        assertThat(Files.readAllBytes(folder.resolve("out.bin"))).isEqualTo(data);
    }

    @Test
    void upload_rsaJwk_protocol21WithRegionSize16_ranges_crossRegionsAndOffsetAloneReadsToTheEnd() throws IOException {
        byte[] data = TestData.random(100, 2);
        Path key = KeyFiles.rsa(folder, "rsa-1");

        CliRun.Result up = upload("small-regions", file("in.bin", data), key, "--protocol", "2.1", "--region-size",
            "16");

        assertThat(up.exitCode()).as(up.toString()).isZero();
        EncryptionData stored = stored("small-regions");
        assertThat(stored.protocol().wireValue()).isEqualTo("2.1");
        assertThat(stored.encryptedRegionInfo().dataLength()).isEqualTo(16);
        assertThat(stored.wrappedContentKey().algorithm()).isEqualTo("RSA-OAEP-256");
        assertThat(plain.getBlobClient("small-regions").getProperties().getBlobSize()).isEqualTo(100 + 7 * 28);
        assertRange("small-regions", key, data, 10, 40, "--offset", "10", "--count", "40");
        assertRange("small-regions", key, data, 15, 2, "--offset", "15", "--count", "2");
        assertRange("small-regions", key, data, 90, 10, "--offset", "90");
        assertRange("small-regions", key, data, 0, 1, "--offset", "0", "--count", "1");
        assertRange("small-regions", key, data, 96, 4, "--offset", "96", "--count", "1000");
        assertRange("small-regions", key, data, 0, 100);
    }

    private void assertRange(String name, Path key, byte[] data, int offset, int count, String... range)
        throws IOException {
        Path out = folder.resolve("range-" + offset + "-" + count + ".bin");
        CliRun.Result result = download(name, out, key, range);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(Files.readAllBytes(out)).as("range %s", Arrays.toString(range))
            .isEqualTo(Arrays.copyOfRange(data, offset, offset + count));
    }

    @Test
    void download_offsetAtOrPastTheEnd_isRefusedAsTheServiceWould_andLeavesAnExistingFileUnchanged()
        throws IOException {
        Path key = KeyFiles.aes(folder, "k");
        upload("hundred", file("in.bin", TestData.random(100, 8)), key, "--region-size", "16");
        upload("empty", file("empty.bin", new byte[0]), key);
        Path existing = file("existing.bin", new byte[] {1, 2, 3});

        CliRun.Result atEnd = download("hundred", existing, key, "--offset", "100");
        CliRun.Result past = download("hundred", existing, key, "--offset", "150", "--count", "5");
        CliRun.Result emptyAtZero = download("empty", folder.resolve("empty.out"), key, "--offset", "0");

        for (CliRun.Result refused : List.of(atEnd, past)) {
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.errLines()).singleElement().asString().contains("--offset", "100 bytes", "416");
        }
        assertThat(existing).hasBinaryContent(new byte[] {1, 2, 3});
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("cse4j-partial"));
        }
        assertThat(emptyAtZero.exitCode()).as(emptyAtZero.toString()).isZero();
        assertThat(folder.resolve("empty.out")).isEmptyFile();
    }

    @Test
    void download_hugeCount_reportsTheBytesReallyWritten() throws IOException {
        Path key = KeyFiles.aes(folder, "k");
        byte[] data = TestData.random(100, 9);
        upload("counted", file("in.bin", data), key, "--region-size", "16");
        Path out = folder.resolve("out.bin");

        CliRun.Result down = download("counted", out, key, "--offset", "10", "--count", String.valueOf(Long.MAX_VALUE));

        assertThat(down.exitCode()).as(down.toString()).isZero();
        assertThat(out).hasBinaryContent(Arrays.copyOfRange(data, 10, 100));
        assertThat(down.out()).contains("(90 bytes from offset 10 of 100,")
            .doesNotContain(String.valueOf(Long.MAX_VALUE));
    }

    @Test
    void upload_regionSizeWithoutProtocol_writesProtocol21() throws IOException {
        CliRun.Result up = upload("implied", file("in.bin", TestData.random(40, 3)), KeyFiles.aes(folder, "k"),
            "--region-size", "32");

        assertThat(up.exitCode()).as(up.toString()).isZero();
        assertThat(stored("implied").protocol().wireValue()).isEqualTo("2.1");
        assertThat(stored("implied").encryptedRegionInfo().dataLength()).isEqualTo(32);
    }

    @Test
    void upload_emptyAndOneByteFiles_roundTrip() throws IOException {
        Path key = KeyFiles.aes(folder, "k");
        for (byte[] data : List.of(new byte[0], new byte[] {42})) {
            String name = "tiny-" + data.length;
            assertThat(upload(name, file(name, data), key).exitCode()).isZero();
            Path out = folder.resolve(name + ".out");
            CliRun.Result down = download(name, out, key);
            assertThat(down.exitCode()).as(down.toString()).isZero();
            assertThat(Files.readAllBytes(out)).isEqualTo(data);
        }
    }

    @Test
    void upload_keySetWithKeyId_wrapsWithThatKey_andDownloadResolvesItFromTheSet() throws IOException {
        Path set = KeyFiles.set(folder, "set.jwks", JsonWebKey.generateAes(256, "first"),
            JsonWebKey.generateRsa(2048, "second"));
        byte[] data = TestData.random(1000, 4);

        CliRun.Result up = upload("by-id", file("in.bin", data), set, "--key-id", "second");
        CliRun.Result down = download("by-id", folder.resolve("out.bin"), set);

        assertThat(up.exitCode()).as(up.toString()).isZero();
        assertThat(stored("by-id").wrappedContentKey().keyId()).isEqualTo("second");
        assertThat(stored("by-id").wrappedContentKey().algorithm()).isEqualTo("RSA-OAEP-256");
        assertThat(down.exitCode()).as(down.toString()).isZero();
        assertThat(Files.readAllBytes(folder.resolve("out.bin"))).isEqualTo(data);
    }

    @Test
    void upload_keySetWithoutKeyId_isAUsageErrorListingTheKeyIds() throws IOException {
        Path set = KeyFiles.set(folder, "set.jwks", JsonWebKey.generateAes(256, "a"),
            JsonWebKey.generateAes(256, "b"));

        CliRun.Result up = upload("x", file("in.bin", new byte[10]), set);

        assertThat(up.exitCode()).isEqualTo(2);
        assertThat(up.err()).contains("'a', 'b'", "--key-id");
        assertThat(plain.exists()).isFalse();
    }

    @Test
    void upload_keyIdNotInTheFile_exits4() throws IOException {
        CliRun.Result up = upload("x", file("in.bin", new byte[10]), KeyFiles.aes(folder, "present"), "--key-id",
            "absent");

        assertThat(up.exitCode()).as(up.toString()).isEqualTo(4);
        assertThat(up.err()).contains("'absent'", "'present'");
    }

    @Test
    void upload_wrapAlgorithmOption_storesThatAlgorithm_andDownloadUnwrapsWithIt() throws IOException {
        Path key = KeyFiles.write(folder, "rsa.jwk", KeyFiles.withoutAlg(JsonWebKey.generateRsa(2048, "rsa")));
        byte[] data = TestData.random(64, 5);

        CliRun.Result up = upload("oaep", file("in.bin", data), key, "--wrap-algorithm", "RSA-OAEP");
        CliRun.Result down = download("oaep", folder.resolve("out.bin"), key);

        assertThat(up.exitCode()).as(up.toString()).isZero();
        assertThat(stored("oaep").wrappedContentKey().algorithm()).isEqualTo("RSA-OAEP");
        assertThat(down.exitCode()).as(down.toString()).isZero();
        assertThat(Files.readAllBytes(folder.resolve("out.bin"))).isEqualTo(data);
    }

    @Test
    void upload_wrapAlgorithmTheKeyCannotUse_isAUsageErrorAndUploadsNothing() throws IOException {
        Path in = file("in.bin", new byte[10]);

        CliRun.Result aes = upload("x", in, KeyFiles.aes(folder, "aes"), "--wrap-algorithm", "A128KW");
        CliRun.Result rsa = upload("x", in, KeyFiles.rsa(folder, "rsa"), "--wrap-algorithm", "RSA1_5");

        assertThat(aes.exitCode()).isEqualTo(2);
        assertThat(aes.err()).contains("A128KW", "A256KW");
        assertThat(rsa.exitCode()).isEqualTo(2);
        assertThat(rsa.err()).contains("RSA1_5");
        assertThat(plain.exists()).isFalse();
    }

    @Test
    void upload_keyWithJwkAlg_wrapsWithIt_andAnotherWrapAlgorithmIsAUsageError() throws IOException {
        Path in = file("in.bin", new byte[10]);
        Path oaep = KeyFiles.write(folder, "oaep.jwk", JsonWebKey.parse(JsonWebKey.generateRsa(2048, "oaep")
            .toJson().replace("\"RSA-OAEP-256\"", "\"RSA-OAEP\"")));

        CliRun.Result byAlg = upload("by-alg", in, oaep);
        CliRun.Result other = upload("other", in, oaep, "--wrap-algorithm", "RSA-OAEP-256");

        assertThat(byAlg.exitCode()).as(byAlg.toString()).isZero();
        assertThat(stored("by-alg").wrappedContentKey().algorithm()).isEqualTo("RSA-OAEP");
        assertThat(other.exitCode()).as(other.toString()).isEqualTo(2);
        assertThat(other.errLines().get(0)).contains("\"alg\":\"RSA-OAEP\"", "RSA-OAEP-256");
        assertThat(plain.getBlobClient("other").exists()).isFalse();
    }

    @Test
    void keyFile_aes128MarkedA256kw_isRefusedNamingTheMismatch() throws IOException {
        Path key = file("mismatch.jwk", ("{\"kty\":\"oct\",\"kid\":\"m\",\"alg\":\"A256KW\",\"k\":\""
            + "AAECAwQFBgcICQoLDA0ODw\"}").getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

        CliRun.Result up = upload("x", file("in.bin", new byte[10]), key);

        assertThat(up.exitCode()).as(up.toString()).isEqualTo(1);
        assertThat(up.errLines()).singleElement().asString().contains("'A256KW'", "128-bit", "A128KW");
        assertThat(plain.exists()).isFalse();
    }

    @Test
    void keyFile_readableByGroupOrOthers_getsAOneLineWarning_andTheCommandStillRuns() throws IOException {
        Path key = KeyFiles.aes(folder, "shared");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        CliRun.Result up = upload("shared", file("in.bin", new byte[10]), key);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
        CliRun.Result down = download("shared", folder.resolve("out.bin"), key);

        assertThat(up.exitCode()).as(up.toString()).isZero();
        assertThat(up.errLines()).singleElement().asString().startsWith("cse4j: warning: key file " + key)
            .contains("its group and other users", "rw-r--r--", "chmod 600 " + key);
        assertThat(down.exitCode()).as(down.toString()).isZero();
        assertThat(down.errLines()).singleElement().asString().contains("can be read by its group (mode rw-r-----)");
    }

    @Test
    void keyFile_endlessDevice_byteOrderMark_areRefusedInOneLine() throws IOException {
        Path in = file("in.bin", new byte[10]);
        byte[] json = Files.readAllBytes(KeyFiles.aes(folder, "bom"));
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(json, 0, withBom, 3, json.length);
        Path bom = file("bom-marked.jwk", withBom);

        CliRun.Result zero = upload("x", in, Path.of("/dev/zero"));
        CliRun.Result marked = download("x", folder.resolve("out.bin"), bom);

        assertThat(zero.exitCode()).as(zero.toString()).isEqualTo(1);
        assertThat(zero.errLines()).singleElement().asString().contains("/dev/zero", "larger than 1 MiB");
        assertThat(marked.exitCode()).as(marked.toString()).isEqualTo(1);
        assertThat(marked.errLines()).singleElement().asString().contains("byte order mark");
    }

    @Test
    void upload_existingBlob_isRefusedWithoutOverwrite_andReplacedWithIt() throws IOException {
        Path key = KeyFiles.aes(folder, "k");
        assertThat(upload("twice", file("one.bin", new byte[] {1}), key).exitCode()).isZero();

        CliRun.Result refused = upload("twice", file("two.bin", new byte[] {2, 2}), key);
        Path out = folder.resolve("out.bin");
        download("twice", out, key);
        byte[] afterRefusal = Files.readAllBytes(out);
        CliRun.Result replaced = upload("twice", folder.resolve("two.bin"), key, "--overwrite");
        download("twice", out, key);

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.errLines()).singleElement().asString().contains("exists", "--overwrite");
        assertThat(afterRefusal).containsExactly(1);
        assertThat(replaced.exitCode()).isZero();
        assertThat(Files.readAllBytes(out)).containsExactly(2, 2);
    }

    @Test
    void download_replacesAnExistingOutputFile() throws IOException {
        Path key = KeyFiles.aes(folder, "k");
        upload("b", file("in.bin", new byte[] {7, 8, 9}), key);
        Path out = file("existing.bin", new byte[1000]);

        CliRun.Result down = download("b", out, key);

        assertThat(down.exitCode()).as(down.toString()).isZero();
        assertThat(Files.readAllBytes(out)).containsExactly(7, 8, 9);
    }

    @Test
    void download_frozenService_isStoppedWithinTheNoProgressTimeout_sayingSo() throws IOException {
        Path key = KeyFiles.aes(folder, "k");
        upload("frozen", file("in.bin", TestData.random(1000, 12)), key);
        Path out = file("out.bin", new byte[] {1});
        try (FaultProxy proxy = FaultProxy.start(azurite.blobPort())) {
            proxy.add(FaultRule.requests().method("GET").times(FaultRule.ALWAYS).stall());

            for (String[] range : new String[][] {{}, {"--offset", "10"}}) {
                CliRun.Result result = CliRun.run(CliRun.args(List.of("blob", "download", "--container", container,
                    "--name", "frozen", "--file", out.toString(), "--key", key.toString(), "--no-progress-timeout",
                    "1", "--connection-string", azurite.connectionStringThrough(proxy)), range));

                assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
                assertThat(result.errLines()).singleElement().asString().contains("sent nothing for 1 s",
                    "--no-progress-timeout").doesNotContain("setNoProgressTimeout");
            }
        }
        assertThat(out).hasBinaryContent(new byte[] {1});
    }

    @Test
    void download_missingBlobOrContainer_exits1WithAClearMessage() {
        Path key = KeyFiles.aes(folder, "k");

        CliRun.Result noContainer = download("nothing", folder.resolve("out.bin"), key);
        plain.create();
        CliRun.Result noBlob = download("nothing", folder.resolve("out.bin"), key);

        assertThat(noContainer.exitCode()).isEqualTo(1);
        assertThat(noContainer.errLines()).singleElement().asString().contains("Container '" + container + "'",
            "does not exist");
        assertThat(noBlob.exitCode()).isEqualTo(1);
        assertThat(noBlob.errLines()).singleElement().asString().contains(container + "/nothing", "does not exist");
        assertThat(folder.resolve("out.bin")).doesNotExist();
    }

    @Test
    void download_keyFileWithoutTheStoredKeyId_exits4AndWritesNothing() throws IOException {
        upload("b", file("in.bin", new byte[100]), KeyFiles.aes(folder, "writer"));

        CliRun.Result down = download("b", folder.resolve("out.bin"), KeyFiles.aes(folder, "someone-else"));

        assertThat(down.exitCode()).as(down.toString()).isEqualTo(4);
        assertThat(down.errLines()).singleElement().asString().contains("'writer'", "someone-else.jwk",
            "'someone-else'");
        assertThat(folder.resolve("out.bin")).doesNotExist();
    }

    @Test
    void download_toAMissingFolderOrAFolder_exits1BeforeAnyRequest() {
        Path key = KeyFiles.aes(folder, "k");

        CliRun.Result noFolder = download("any", folder.resolve("missing/out.bin"), key);
        CliRun.Result intoFolder = download("any", folder, key);

        assertThat(noFolder.exitCode()).isEqualTo(1);
        assertThat(noFolder.errLines()).singleElement().asString().contains("does not exist", "--file");
        assertThat(intoFolder.exitCode()).isEqualTo(1);
        assertThat(intoFolder.errLines()).singleElement().asString().contains("is a folder");
        assertThat(plain.exists()).isFalse();
    }

    @Test
    void download_toAFifoOrALinkToOne_exits1BeforeAnyRequest_andTheFifoStays()
        throws IOException, InterruptedException {
        Path fifo = folder.resolve("pipe");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Path link = Files.createSymbolicLink(folder.resolve("link"), fifo);

        CliRun.Result direct = download("any", fifo, KeyFiles.aes(folder, "k"));
        CliRun.Result linked = download("any", link, folder.resolve("k.jwk"));

        for (CliRun.Result refused : List.of(direct, linked)) {
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.errLines()).singleElement().asString().contains("not a regular file", "FIFO",
                "--file");
        }
        assertThat(Files.isRegularFile(fifo)).isFalse();
        assertThat(Files.exists(fifo, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(plain.exists()).isFalse();
    }

    @Test
    void upload_overtakenByAnotherUpload_saysWhatHappened_notToCheckTheConnectionString() {
        plain.create();
        String unknownBlock = java.util.Base64.getEncoder().encodeToString(new byte[16]);
        RuntimeException invalidBlockList = org.assertj.core.api.Assertions.catchThrowableOfType(
            () -> plain.getBlobClient("lost").getBlockBlobClient().commitBlockList(List.of(unknownBlock)),
            com.azure.storage.blob.models.BlobStorageException.class);

        RuntimeException explained = BlobUploadCommand.explain(new BlobStorage(azurite.connectionString(), container,
            "lost"), Path.of("mine.bin"), invalidBlockList, true);

        assertThat(Failures.exitCode(explained)).isEqualTo(ExitCode.OTHER);
        assertThat(Failures.message(explained)).contains("Another upload", "committed while this one was uploading",
            "nothing of mine.bin was committed", "--overwrite").doesNotContain("connection string");
    }

    @Test
    void upload_conflict_isAnExistingBlobWithoutOverwrite_butTheServicesAnswerWithIt() {
        plain.create();
        RuntimeException conflict = org.assertj.core.api.Assertions.catchThrowableOfType(plain::create,
            com.azure.storage.blob.models.BlobStorageException.class);
        BlobStorage storage = new BlobStorage(azurite.connectionString(), container, "b");

        RuntimeException withoutOverwrite = BlobUploadCommand.explain(storage, Path.of("in.bin"), conflict, false);
        RuntimeException withOverwrite = BlobUploadCommand.explain(storage, Path.of("in.bin"), conflict, true);

        assertThat(Failures.message(withoutOverwrite)).contains("exists; it was left unchanged", "--overwrite");
        assertThat(withOverwrite).isSameAs(conflict);
        assertThat(Failures.message(withOverwrite)).isNotBlank().doesNotContain("exists; it was left unchanged");
    }

    @Test
    void download_sameKeyIdButOtherKeyMaterial_exits3() throws IOException {
        upload("b", file("in.bin", new byte[100]), KeyFiles.aes(folder, "kid"));
        Path impostor = KeyFiles.write(Files.createDirectory(folder.resolve("other")), "kid.jwk",
            JsonWebKey.generateAes(256, "kid"));

        CliRun.Result down = download("b", folder.resolve("out.bin"), impostor);

        assertThat(down.exitCode()).as(down.toString()).isEqualTo(3);
        assertThat(folder.resolve("out.bin")).doesNotExist();
    }

    @Test
    void download_tamperedCiphertext_exits3AndLeavesNoOutputFileBehind() throws IOException {
        Path key = KeyFiles.aes(folder, "k");
        upload("tampered", file("in.bin", TestData.random(200, 6)), key, "--region-size", "64");
        BlobClient blob = plain.getBlobClient("tampered");
        Map<String, String> metadata = blob.getProperties().getMetadata();
        byte[] stored = blob.downloadContent().toBytes();
        stored[stored.length - 40] ^= 1; // inside the last region's ciphertext
        blob.uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromBytes(stored)).setMetadata(metadata),
            null, null);

        CliRun.Result down = download("tampered", folder.resolve("out.bin"), key);

        assertThat(down.exitCode()).as(down.toString()).isEqualTo(3);
        assertThat(down.errLines()).hasSize(1);
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("in.bin", "k.jwk");
        }
    }

    @Test
    void download_tamperedEncryptionData_exits3() throws IOException {
        Path key = KeyFiles.aes(folder, "k");
        upload("bad-metadata", file("in.bin", new byte[10]), key);
        editEncryptionData("bad-metadata", json -> json.replace("\"2.0\"", "\"9.9\""));

        CliRun.Result down = download("bad-metadata", folder.resolve("out.bin"), key);
        CliRun.Result inspect = cse4j("blob", "inspect", "--container", container, "--name", "bad-metadata");

        assertThat(down.exitCode()).as(down.toString()).isEqualTo(3);
        assertThat(inspect.exitCode()).as(inspect.toString()).isEqualTo(3);
        assertThat(folder.resolve("out.bin")).doesNotExist();
    }

    @Test
    void download_unencryptedBlob_isRefusedWithExit5() {
        plain.create();
        plain.getBlobClient("plain").upload(BinaryData.fromString("not encrypted"));

        CliRun.Result down = download("plain", folder.resolve("out.bin"), KeyFiles.aes(folder, "k"));

        assertThat(down.exitCode()).as(down.toString()).isEqualTo(5);
        assertThat(down.errLines()).singleElement().asString().contains("not encrypted")
            .doesNotContain("requireEncryption", "ClientSideEncryptionOptions");
        assertThat(folder.resolve("out.bin")).doesNotExist();
    }

    @Test
    void download_legacyV1BlobFromTheJava8Sdk_isRefusedWithExit5_andDecryptedWithAllowV1() throws IOException {
        KnownAnswerVector vector = Vectors.load(Vectors.JAVA8_LEGACY_SDK, "blob-v1-17bytes");
        plain.create();
        plain.getBlobClient("v1").uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromBytes(
            vector.rawBytes())).setMetadata(vector.metadata()), null, null);
        Path key = KeyFiles.vectorKek(folder, Vectors.JAVA8_LEGACY_SDK);

        CliRun.Result refused = download("v1", folder.resolve("refused.bin"), key);
        CliRun.Result allowed = download("v1", folder.resolve("whole.bin"), key, "--allow-v1");
        CliRun.Result ranged = download("v1", folder.resolve("range.bin"), key, "--allow-v1", "--offset", "3",
            "--count", "10");

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(5);
        assertThat(refused.errLines()).singleElement().asString().contains("--allow-v1", "1.0")
            .doesNotContain("allowUnauthenticatedV1Reads", "ClientSideEncryptionOptions");
        assertThat(folder.resolve("refused.bin")).doesNotExist();
        assertThat(allowed.exitCode()).as(allowed.toString()).isZero();
        assertThat(allowed.out()).contains("protocol 1.0", "unauthenticated", "not verified")
            .doesNotContain(", verified");
        assertThat(Files.readAllBytes(folder.resolve("whole.bin"))).isEqualTo(vector.plaintext());
        assertThat(ranged.exitCode()).as(ranged.toString()).isZero();
        assertThat(Files.readAllBytes(folder.resolve("range.bin")))
            .isEqualTo(Arrays.copyOfRange(vector.plaintext(), 3, 13));
    }

    @Test
    void inspect_encryptedBlob_printsMetadataSizesAndStoredBytesThatAreNotThePlaintext() throws IOException {
        byte[] data = TestData.recipe(100);
        upload("shown", file("in.bin", data), KeyFiles.aes(folder, "inspect-key"), "--region-size", "16");

        CliRun.Result inspect = cse4j("blob", "inspect", "--container", container, "--name", "shown");

        assertThat(inspect.exitCode()).as(inspect.toString()).isZero();
        Map<String, String> fields = fields(inspect.out());
        assertThat(fields).containsEntry("blob", container + "/shown").containsEntry("encrypted", "yes")
            .containsEntry("protocol", "2.1").containsEntry("key id", "inspect-key")
            .containsEntry("wrap algorithm", "A256KW").containsEntry("region size", "16")
            .containsEntry("plaintext size", "100").containsEntry("stored size", String.valueOf(100 + 7 * 28));
        assertThat(fields.get("encryption library")).startsWith("cse4j ");
        String storedHex = fields.get("stored first bytes (hex)");
        assertThat(storedHex).hasSize(64)
            .isEqualTo(HexFormat.of().formatHex(plain.getBlobClient("shown").downloadContent().toBytes(), 0, 32))
            .doesNotContain(HexFormat.of().formatHex(data, 0, 8));
        assertThat(EncryptionData.parse(fields.get("encryptiondata"))).isEqualTo(stored("shown"));
    }

    /** Stores the blob's stored bytes cut to {@code length}, with its metadata (or without the record). */
    private void storeCut(String name, int length, boolean keepRecord) {
        BlobClient blob = plain.getBlobClient(name);
        Map<String, String> metadata = new java.util.HashMap<>(blob.getProperties().getMetadata());
        if (!keepRecord) {
            metadata.remove("cse4jintegrity");
        }
        byte[] stored = blob.downloadContent().toBytes();
        blob.uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromBytes(Arrays.copyOf(stored, length)))
            .setMetadata(metadata), null, null);
    }

    @Test
    void download_regionsDroppedFromTheEnd_exits3_andWithoutTheRecordOnlyUnderTheRequirement() throws IOException {
        Path key = KeyFiles.aes(folder, "k");
        byte[] data = TestData.random(200, 9);
        upload("cut", file("in.bin", data), key, "--region-size", "16");
        upload("cut-stripped", file("in.bin", data), key, "--region-size", "16");
        storeCut("cut", 10 * 44, true);
        storeCut("cut-stripped", 10 * 44, false);

        CliRun.Result whole = download("cut", folder.resolve("out.bin"), key);
        CliRun.Result ranged = download("cut", folder.resolve("out.bin"), key, "--offset", "0", "--count", "5");
        CliRun.Result stripped = download("cut-stripped", folder.resolve("out.bin"), key);
        CliRun.Result required = download("cut-stripped", folder.resolve("required.bin"), key,
            "--require-integrity-record");

        assertThat(whole.exitCode()).as(whole.toString()).isEqualTo(3);
        assertThat(whole.err()).contains("integrity record");
        assertThat(ranged.exitCode()).as(ranged.toString()).isEqualTo(3);
        assertThat(required.exitCode()).as(required.toString()).isEqualTo(5);
        assertThat(required.err()).contains("no integrity record", "without --require-integrity-record")
            .doesNotContain("requireIntegrityRecord", "ClientSideEncryptionOptions");
        assertThat(folder.resolve("required.bin")).doesNotExist();
        // documented limit: a stripped record hides the truncation from a reader that does not require records
        assertThat(stripped.exitCode()).as(stripped.toString()).isZero();
        assertThat(Files.readAllBytes(folder.resolve("out.bin"))).isEqualTo(Arrays.copyOf(data, 160));
    }

    @Test
    void inspect_showsTheIntegrityRecord_verifiedOnlyWithTheKey() throws IOException {
        Path key = KeyFiles.aes(folder, "k");
        Path otherKey = KeyFiles.aes(folder, "other");
        upload("recorded", file("in.bin", TestData.random(100, 10)), key, "--region-size", "16");
        upload("truncated", file("in.bin", TestData.random(100, 10)), key, "--region-size", "16");
        storeCut("truncated", 3 * 44, true);

        CliRun.Result keyless = cse4j("blob", "inspect", "--container", container, "--name", "recorded");
        CliRun.Result keyed = cse4j("blob", "inspect", "--container", container, "--name", "recorded", "--key",
            key.toString());
        CliRun.Result wrongKey = cse4j("blob", "inspect", "--container", container, "--name", "recorded", "--key",
            otherKey.toString());
        CliRun.Result cutKeyless = cse4j("blob", "inspect", "--container", container, "--name", "truncated");
        CliRun.Result cutKeyed = cse4j("blob", "inspect", "--container", container, "--name", "truncated", "--key",
            key.toString());

        assertThat(keyless.exitCode()).as(keyless.toString()).isZero();
        assertThat(fields(keyless.out()).get("integrity record")).startsWith("present (version 1, protocol 2.1, "
            + "region size 16, plaintext length 100)").contains("not verified");
        assertThat(fields(keyless.out()).get("cse4jintegrity")).isEqualTo(plain.getBlobClient("recorded")
            .getProperties().getMetadata().get("cse4jintegrity"));
        assertThat(keyed.exitCode()).as(keyed.toString()).isZero();
        assertThat(fields(keyed.out()).get("integrity record")).startsWith("verified (version 1");
        assertThat(wrongKey.exitCode()).as(wrongKey.toString()).isEqualTo(4);
        assertThat(cutKeyless.exitCode()).as(cutKeyless.toString()).isEqualTo(3);
        assertThat(fields(cutKeyless.out()).get("integrity record")).contains("contradicted");
        assertThat(cutKeyed.exitCode()).as(cutKeyed.toString()).isEqualTo(3);
        assertThat(fields(cutKeyed.out()).get("integrity record")).startsWith("FAILED verification");
    }

    @Test
    void inspect_unencryptedBlob_saysSo_andMissingBlobExits1() {
        plain.create();
        plain.getBlobClient("plain").upload(BinaryData.fromString("hello"));

        CliRun.Result shown = cse4j("blob", "inspect", "--container", container, "--name", "plain");
        CliRun.Result missing = cse4j("blob", "inspect", "--container", container, "--name", "missing");

        assertThat(shown.exitCode()).isZero();
        assertThat(fields(shown.out())).containsEntry("plaintext size", "5").containsEntry("stored size", "5")
            .containsEntry("stored first bytes (hex)", "68656c6c6f").doesNotContainKey("encryptiondata");
        assertThat(fields(shown.out()).get("encrypted")).startsWith("no");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.errLines()).singleElement().asString().contains("does not exist");
    }

    @Test
    void inspect_metadataStringsWithControlAndBidiCharacters_areEscaped_andErrorLinesToo() throws IOException {
        Path key = KeyFiles.aes(folder, "k");
        upload("crafted", file("in.bin", new byte[10]), key);
        String crafted = "\\u001b[2J\\u0007evil\\r\\u202e" + "x".repeat(3000);
        editEncryptionData("crafted", json -> json.replace("\"KeyId\":\"k\"", "\"KeyId\":\"" + crafted + "\"")
            .replaceAll("\"EncryptionLibrary\":\"[^\"]*\"", "\"EncryptionLibrary\":\"lib\\\\u001b]0;title\\\\u0007\""));

        CliRun.Result inspect = cse4j("blob", "inspect", "--container", container, "--name", "crafted");
        CliRun.Result down = download("crafted", folder.resolve("out.bin"), key);

        assertThat(inspect.exitCode()).as(inspect.toString()).isZero();
        assertThat(inspect.out()).doesNotContainPattern("[\\x00-\\x09\\x0b-\\x1f\\x7f\\u202e]");
        assertThat(fields(inspect.out()).get("key id")).startsWith("\\x1b[2J\\x07evil\\x0d\\u{202e}xxx");
        assertThat(fields(inspect.out()).get("encryption library")).isEqualTo("lib\\x1b]0;title\\x07");
        assertThat(down.exitCode()).as(down.toString()).isEqualTo(4);
        assertThat(down.errLines()).singleElement().asString().contains("\\x1b[2J\\x07evil")
            .doesNotContainPattern("[\\x00-\\x1f\\x7f\\u202e]").hasSizeLessThanOrEqualTo(TerminalText.MAX_LINE);
    }

    @Test
    void inspect_malformedMetadata_printsTheRawMetadataEscapedAndTheParseError() throws IOException {
        upload("malformed", file("in.bin", new byte[10]), KeyFiles.aes(folder, "k"));
        String raw = editEncryptionData("malformed", json -> json.replace("\"2.0\"", "\"9.9\\u001b[31m\""));

        CliRun.Result inspect = cse4j("blob", "inspect", "--container", container, "--name", "malformed");

        assertThat(inspect.exitCode()).as(inspect.toString()).isEqualTo(3);
        Map<String, String> fields = fields(inspect.out());
        assertThat(fields).containsEntry("blob", container + "/malformed").containsEntry("encryptiondata", raw)
            .containsEntry("stored size", String.valueOf(10 + 28));
        assertThat(fields.get("encrypted")).startsWith("malformed");
        assertThat(inspect.errLines()).singleElement().asString()
            .contains("Unsupported encryption protocol '9.9\\x1b[31m'");
    }

    @Test
    void pageBlobWith2xMetadata_isReportedAsAnUnsupportedBlobType_notAsTampered() throws IOException {
        Path key = KeyFiles.aes(folder, "k");
        upload("block", file("in.bin", new byte[100]), key);
        Map<String, String> metadata = plain.getBlobClient("block").getProperties().getMetadata();
        pageBlob("page", Map.of("encryptiondata", metadata.get("encryptiondata")));
        pageBlob("page-recorded", metadata); // with cse4j's integrity record, copied from the block blob

        CliRun.Result down = download("page", folder.resolve("out.bin"), key);
        CliRun.Result inspect = cse4j("blob", "inspect", "--container", container, "--name", "page");
        CliRun.Result recorded = cse4j("blob", "inspect", "--container", container, "--name", "page-recorded");

        assertThat(down.exitCode()).as(down.toString()).isEqualTo(1);
        assertThat(down.errLines()).singleElement().asString().contains("page blob", "block blobs")
            .doesNotContain("tamper", "truncated", "modified");
        assertThat(folder.resolve("out.bin")).doesNotExist();
        assertThat(inspect.exitCode()).as(inspect.toString()).isZero();
        assertThat(fields(inspect.out())).containsEntry("blob type", "page").containsEntry("protocol", "2.0");
        assertThat(fields(inspect.out()).get("plaintext size")).startsWith("unknown");
        assertThat(recorded.exitCode()).as(recorded.toString()).isZero();
        assertThat(recorded.err()).isEmpty();
        assertThat(fields(recorded.out())).containsEntry("blob type", "page");
        assertThat(fields(recorded.out()).get("integrity record")).contains("block blobs only")
            .doesNotContain("contradicted", "modified", "dropped");
        assertThat(fields(recorded.out()).get("plaintext size")).startsWith("unknown");
    }

    /** A 512-byte page blob with this metadata. */
    private void pageBlob(String name, Map<String, String> metadata) {
        BlobClient page = plain.getBlobClient(name);
        page.getPageBlobClient().create(512);
        page.getPageBlobClient().uploadPages(new com.azure.storage.blob.models.PageRange().setStart(0).setEnd(511),
            new java.io.ByteArrayInputStream(new byte[512]));
        page.setMetadata(metadata);
    }

    static Map<String, String> fields(String out) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int colon = line.indexOf(": ");
            fields.put(line.substring(0, colon), line.substring(colon + 2));
        }
        return fields;
    }

    @Test
    void upload_missingFileOrKeyFileOrInvalidKeyFile_exits1WithOneLine() throws IOException {
        Path key = KeyFiles.aes(folder, "k");
        Path in = file("in.bin", new byte[3]);
        Path notAKey = file("not-a-key.json", "{\"kty\":\"oct\"}".getBytes());

        CliRun.Result noFile = upload("x", folder.resolve("missing.bin"), key);
        CliRun.Result noKey = upload("x", in, folder.resolve("missing.jwk"));
        CliRun.Result badKey = upload("x", in, notAKey);

        assertThat(noFile.exitCode()).isEqualTo(1);
        assertThat(noFile.errLines()).singleElement().asString().contains("missing.bin", "--file");
        assertThat(noKey.exitCode()).isEqualTo(1);
        assertThat(noKey.errLines()).singleElement().asString().contains("missing.jwk");
        assertThat(badKey.exitCode()).isEqualTo(1);
        assertThat(badKey.errLines()).singleElement().asString().contains("kid");
        assertThat(plain.exists()).isFalse();
    }

    @Test
    void connectionString_comesFromTheEnvironmentWhenTheOptionIsAbsent() throws IOException {
        Path key = KeyFiles.aes(folder, "k");
        Map<String, String> env = Map.of("AZURE_STORAGE_CONNECTION_STRING", azurite.connectionString());

        CliRun.Result up = CliRun.run(env, false, "blob", "upload", "--container", container, "--name", "env",
            "--file", file("in.bin", new byte[] {5}).toString(), "--key", key.toString());

        assertThat(up.exitCode()).as(up.toString()).isZero();
        assertThat(plain.getBlobClient("env").exists()).isTrue();
    }

    @Test
    void unreachableService_exits1SayingWhatToCheck() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String unreachable = azurite.connectionString().replace(":" + azurite.blobPort() + "/",
            ":" + closedPort + "/");

        CliRun.Result result = CliRun.run("blob", "inspect", "--container", container, "--name", "x",
            "--connection-string", unreachable);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.errLines()).singleElement().asString().contains("--connection-string");
    }

    @Test
    void progressBar_isDrawnOnATerminalForLargeTransfers_andNotWithQuiet() throws IOException {
        Path key = KeyFiles.aes(folder, "k");
        Path in = file("in.bin", TestData.random(5 * 1024 * 1024, 7));
        List<String> upload = List.of("blob", "upload", "--container", container, "--name", "bar", "--file",
            in.toString(), "--key", key.toString(), "--connection-string", azurite.connectionString(), "--overwrite");

        CliRun.Result shown = CliRun.run(Map.of(), true, upload.toArray(String[]::new));
        CliRun.Result quiet = CliRun.run(Map.of(), true, CliRun.args(upload, "--quiet"));
        CliRun.Result notTerminal = CliRun.run(Map.of(), false, upload.toArray(String[]::new));

        assertThat(shown.exitCode()).isZero();
        assertThat(shown.err()).contains("upload [", "100%", "5.0 MiB / 5.0 MiB").endsWith("\n");
        assertThat(quiet.err()).isEmpty();
        assertThat(notTerminal.err()).isEmpty();
    }
}
