package dev.cse4j.cli;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobServiceClientBuilder;
import dev.cse4j.blob.EncryptedBlobClient;
import dev.cse4j.blob.EncryptedBlobClientBuilder;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.keys.JsonWebKeySet;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.FaultProxy;
import dev.cse4j.testing.FaultRule;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/cse4j} stopped by a signal mid-transfer leaves no plaintext and no spool behind: SIGINT and SIGTERM run
 * the JVM's shutdown hooks, which delete the download's partial file (owner-only, beside the target) and the upload's
 * ciphertext spool (in the temporary folder) while workers are still busy; the target file is left as it was. After
 * SIGKILL nothing runs: the leftover names its process id, and the next download into that folder (the next spooling
 * upload, for the temporary folder) removes it, but never the file of a process that is still running. The transfer
 * is held mid-way by a fault proxy stalling one request. Runs {@code bin/cse4j} (tag {@code process}); the default
 * suite stops a download with SIGINT and an upload with SIGTERM, tag {@code large} the other way round.
 */
@Tag("process")
@ExtendWith(AzuriteExtension.class)
class InterruptedTransferProcessTest {
    private static final int MIB = 1024 * 1024;
    /** Three 4 MiB download chunks; the proxy stalls the third GET, so two chunks' plaintext reach the file. */
    private static final byte[] DATA = TestData.random(12 * MIB, 41);
    /** More than the upload's buffers (4 × 4 MiB): sent as one Put Blob from a spool file. */
    private static final int SPOOLED = 40 * MIB;
    private static final String CONTAINER = "interrupted";

    private static Azurite azurite;
    private static Path keyFolder;
    private static Path key;

    @TempDir
    Path folder;

    @BeforeAll
    static void upload(Azurite service, @TempDir Path keys) {
        azurite = service;
        keyFolder = keys;
        key = KeyFiles.aes(keys, "signals");
        EncryptedBlobClient client = new EncryptedBlobClientBuilder().blobClient(new BlobServiceClientBuilder()
                .connectionString(azurite.connectionString()).buildClient().createBlobContainerIfNotExists(CONTAINER)
                .getBlobClient("twelve")).clientSideEncryptionOptions(ClientSideEncryptionOptions.builder()
                .key(JsonWebKeySet.read(key).single().toKeyEncryptionKey(), "A256KW")
                .blobProtocol(EncryptionProtocol.V2_1).blobRegionLength(64 * 1024).build())
            .buildEncryptedBlobClient();
        client.upload(BinaryData.fromBytes(DATA), true);
    }

    private static Map<String, String> through(FaultProxy proxy, Path temporary) {
        return Map.of("AZURE_STORAGE_CONNECTION_STRING", azurite.connectionStringThrough(proxy),
            "CSE4J_JAVA_OPTS", "-Djava.io.tmpdir=" + temporary);
    }

    private String[] download(Path file) {
        return new String[] {"blob", "download", "--container", CONTAINER, "--name", "twelve", "--file",
            file.toString(), "--key", key.toString()};
    }

    private String[] upload(String name, Path file) {
        return new String[] {"blob", "upload", "--container", CONTAINER, "--name", name, "--file", file.toString(),
            "--key", key.toString(), "--overwrite"};
    }

    /** A rule that holds the third GET of the download: two chunks arrive and are written, the third never does. */
    private static FaultRule holdThirdChunk(FaultProxy proxy) {
        return proxy.add(FaultRule.requests().method("GET").skip(2).stall());
    }

    /** A rule that holds the upload's Put Blob of {@code name}, sent once the spool file is complete. */
    private static FaultRule holdPutBlob(FaultProxy proxy, String name) {
        return proxy.add(FaultRule.requests().method("PUT").targetMatching(".*/" + name + "(\\?.*)?").stall());
    }

