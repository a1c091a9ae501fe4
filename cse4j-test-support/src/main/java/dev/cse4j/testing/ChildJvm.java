package dev.cse4j.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A test's child JVM: a class's {@code main} run by this JVM's {@code java} with the given options and this JVM's
 * class path, its standard output and error collected line by line until it exits. The launcher's and the JVM's
 * options variables ({@code JDK_JAVA_OPTIONS}, {@code JAVA_TOOL_OPTIONS}, {@code _JAVA_OPTIONS}) are not passed on
 * unless the environment given sets them, so the child runs with exactly the options given. A child still running
 * when the call ends, by its timeout or a failure, is killed.
 */
public final class ChildJvm {
    private static final List<String> OPTIONS_VARIABLES = List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS",
        "_JAVA_OPTIONS");

    /**
     * @param output the child's lines, standard output and error mixed
     * @param nanos from its start until it exited
     */
    public record Result(int exitCode, List<String> output, long nanos) {
    }

    private ChildJvm() {
    }

    /** {@link #run(List, Class, List, Map, Duration, Consumer)} with this environment, within 2 minutes. */
    public static Result run(List<String> jvmOptions, Class<?> main, List<String> args)
        throws IOException, InterruptedException {
        return run(jvmOptions, main, args, Map.of(), Duration.ofMinutes(2), process -> { });
    }

    /**
     * @param environment changes to this JVM's environment (a {@code null} value removes a variable)
     * @param timeout how long the child may run; then it is killed (its exit code is then 137, SIGKILL's)
     * @param started called with the process as soon as it started (e.g. to sample it while it runs)
     */
    public static Result run(List<String> jvmOptions, Class<?> main, List<String> args,
        Map<String, String> environment, Duration timeout, Consumer<Process> started)
        throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        OPTIONS_VARIABLES.forEach(builder.environment()::remove);
        environment.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        Process process = builder.start();
        long start = System.nanoTime();
        // reading its output waits for the child's end: one that overruns is killed, which ends it
        Thread killer = new Thread(() -> {
            try {
                if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "child-jvm-timeout");
        killer.setDaemon(true);
        killer.start();
        List<String> output = new ArrayList<>();
        int exitCode;
        try {
            started.accept(process);
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    output.add(line);
                }
            }
            exitCode = process.waitFor();
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
        return new Result(exitCode, output, System.nanoTime() - start);
    }
}
