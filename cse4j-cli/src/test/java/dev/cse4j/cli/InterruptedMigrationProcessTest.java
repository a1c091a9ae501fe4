package dev.cse4j.cli;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import dev.cse4j.blob.BlobEncryptionInfo;
import dev.cse4j.blob.EncryptedBlobClientBuilder;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.keys.JsonWebKeySet;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.KnownAnswerVector;
import dev.cse4j.testing.TestData;
import dev.cse4j.testing.Vectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/cse4j blob migrate} killed with SIGKILL at a random moment (seeded: after a random number of blobs were
 * reported, plus a random delay, while other blobs are mid-transfer), then run again to completion: every blob is
 * readable and holds its plaintext, and each is migrated exactly once (a blob the killed run committed is skipped as
 * already done by the rerun, its encryption metadata untouched; every other blob is migrated by the rerun). 10 seeds:
 * 3 in the default suite, the other 7 under tag {@code large} ({@code -Dgroups=large}, README);
 * the blobs: seven cse4j 2.1 blobs of random sizes and one 1.0 blob of the legacy Java 8 SDK. Runs {@code bin/cse4j} (tag
 * {@code process}).
 */
@Tag("process")
@ExtendWith(AzuriteExtension.class)
class InterruptedMigrationProcessTest {
    private static final int BLOBS = 8;
    private static final KnownAnswerVector V1 = Vectors.load(Vectors.JAVA8_LEGACY_SDK, "blob-v1-17bytes");

    private static Azurite azurite;
    private static Path key;
    private static int killedMidRun;
    private static int runs;

    @TempDir
    Path folder;

    @BeforeAll
    static void keys(Azurite service, @TempDir Path keys) {
        azurite = service;
        key = KeyFiles.vectorKek(keys, Vectors.JAVA8_LEGACY_SDK);
    }