    static List<Path> files(Path folder, String glob) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileSystem().getPathMatcher("glob:" + glob).matches(f.getFileName()))
                .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1; // deleted meanwhile
        }
    }

    /** Sends {@code signal} to {@code process} once {@code ready} holds, at most once. */
    private static Consumer<Process> signalWhen(java.util.function.BooleanSupplier ready, String signal) {
        boolean[] sent = {false};
        return process -> {
            if (!sent[0] && ready.getAsBoolean()) {
                sent[0] = true;
                kill(process.pid(), signal);
            }
        };
    }

    private static void kill(long pid, String signal) {
        try {
            assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start().waitFor()).isZero();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "SIG{0}")
    @CsvSource({"INT, 130"})
    void download_stoppedBySignal_leavesNoPartialFile_andTheTargetAsItWas(String signal, int exitCode)
        throws IOException, InterruptedException {
        downloadStoppedBySignal(signal, exitCode);
    }

    /** SIGTERM runs the same shutdown hooks as SIGINT: checked under tag {@code large}. */
    @Tag("large")
    @ParameterizedTest(name = "SIG{0}")
    @CsvSource({"TERM, 143"})
    void download_stoppedByTheOtherSignal_leavesNoPartialFile_andTheTargetAsItWas(String signal, int exitCode)
        throws IOException, InterruptedException {
        downloadStoppedBySignal(signal, exitCode);
    }

    private void downloadStoppedBySignal(String signal, int exitCode) throws IOException, InterruptedException {
        Path out = Files.writeString(folder.resolve("out.bin"), "the old content");
        try (FaultProxy proxy = FaultProxy.start(azurite.blobPort())) {
            FaultRule held = holdThirdChunk(proxy);

            CliRun.Result result = Launcher.runSignallable(folder, through(proxy, folder), signalWhen(() ->
                held.firings() > 0 && files(folder, ".out.bin.*.cse4j-partial").stream()
                    .anyMatch(f -> size(f) >= 8L * MIB), signal), download(out));

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(exitCode);
        }
        assertThat(files(folder, "*.cse4j-partial")).isEmpty();
        assertThat(out).hasContent("the old content");
    }

    @ParameterizedTest(name = "SIG{0}")
    @CsvSource({"TERM, 143"})
    void upload_stoppedBySignal_leavesNoSpoolFile(String signal, int exitCode) throws IOException,
        InterruptedException {
        uploadStoppedBySignal(signal, exitCode);
    }

    /** SIGINT runs the same shutdown hooks as SIGTERM: checked under tag {@code large}. */
    @Tag("large")
    @ParameterizedTest(name = "SIG{0}")
    @CsvSource({"INT, 130"})
    void upload_stoppedByTheOtherSignal_leavesNoSpoolFile(String signal, int exitCode) throws IOException,
        InterruptedException {
        uploadStoppedBySignal(signal, exitCode);
    }

    private void uploadStoppedBySignal(String signal, int exitCode) throws IOException, InterruptedException {
        Path temporary = Files.createDirectory(folder.resolve("tmp"));
        Path in = Files.write(folder.resolve("in.bin"), TestData.random(SPOOLED, 42));
        try (FaultProxy proxy = FaultProxy.start(azurite.blobPort())) {
            FaultRule held = holdPutBlob(proxy, "spooled-" + signal);

            CliRun.Result result = Launcher.runSignallable(folder, through(proxy, temporary), signalWhen(() ->
                held.firings() > 0, signal), upload("spooled-" + signal, in));

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(exitCode);
        }
        assertThat(files(temporary, "cse4j-upload-*")).isEmpty();
    }

    @Test
    void download_killed_leavesAPartialFileNamingItsProcess_whichOnlyADownloadAfterItsDeathRemoves()
        throws IOException, InterruptedException {
        Path out = folder.resolve("out.bin");
        long[] killed = {0};
        try (FaultProxy proxy = FaultProxy.start(azurite.blobPort())) {
            FaultRule held = holdThirdChunk(proxy);
            CliRun.Result[] concurrent = new CliRun.Result[1];

            CliRun.Result result = Launcher.runSignallable(folder, through(proxy, folder), process -> {
                if (killed[0] == 0 && held.firings() > 0 && !files(folder, ".out.bin.*.cse4j-partial").isEmpty()) {
                    // a download into the same folder while this one is alive must leave its file alone
                    concurrent[0] = downloadDirect(folder.resolve("other.bin"));
                    assertThat(files(folder, ".out.bin." + process.pid() + "-*.cse4j-partial")).hasSize(1);
                    killed[0] = process.pid();
                    kill(process.pid(), "KILL");
                }
            }, download(out));

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(137);
            assertThat(concurrent[0].exitCode()).as(concurrent[0].toString()).isZero();
        }
        List<Path> leftovers = files(folder, ".out.bin.*.cse4j-partial");
        assertThat(leftovers).singleElement().satisfies(leftover -> assertThat(leftover.getFileName().toString())
            .matches("\\.out\\.bin\\." + killed[0] + "-[0-9a-f]{32}\\.cse4j-partial"));
        assertThat(out).doesNotExist();

        CliRun.Result next = downloadDirect(folder.resolve("next.bin"));

        assertThat(next.exitCode()).as(next.toString()).isZero();
        assertThat(files(folder, "*.cse4j-partial")).isEmpty();
        assertThat(folder.resolve("next.bin")).hasBinaryContent(DATA);
    }

    @Test
    void upload_killed_leavesASpoolFileNamingItsProcess_whichTheNextSpoolingUploadRemoves()
        throws IOException, InterruptedException {
        Path temporary = Files.createDirectory(folder.resolve("tmp"));
        Path in = Files.write(folder.resolve("in.bin"), TestData.random(SPOOLED, 43));
        long[] killed = {0};
        try (FaultProxy proxy = FaultProxy.start(azurite.blobPort())) {
            FaultRule held = holdPutBlob(proxy, "killed");

            CliRun.Result result = Launcher.runSignallable(folder, through(proxy, temporary), process -> {
                if (killed[0] == 0 && held.firings() > 0) {
                    killed[0] = process.pid();
                    kill(process.pid(), "KILL");
                }
            }, upload("killed", in));

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(137);
        }
        assertThat(files(temporary, "cse4j-upload-*")).singleElement().satisfies(spool -> assertThat(spool.getFileName()
            .toString()).matches("cse4j-upload-" + killed[0] + "-[0-9a-f]{32}\\.encrypted"));

        CliRun.Result next = Launcher.run(folder, Map.of("AZURE_STORAGE_CONNECTION_STRING",
            azurite.connectionString(), "CSE4J_JAVA_OPTS", "-Djava.io.tmpdir=" + temporary), upload("next", in));

        assertThat(next.exitCode()).as(next.toString()).isZero();
        assertThat(files(temporary, "cse4j-upload-*")).isEmpty();
    }

    private CliRun.Result downloadDirect(Path file) {
        try {
            return Launcher.run(folder, Map.of("AZURE_STORAGE_CONNECTION_STRING", azurite.connectionString()),
                download(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
