package dev.cse4j.cli;

import dev.cse4j.keys.JsonWebKey;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.PeakRss;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 1 GiB upload and download through {@code bin/cse4j} with {@code -Xmx128m}: the CLI's memory stays bounded
 * whatever the blob size. Not in the default run (tag {@code large}); run it with
 * {@code ./mvnw -B -pl cse4j-cli -am verify -Dgroups=large}. Prints wall time, MB/s and the CLI process's peak RSS
 * (VmHWM) for each direction; asserts only the round trip (no timed assertions).
 */
@Tag("large")
@ExtendWith(AzuriteExtension.class)
class LargeTransferTest {
    private static final long SIZE = 1L << 30;
    private static final String HEAP = "-Xmx128m";

    @TempDir
    Path folder;

    @Test
    void oneGibibyte_roundTripsThroughTheCliWithA128MiBHeap(Azurite azurite) throws Exception {
        Path key = folder.resolve("kek.jwk");
        JsonWebKey.generateAes(256, "large").writeTo(key, false);
        Path in = folder.resolve("one-gib.bin");
        String sourceSha = writeRandom(in, SIZE);
        Map<String, String> env = Map.of("AZURE_STORAGE_CONNECTION_STRING", azurite.connectionString(),
            "CSE4J_JAVA_OPTS", HEAP);
        Path out = folder.resolve("one-gib.out");

        Measured upload = measure(env, "blob", "upload", "--container", "large", "--name", "one-gib", "--file",
            in.toString(), "--key", key.toString());
        Measured download = measure(env, "blob", "download", "--container", "large", "--name", "one-gib", "--file",
            out.toString(), "--key", key.toString());

        report("upload", upload);
        report("download", download);
        assertThat(upload.result.exitCode()).as(upload.result.toString()).isZero();
        assertThat(download.result.exitCode()).as(download.result.toString()).isZero();
        assertThat(Files.size(out)).isEqualTo(SIZE);
        assertThat(sha256(out)).isEqualTo(sourceSha);
    }

    private record Measured(CliRun.Result result, long nanos, long peakRssKib) {
    }

    private Measured measure(Map<String, String> env, String... args) throws IOException, InterruptedException {
        AtomicLong peak = new AtomicLong();
        long start = System.nanoTime();
        // as shipped: the figures it prints are the CLI's, not those of the tests' fast-starting children
        CliRun.Result result = Launcher.runAsShipped(folder, env, process -> peak.accumulateAndGet(
            PeakRss.kib(process.pid()), Math::max), args);
        return new Measured(result, System.nanoTime() - start, peak.get());
    }


    private static void report(String what, Measured measured) {
        double seconds = measured.nanos / 1e9;
        System.out.printf(Locale.ROOT, "cse4j %s of 1 GiB with %s: %.1f s wall, %.1f MB/s, peak RSS %.1f MiB%n",
            what, HEAP, seconds, SIZE / seconds / 1e6, measured.peakRssKib / 1024.0);
    }

    private static String writeRandom(Path file, long size) throws IOException, NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        SplittableRandom random = new SplittableRandom(20240101);
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        try (OutputStream stream = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += chunk.capacity()) {
                chunk.clear();
                while (chunk.hasRemaining()) {
                    chunk.putLong(random.nextLong());
                }
                sha.update(chunk.array());
                stream.write(chunk.array());
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 20];
        try (InputStream stream = Files.newInputStream(file)) {
            for (int n; (n = stream.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
