package dev.cse4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs {@code bin/cse4j} as a child process. */
final class Launcher {
    private Launcher() {
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
