package dev.cse4j.cli;

import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged {@code target/cse4j.jar} ships the Amazon Corretto Crypto Provider (linux-x86_64): by default blob
 * transfers of 8 MiB or more use it where it loads and the JVM compiles with C1 only, as {@code bin/cse4j} starts it
 * there (of 4 GiB or more with C2; the JDK below that), {@code -Dcse4j.crypto.provider=corretto} and
 * {@code =jdk} force one, each reads what the other wrote, and a jar whose native library cannot load falls back to
 * the JDK silently. Runs {@code bin/cse4j} (tag {@code process}).
 */
@Tag("process")
@ExtendWith(AzuriteExtension.class)
class CryptoProviderProcessTest {
    private static final String CORRETTO = "Amazon Corretto Crypto Provider 2.5.0 (native AES-GCM)";
    private static final String CORRETTO_LINE = "crypto: " + CORRETTO;
    private static final String JDK_LINE = "crypto: JDK SunJCE ";
    /** The tests' JVMs, as {@code bin/cse4j}'s on linux-x86_64, compile with C1 only ({@link Launcher#javaOptions}). */
    private static final String AUTO_SUFFIX = "; " + CORRETTO + " for blob transfers of 8 MiB or more";
    private static final String AUTO_SUFFIX_WITH_C2 = "; " + CORRETTO + " for blob transfers of 4 GiB or more";
    private static final String FORCED = " (-Dcse4j.crypto.provider=jdk)";
    private static final Map<String, String> FORCE_JDK = Map.of("CSE4J_JAVA_OPTS", "-Dcse4j.crypto.provider=jdk");
    private static final Map<String, String> FORCE_CORRETTO = Map.of("CSE4J_JAVA_OPTS",
        "-Dcse4j.crypto.provider=corretto");
    private static final String NATIVE_LIBRARY = "com/amazon/corretto/crypto/provider/libamazonCorrettoCryptoProvider.so";

    @TempDir
    Path folder;

