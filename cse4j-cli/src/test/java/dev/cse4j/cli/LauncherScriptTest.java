package dev.cse4j.cli;

import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@code bin/cse4j} itself as a process, on the packaged jar: runs in the {@code integration-test} phase
 * (tag {@code process}), after {@code package}.
 */
@Tag("process")
@ExtendWith(AzuriteExtension.class)
class LauncherScriptTest {
    @TempDir
    Path folder;

    @Test
    void script_generatesAKey_uploadsAndDownloads_andExitsWithTheCommandsCodes(Azurite azurite)
        throws IOException, InterruptedException {
        Map<String, String> env = Map.of("AZURE_STORAGE_CONNECTION_STRING", azurite.connectionString());
        Path key = folder.resolve("kek.jwk");
        byte[] data = TestData.random(300_000, 11);
        Path in = Files.write(folder.resolve("in.bin"), data);
        Path out = folder.resolve("out.bin");

        CliRun.Result generated = Launcher.run(folder, env, "key", "generate", "--type", "aes256", "--kid", "proc",
            "--out", key.toString());
        CliRun.Result uploaded = Launcher.run(folder, env, "blob", "upload", "--container", "process-test", "--name",
            "b", "--file", in.toString(), "--key", key.toString(), "--protocol", "2.1", "--region-size", "4096");
        CliRun.Result downloaded = Launcher.run(folder, env, "blob", "download", "--container", "process-test",
            "--name", "b", "--file", out.toString(), "--key", key.toString(), "--offset", "1000", "--count", "9000");
        CliRun.Result usage = Launcher.run(folder, env, "blob", "download", "--container", "process-test");
        Files.writeString(folder.resolve("other.jwk"), Files.readString(key).replaceAll("\"k\":\"[^\"]+\"",
            "\"k\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\""));
        Files.setPosixFilePermissions(folder.resolve("other.jwk"), PosixFilePermissions.fromString("rw-------"));
        CliRun.Result wrongKey = Launcher.run(folder, env, "blob", "download", "--container", "process-test",
            "--name", "b", "--file", folder.resolve("never.bin").toString(), "--key",
            folder.resolve("other.jwk").toString());

        assertThat(generated.exitCode()).as(generated.toString()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(uploaded.exitCode()).as(uploaded.toString()).isZero();
        assertThat(uploaded.err()).isEmpty();
        assertThat(downloaded.exitCode()).as(downloaded.toString()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(java.util.Arrays.copyOfRange(data, 1000, 10_000));
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.errLines()).hasSize(1);
        assertThat(wrongKey.exitCode()).as(wrongKey.toString()).isEqualTo(3);
        assertThat(wrongKey.errLines()).hasSize(1);
        assertThat(folder.resolve("never.bin")).doesNotExist();
    }

    @Test
    void script_usesJavaHome_passesJavaOptions_andTellsJavaWhetherStderrIsATerminal()
        throws IOException, InterruptedException {
        Path javaHome = fakeJava();

        CliRun.Result result = Launcher.run(folder, Map.of("JAVA_HOME", javaHome.toString(), "CSE4J_JAVA_OPTS",
            "-Xmx64m -Dx=y", "PATH", fakeUname("Darwin", "arm64")), "--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("fake java: " + Launcher.javaOptions() + " -Xmx64m -Dx=y -Dcse4j.stderr.terminal=false -jar ")
            .contains("cse4j-cli/target/cse4j.jar --version");
    }

    @Test
    void script_onLinuxX86_64_compilesWithC1Only_beforeTheUsersOptions_elsewhereWithTheJvmsDefaults()
        throws IOException, InterruptedException {
        Path javaHome = fakeJava();
        Map<String, String> env = new HashMap<>(Map.of("JAVA_HOME", javaHome.toString(), "CSE4J_JAR",
            Files.writeString(folder.resolve("cse4j.jar"), "a jar").toString(), "CSE4J_JAVA_OPTS",
            "-XX:TieredStopAtLevel=4"));

        String rest = "-Dcse4j.stderr.terminal=false -jar " + env.get("CSE4J_JAR") + " --version\n";
        env.put("PATH", fakeUname("Linux", "x86_64"));
        CliRun.Result linuxX64 = Launcher.runAsShipped(folder, env, process -> { }, "--version");
        env.put("PATH", fakeUname("Linux", "aarch64"));
        CliRun.Result linuxArm = Launcher.runAsShipped(folder, env, process -> { }, "--version");
        env.put("PATH", fakeUname("Darwin", "x86_64"));
        CliRun.Result macX64 = Launcher.runAsShipped(folder, env, process -> { }, "--version");

        assertThat(linuxX64.out()).isEqualTo("fake java: -XX:TieredStopAtLevel=1 -XX:TieredStopAtLevel=4 " + rest);
        assertThat(linuxArm.out()).isEqualTo("fake java: -XX:TieredStopAtLevel=4 " + rest);
        assertThat(macX64.out()).isEqualTo(linuxArm.out());
    }

    @Test
    void script_onLinuxX86_64_compilesWithC1Only_commandsOnOneObject_notThoseThatNeedC2()
        throws IOException, InterruptedException {
        Path javaHome = fakeJava();
        Map<String, String> env = Map.of("JAVA_HOME", javaHome.toString(), "CSE4J_JAR",
            Files.writeString(folder.resolve("cse4j.jar"), "a jar").toString(), "PATH", fakeUname("Linux", "x86_64"));
        List<List<String>> oneObject = List.of(List.of("--version"), List.of("blob", "upload", "--file", "f"),
            List.of("blob", "download", "--file", "f"), List.of("blob", "inspect"), List.of("queue", "send"),
            List.of("queue", "receive"), List.of("queue", "peek"), List.of("table", "put"), List.of("table", "get"));
        // over many objects, RSA key generation, and a download that may read AES-CBC: what only C2 makes fast
        List<List<String>> withC2 = List.of(List.of("blob", "migrate"), List.of("blob", "rewrap"),
            List.of("blob", "verify"), List.of("blob", "list"), List.of("table", "query"), List.of("table", "migrate"),
            List.of("table", "rewrap"), List.of("key", "generate"), List.of("blob", "download", "--allow-v1"),
            List.of("--help"), List.of(), List.of("upload", "blob"));

        for (List<String> command : oneObject) {
            assertThat(Launcher.runAsShipped(folder, env, process -> { }, command.toArray(String[]::new)).out())
                .as("%s", command).startsWith("fake java: -XX:TieredStopAtLevel=1 -Dcse4j.stderr.terminal=");
        }
        for (List<String> command : withC2) {
            assertThat(Launcher.runAsShipped(folder, env, process -> { }, command.toArray(String[]::new)).out())
                .as("%s", command).startsWith("fake java: -Dcse4j.stderr.terminal=");
        }
    }

    @Test
    void script_mapsTheArchiveBesideTheJar_onlyWhenNewerThanTheJarAndMadeByTheJavaThatRunsIt()
        throws IOException, InterruptedException {
        Path javaHome = fakeJava();
        Path links = Files.createDirectories(folder.resolve("links"));
        Files.createSymbolicLink(links.resolve("java"), javaHome.resolve("bin/java"));
        Path jar = Files.writeString(folder.resolve("cse4j.jar"), "a jar");
        Path archive = Files.writeString(folder.resolve("cse4j.jsa"), "its archive");
        Path madeBy = Files.writeString(folder.resolve("cse4j.jsa.java"), javaHome.toRealPath() + "\n");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000_000_000L));
        Files.setLastModifiedTime(archive, FileTime.fromMillis(1_000_000_001_000L));
        Map<String, String> env = new HashMap<>(Map.of("JAVA_HOME", javaHome.toString(), "CSE4J_JAR", jar.toString(),
            "CSE4J_JAVA_OPTS", "-Dx=y", "PATH", fakeUname("Linux", "x86_64")));
        Map<String, String> throughPath = new HashMap<>(env);
        throughPath.put("JAVA_HOME", null);
        throughPath.put("PATH", links + ":" + env.get("PATH"));

        CliRun.Result mapped = Launcher.runAsShipped(folder, env, process -> { }, "--version");
        CliRun.Result linkOnPath = Launcher.runAsShipped(folder, throughPath, process -> { }, "--version");
        Files.writeString(madeBy, "/another/jdk\n");
        CliRun.Result otherJava = Launcher.runAsShipped(folder, env, process -> { }, "--version");
        Files.writeString(madeBy, javaHome.toRealPath() + "\n");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000_002_000L));
        CliRun.Result olderThanTheJar = Launcher.runAsShipped(folder, env, process -> { }, "--version");

        String rest = "-XX:TieredStopAtLevel=1 -Dx=y -Dcse4j.stderr.terminal=false -jar " + jar + " --version";
        assertThat(mapped.out()).isEqualTo("fake java: -XX:SharedArchiveFile=" + archive + " -Xlog:cds*=off " + rest
            + "\n");
        assertThat(linkOnPath.out()).isEqualTo(mapped.out());
        assertThat(otherJava.out()).isEqualTo("fake java: " + rest + "\n");
        assertThat(olderThanTheJar.out()).isEqualTo("fake java: " + rest + "\n");
    }

    @Test
    void script_startsFromTheBuildsArchive_mostClassesOfAnUploadAndADownloadComeFromIt(Azurite azurite)
        throws IOException, InterruptedException {
        Path key = KeyFiles.aes(folder, "cds");
        Path in = Files.write(folder.resolve("in.bin"), TestData.random(200_000, 12));
        Path uploadLog = folder.resolve("upload-classes.log");
        Path downloadLog = folder.resolve("download-classes.log");

        CliRun.Result uploaded = Launcher.run(folder, classLog(azurite, uploadLog), "blob", "upload", "--container",
            "cds", "--name", "b", "--file", in.toString(), "--key", key.toString());
        CliRun.Result downloaded = Launcher.run(folder, classLog(azurite, downloadLog), "blob", "download",
            "--container", "cds", "--name", "b", "--file", folder.resolve("out.bin").toString(), "--key",
            key.toString());

        assertThat(uploaded.exitCode()).as(uploaded.toString()).isZero();
        assertThat(downloaded.exitCode()).as(downloaded.toString()).isZero();
        assertThat(uploaded.err() + downloaded.err()).isEmpty();
        for (Path log : List.of(uploadLog, downloadLog)) {
            List<String> loaded = Files.readAllLines(log).stream().filter(line -> line.contains(" source: ")).toList();
            long shared = loaded.stream().filter(line -> line.contains(" source: shared objects file")).count();
            assertThat(shared).as("classes of %s mapped from the build's CDS archive, of %d loaded: when this falls, "
                + "the class list is out of date; run cse4j-cli/src/main/cds/make-classlist.sh", log.getFileName(),
                loaded.size()).isGreaterThan(loaded.size() * 9L / 10);
        }
    }

    private static Map<String, String> classLog(Azurite azurite, Path log) {
        return Map.of("AZURE_STORAGE_CONNECTION_STRING", azurite.connectionString(), "CSE4J_JAVA_OPTS",
            "-Xlog:class+load=info:file=" + log);
    }

    /** A {@code java} that prints its arguments, in {@code fake-jdk/bin}; returns {@code fake-jdk}. */
    private Path fakeJava() throws IOException {
        Path javaHome = folder.resolve("fake-jdk");
        Path java = Files.createDirectories(javaHome.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"fake java: $*\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        return javaHome;
    }

    /**
     * A {@code uname} that answers {@code -s} with {@code os} and {@code -m} with {@code machine}, in a folder of its
     * own; returns a {@code PATH} with that folder first.
     */
    private String fakeUname(String os, String machine) throws IOException {
        Path bin = Files.createDirectories(folder.resolve("uname-" + os + "-" + machine));
        Path uname = bin.resolve("uname");
        Files.writeString(uname, "#!/bin/sh\ncase $1 in -s) echo " + os + " ;; -m) echo " + machine + " ;; -sm) echo "
            + os + " " + machine + " ;; esac\n");
        Files.setPosixFilePermissions(uname, PosixFilePermissions.fromString("rwx------"));
        return bin + ":" + System.getenv("PATH");
    }

    @Test
    void script_withoutTheJar_saysWhichCommandBuildsIt() throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>();
        env.put("CSE4J_JAR", folder.resolve("missing.jar").toString());

        CliRun.Result result = Launcher.run(folder, env, "--version");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines()).singleElement().asString().contains("missing.jar is missing",
            "./mvnw -B -q -DskipTests -pl cse4j-cli -am package");
    }
}
