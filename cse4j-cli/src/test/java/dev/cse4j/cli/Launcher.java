package dev.cse4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private static final String JAVA_OPTS = "CSE4J_JAVA_OPTS";
    /** C1 only and the serial GC (as the Spark tests' executors): never for figures, C1 runs the crypto slower. */
    private static final String SMALL_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    private Launcher() {
    }

    /**
     * The JVM options every child gets: {@link #SMALL_JVM}. The classes come from the CDS archive the build made
     * beside the jar, which {@code bin/cse4j} maps itself.
     */
    static String javaOptions() {
        return SMALL_JVM;
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
     * As {@link #run(Path, Map, Consumer, String...)}, with the JVM's defaults instead of {@link #javaOptions} (both
     * JIT compilers, the default GC): for a test that prints what the CLI as shipped costs.
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