    /** The jar's provider is built for linux-x86_64 only; elsewhere the CLI must be on the JDK. */
    private static boolean correttoRunsHere() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        return os.contains("linux") && ("amd64".equals(arch) || "x86_64".equals(arch));
    }

    @Test
    void version_namesTheJdkAndCorrettoForLargeTransfers_orTheForcedOne() throws IOException, InterruptedException {
        CliRun.Result byDefault = Launcher.run(folder, Map.of(), "--version");
        CliRun.Result forced = Launcher.run(folder, FORCE_JDK, "--version");

        assertThat(byDefault.exitCode()).as(byDefault.toString()).isZero();
        assertThat(byDefault.err()).isEmpty();
        List<String> lines = byDefault.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("cse4j ");
        if (correttoRunsHere()) {
            assertThat(lines.get(1)).startsWith(JDK_LINE).endsWith(AUTO_SUFFIX);
            CliRun.Result withC2 = Launcher.run(folder, Map.of("CSE4J_JAVA_OPTS", "-XX:TieredStopAtLevel=4"),
                "--version");
            assertThat(withC2.out().lines().toList()).hasSize(2).last().asString().startsWith(JDK_LINE)
                .endsWith(AUTO_SUFFIX_WITH_C2);
            CliRun.Result corretto = Launcher.run(folder, FORCE_CORRETTO, "--version");
            assertThat(corretto.out().lines().toList()).hasSize(2).last().asString().isEqualTo(CORRETTO_LINE);
        } else {
            assertThat(lines.get(1)).startsWith("crypto: JDK ").contains("Corretto Crypto Provider is not used");
        }
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(forced.out().lines().toList()).hasSize(2).last().asString().startsWith(JDK_LINE)
            .endsWith(FORCED);
    }

    @Test
    void uploadWithOneProvider_downloadWithTheOther_bothWays(Azurite azurite) throws IOException, InterruptedException {
        Map<String, String> env = Map.of("AZURE_STORAGE_CONNECTION_STRING", azurite.connectionString());
        Map<String, String> jdkEnv = new HashMap<>(env);
        jdkEnv.putAll(FORCE_JDK);
        Map<String, String> correttoEnv = new HashMap<>(env); // the default where Corretto cannot run
        if (correttoRunsHere()) {
            correttoEnv.putAll(FORCE_CORRETTO);
        }
        Path key = KeyFiles.aes(folder, "providers");
        byte[] data = TestData.random(300_001, 21); // 74 regions of 4096 bytes, the last one partial
        Path in = Files.write(folder.resolve("in.bin"), data);
        String correttoLine = "cse4j: " + (correttoRunsHere() ? CORRETTO_LINE : JDK_LINE);

        CliRun.Result upWithCorretto = Launcher.run(folder, correttoEnv, upload("by-corretto", in, key, "--debug"));
        CliRun.Result downWithJdk = Launcher.run(folder, jdkEnv, download("by-corretto", "jdk.out", key, "--debug"));
        CliRun.Result upWithJdk = Launcher.run(folder, jdkEnv, upload("with-jdk", in, key, "--debug"));
        CliRun.Result downWithCorretto = Launcher.run(folder, correttoEnv,
            download("with-jdk", "corretto.out", key, "--debug"));

        for (CliRun.Result result : List.of(upWithCorretto, downWithJdk, upWithJdk, downWithCorretto)) {
            assertThat(result.exitCode()).as(result.toString()).isZero();
        }
        assertThat(upWithCorretto.errLines()).anySatisfy(line -> assertThat(line).startsWith(correttoLine));
        assertThat(downWithCorretto.errLines()).anySatisfy(line -> assertThat(line).startsWith(correttoLine));
        for (CliRun.Result withJdk : List.of(upWithJdk, downWithJdk)) {
            assertThat(withJdk.errLines()).anySatisfy(line -> assertThat(line).startsWith("cse4j: " + JDK_LINE)
                .endsWith(FORCED));
        }
        assertThat(folder.resolve("jdk.out")).hasBinaryContent(data);
        assertThat(folder.resolve("corretto.out")).hasBinaryContent(data);
    }

    @Test
    void withoutItsNativeLibrary_theCliFallsBackToTheJdk_warningOnlyAfterSlowLargeWork(Azurite azurite)
        throws IOException, InterruptedException {
        Path jar = folder.resolve("cse4j-without-native-library.jar");
        Files.copy(Launcher.jar(), jar);
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
            Files.delete(zip.getPath(NATIVE_LIBRARY));
        }
        Map<String, String> env = Map.of("CSE4J_JAR", jar.toString(), "AZURE_STORAGE_CONNECTION_STRING",
            azurite.connectionString());
        Path key = KeyFiles.aes(folder, "fallback");
        byte[] data = TestData.random(70_000, 22);
        Path in = Files.write(folder.resolve("in.bin"), data);

        Path large = Files.write(folder.resolve("large.bin"), TestData.random(9 * 1024 * 1024, 23));

        CliRun.Result version = Launcher.run(folder, env, "--version");
        CliRun.Result up = Launcher.run(folder, env, upload("fallback", in, key));
        CliRun.Result down = Launcher.run(folder, env, download("fallback", "fallback.out", key));
        CliRun.Result largeUp = Launcher.run(folder, env, upload("large", large, key));

        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.out().lines().skip(1)).singleElement().asString()
            .startsWith(JDK_LINE)
            .contains("(The Amazon Corretto Crypto Provider is not used: its native library did not load on ")
            .endsWith("; this JVM has no optimizing JIT compiler, so the JDK's AES-GCM runs at 20-50 MB/s: for large "
                + "blobs set CSE4J_JAVA_OPTS=-XX:TieredStopAtLevel=4");
        assertThat(up.exitCode()).as(up.toString()).isZero();
        assertThat(up.err()).isEmpty();
        assertThat(down.exitCode()).as(down.toString()).isZero();
        assertThat(down.err()).isEmpty();
        assertThat(folder.resolve("fallback.out")).hasBinaryContent(data);
        assertThat(largeUp.exitCode()).as(largeUp.toString()).isZero();
        assertThat(largeUp.errLines()).singleElement().asString()
            .startsWith("cse4j: warning: the transfer's encryption was slow: this JVM has no optimizing JIT compiler")
            .contains("its native library did not load", "CSE4J_JAVA_OPTS=-XX:TieredStopAtLevel=4");
    }

    private static String[] upload(String name, Path file, Path key, String... more) {
        return CliRun.args(List.of("blob", "upload", "--container", "providers", "--name", name, "--file",
            file.toString(), "--key", key.toString(), "--protocol", "2.1", "--region-size", "4096"), more);
    }

    private String[] download(String name, String file, Path key, String... more) {
        return CliRun.args(List.of("blob", "download", "--container", "providers", "--name", name, "--file",
            folder.resolve(file).toString(), "--key", key.toString()), more);
    }
}
