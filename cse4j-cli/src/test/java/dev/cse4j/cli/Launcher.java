package dev.cse4j.cli;

import dev.cse4j.testing.TestData;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs {@code bin/cse4j} as a child process, started fast on two cores: every child gets {@link #javaOptions}
 * ahead of the test's own {@code CSE4J_JAVA_OPTS}, but for {@link #runAsShipped}.
 */
final class Launcher {
    private static final String CONNECTION_STRING = "AZURE_STORAGE_CONNECTION_STRING";
    private static final String JAVA_OPTS = "CSE4J_JAVA_OPTS";
    /** C1 only and the serial GC (as the Spark tests' executors): never for figures, C1 runs the crypto slower. */
    private static final String SMALL_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    private Launcher() {
    }

    /**
     * The JVM options every child gets: {@link #SMALL_JVM}, and the classes of a first upload mapped from a CDS
     * archive ({@code cse4j-cli/target/cse4j.jsa}, made by {@link #ensureArchive} once per build), which roughly
     * halves the CPU time a short command takes to start. A missing or stale archive (another jar) is ignored, and
     * the JVM's CDS messages are off so that they never reach the output a test reads.
     */
    static String javaOptions() {
        return "-XX:SharedArchiveFile=" + archive() + " -Xlog:cds*=off " + SMALL_JVM;
    }

    /**
     * Makes the CDS archive of {@link #javaOptions} if this build has none yet, by uploading a small blob through
     * {@code connectionString} with {@code -XX:ArchiveClassesAtExit}. The test JVMs of this module may run at once:
     * one makes it, under a file lock, the others wait for it.
     */
    static synchronized void ensureArchive(String connectionString) throws IOException, InterruptedException {
        Path archive = archive();
        if (newerThanTheJar(archive)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(archive.resolveSibling("cse4j.jsa.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
            if (newerThanTheJar(archive)) {
                return;
            }
            // under target/, which the next clean build removes
            Path folder = Files.createDirectories(archive.resolveSibling("cds-training"));
            Path dump = archive.resolveSibling("cse4j.jsa.tmp");
            Files.deleteIfExists(dump);
            Path file = Files.write(folder.resolve("training.bin"), TestData.random(100_000, 1));
            Path key = KeyFiles.aes(folder, "training");
            Map<String, String> env = new HashMap<>();
            env.put(CONNECTION_STRING, connectionString);
            env.put(JAVA_OPTS, "-XX:ArchiveClassesAtExit=" + dump + " -Xlog:cds*=off " + SMALL_JVM);
            CliRun.Result training = start(List.of(), folder, env, process -> { }, "blob", "upload", "--container",
                "cds-training", "--name", "training-" + ProcessHandle.current().pid(), "--file", file.toString(),
                "--key", key.toString());
            if (training.exitCode() != 0 || !Files.exists(dump)) {
                throw new IllegalStateException("the CDS training upload failed: " + training);
            }
            Files.move(dump, archive, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static boolean newerThanTheJar(Path archive) throws IOException {
        return Files.exists(archive)
            && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar())) > 0;
    }

    private static Path archive() {
        return jar().resolveSibling("cse4j.jsa");
    }

    /** The CLI jar {@code bin/cse4j} runs: {@code cse4j-cli/target/cse4j.jar} of this checkout. */
    static Path jar() {
        return script().getParent().getParent().resolve("cse4j-cli/target/cse4j.jar");
    }

    /** {@code bin/cse4j} of this checkout (the tests run in the module folder). */
    static Path script() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path script = dir.resolve("bin").resolve("cse4j");
            if (Files.isRegularFile(script) && Files.isDirectory(dir.resolve("cse4j-cli"))) {
                return script;
            }
        }
        throw new IllegalStateException("bin/cse4j not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * Runs {@code bin/cse4j args} with the environment changed by {@code env} (a null value removes a variable),
     * stdout and stderr to files; {@code whileRunning} is called with the process about every 50 ms.
     */
    static CliRun.Result run(Path folder, Map<String, String> env, Consumer<Process> whileRunning, String... args)
        throws IOException, InterruptedException {
        return run(List.of(), folder, env, whileRunning, args);
    }

    /**
     * As {@link #run(Path, Map, Consumer, String...)}, with the JVM's defaults instead of {@link #javaOptions} (no
     * CDS archive, both JIT compilers, the default GC): for a test that prints what the CLI as shipped costs.
     */
    static CliRun.Result runAsShipped(Path folder, Map<String, String> env, Consumer<Process> whileRunning,
        String... args) throws IOException, InterruptedException {
        return start(List.of(), folder, env, whileRunning, args);
    }

    /**
     * As {@link #run(Path, Map, Consumer, String...)}, through {@code env --default-signal=INT,TERM} (GNU coreutils
     * 8.31 or later): the command gets the default handling of SIGINT and SIGTERM even where this JVM was started
     * with them ignored (as a background job is), so that a test can stop it with them.
     */
    static CliRun.Result runSignallable(Path folder, Map<String, String> env, Consumer<Process> whileRunning,
        String... args) throws IOException, InterruptedException {
        return run(List.of("env", "--default-signal=INT,TERM"), folder, env, whileRunning, args);
    }

    private static CliRun.Result run(List<String> prefix, Path folder, Map<String, String> env,
        Consumer<Process> whileRunning, String... args) throws IOException, InterruptedException {
        if (env.get(CONNECTION_STRING) != null) {
            ensureArchive(env.get(CONNECTION_STRING));
        }
        Map<String, String> withOptions = new HashMap<>(env);
        String own = env.get(JAVA_OPTS);
        withOptions.put(JAVA_OPTS, own == null ? javaOptions() : javaOptions() + " " + own);
        return start(prefix, folder, withOptions, whileRunning, args);
    }

    private static CliRun.Result start(List<String> prefix, Path folder, Map<String, String> env,
        Consumer<Process> whileRunning, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(prefix);
        command.add(script().toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(folder, "stdout", ".txt");
        Path err = Files.createTempFile(folder, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        env.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        Process process = builder.start();
        try {
            while (!process.waitFor(50, TimeUnit.MILLISECONDS)) {
                whileRunning.accept(process);
            }
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        return new CliRun.Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    }

    static CliRun.Result run(Path folder, Map<String, String> env, String... args)
        throws IOException, InterruptedException {
        return run(folder, env, process -> { }, args);
    }
}