    @AfterAll
    static void atLeastOneRunWasKilledMidway() {
        System.out.println("Interrupted migrations: " + killedMidRun + " of " + runs + " runs killed before they finished");
        assertThat(killedMidRun).as("runs killed before they finished").isPositive();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2})
    void migrate_killedAtARandomMoment_thenRerun_leavesEveryBlobReadable_andMigratesEachExactlyOnce(int seed)
        throws Exception {
        killAndRerun(seed);
    }

    @Tag("large")
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {3, 4, 5, 6, 7, 8, 9, 10})
    void migrate_killedAtMoreRandomMoments_thenRerun_leavesEveryBlobReadable_andMigratesEachExactlyOnce(int seed)
        throws Exception {
        killAndRerun(seed);
    }

    private void killAndRerun(int seed) throws Exception {
        runs++;
        Random random = new Random(seed);
        BlobContainerClient container = new BlobServiceClientBuilder().connectionString(azurite.connectionString())
            .buildClient().createBlobContainer("killed-" + seed + "-" + Long.toHexString(random.nextLong() >>> 16));
        Map<String, byte[]> plaintexts = write(container, random);
        String[] migrate = {"blob", "migrate", "--container", container.getBlobContainerName(), "--key",
            key.toString(), "--json", "--concurrency", "3"};
        int linesBeforeKill = 1 + random.nextInt(BLOBS - 3);
        long delayMillis = random.nextInt(40);

        Run killed = start(migrate, "killed");
        boolean midRun = killed.killAfter(linesBeforeKill, delayMillis);
        Map<String, String> afterKill = encryptionData(container);
        Run rerun = start(migrate, "rerun");
        int exit = rerun.await();

        if (midRun) {
            killedMidRun++;
        }
        assertThat(exit).as("rerun: %s", rerun).isZero();
        Map<String, String> rerunResults = results(rerun.lines());
        Map<String, String> killedResults = results(killed.lines());
        Set<String> doneBeforeRerun = afterKill.entrySet().stream()
            .filter(e -> BlobEncryptionInfo.of(Map.of("encryptiondata", e.getValue()), 0).getProtocol()
                == EncryptionProtocol.V2_0).map(Map.Entry::getKey).collect(Collectors.toSet());
        Map<String, String> now = encryptionData(container);
        assertThat(rerunResults).as("every blob reported once by the rerun").hasSize(BLOBS);
        for (String name : plaintexts.keySet()) {
            if (doneBeforeRerun.contains(name)) {
                assertThat(rerunResults.get(name)).as(name).isEqualTo("skipped:already done");
                assertThat(now.get(name)).as("%s untouched by the rerun", name).isEqualTo(afterKill.get(name));
            } else {
                assertThat(rerunResults.get(name)).as(name).isEqualTo("migrated");
                assertThat(killedResults.get(name)).as(name).isNotEqualTo("migrated");
            }
            assertThat(BlobEncryptionInfo.of(Map.of("encryptiondata", now.get(name)), 0).getProtocol())
                .isEqualTo(EncryptionProtocol.V2_0);
            assertThat(new EncryptedBlobClientBuilder().blobClient(container.getBlobClient(name))
                .clientSideEncryptionOptions(ClientSideEncryptionOptions.builder().keyResolver(JsonWebKeySet.read(key)
                    .resolver()).requireIntegrityRecord(true).build()).buildEncryptedBlobClient().downloadContent()
                .toBytes()).as("%s reads back", name).isEqualTo(plaintexts.get(name));
        }
        killedResults.forEach((name, result) -> assertThat(result).as(name).isIn("migrated", "skipped:already done"));
        assertThat(doneBeforeRerun).containsAll(killedResults.keySet());
    }

    /** {@code BLOBS - 1} cse4j 2.1 blobs of 0 to 64 KiB (16 KiB regions) and one 1.0 blob; their plaintexts. */
    private static Map<String, byte[]> write(BlobContainerClient container, Random random) {
        Map<String, byte[]> plaintexts = new LinkedHashMap<>();
        ClientSideEncryptionOptions options = ClientSideEncryptionOptions.builder()
            .key(JsonWebKeySet.read(key).single().toKeyEncryptionKey(), "A256KW").blobProtocol(EncryptionProtocol.V2_1)
            .blobRegionLength(16 * 1024).build();
        for (int i = 0; i < BLOBS - 1; i++) {
            String name = String.format("blob-%02d", i);
            byte[] data = TestData.random(random.nextInt(64 * 1024), random.nextLong());
            new EncryptedBlobClientBuilder().blobClient(container.getBlobClient(name)).clientSideEncryptionOptions(
                options).buildEncryptedBlobClient().upload(BinaryData.fromBytes(data));
            plaintexts.put(name, data);
        }
        container.getBlobClient("legacy-v1").uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromBytes(
            V1.rawBytes())).setMetadata(V1.metadata()), null, null);
        plaintexts.put("legacy-v1", V1.plaintext());
        return plaintexts;
    }

    private static Map<String, String> encryptionData(BlobContainerClient container) {
        Map<String, String> data = new LinkedHashMap<>();
        container.listBlobs(new com.azure.storage.blob.models.ListBlobsOptions().setDetails(
            new com.azure.storage.blob.models.BlobListDetails().setRetrieveMetadata(true)), null)
            .forEach(item -> data.put(item.getName(), item.getMetadata().get("encryptiondata")));
        return data;
    }

    /** name → {@code result} or {@code skipped:reason}, from JSON lines; a blob reported twice fails. */
    private static Map<String, String> results(List<String> lines) {
        Map<String, String> results = new LinkedHashMap<>();
        for (String line : lines) {
            String name = field(line, "name");
            String result = field(line, "result");
            String value = "skipped".equals(result) ? result + ":" + field(line, "reason") : result;
            assertThat(results.put(name, value)).as("%s reported once", name).isNull();
        }
        return results;
    }

    /** A string member of a line the command printed (names here need no JSON escapes). */
    private static String field(String line, String name) {
        int start = line.indexOf("\"" + name + "\":\"");
        assertThat(start).as("%s in %s", name, line).isNotNegative();
        int from = start + name.length() + 4;
        return line.substring(from, line.indexOf('"', from));
    }

    private Run start(String[] args, String label) throws IOException, InterruptedException {
        Path out = folder.resolve(label + ".out");
        Path err = folder.resolve(label + ".err");
        List<String> command = new java.util.ArrayList<>(List.of(Launcher.script().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("AZURE_STORAGE_CONNECTION_STRING", azurite.connectionString());
        builder.environment().put("CSE4J_JAVA_OPTS", Launcher.javaOptions());
        return new Run(builder.start(), out, err);
    }

    /** One {@code bin/cse4j} process, its output in files. */
    private record Run(Process process, Path out, Path err) {
        /**
         * Kills the process with SIGKILL once it printed {@code lines} lines, after {@code delayMillis}.
         *
         * @return whether it was killed before it finished
         */
        boolean killAfter(int lines, long delayMillis) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (process.isAlive() && lines().size() < lines && System.nanoTime() < deadline) {
                process.waitFor(5, TimeUnit.MILLISECONDS);
            }
            if (process.waitFor(delayMillis, TimeUnit.MILLISECONDS)) {
                return false;
            }
            process.destroyForcibly(); // SIGKILL: bin/cse4j execs the JVM
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return process.exitValue() == 137;
        }

        int await() throws Exception {
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the rerun ends").isTrue();
            return process.exitValue();
        }

        /** The complete lines printed so far. */
        List<String> lines() throws IOException {
            String text = Files.readString(out, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
        }

        @Override
        public String toString() {
            try {
                return "stdout:\n" + Files.readString(out) + "stderr:\n" + Files.readString(err);
            } catch (IOException e) {
                return e.toString();
            }
        }
    }
}
