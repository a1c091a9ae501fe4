package dev.cse4j.cli;

import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

/** What a command run sees of the world: its output streams, its environment, whether stderr is a terminal. */
final class CliContext {
    /** Names the storage account when {@code --connection-string} is not given. */
    static final String CONNECTION_STRING_VARIABLE = "AZURE_STORAGE_CONNECTION_STRING";
    /** Any non-empty value other than {@code 0} or {@code false} prints stack traces, as {@code --debug} does. */
    static final String DEBUG_VARIABLE = "CSE4J_DEBUG";
    /** Used when neither the option nor the variable is set: Azurite on its default ports. */
    static final String DEVELOPMENT_STORAGE = "UseDevelopmentStorage=true";

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final boolean stderrTerminal;

    CliContext(PrintStream out, PrintStream err, Map<String, String> env, boolean stderrTerminal) {
        this.out = out;
        this.err = err;
        this.env = Map.copyOf(env);
        this.stderrTerminal = stderrTerminal;
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    boolean stderrTerminal() {
        return stderrTerminal;
    }

    /** {@code --connection-string}, else {@code AZURE_STORAGE_CONNECTION_STRING}, else the development storage. */
    String connectionString(String option) {
        if (option != null && !option.isBlank()) {
            return option;
        }
        String variable = env.get(CONNECTION_STRING_VARIABLE);
        return variable != null && !variable.isBlank() ? variable : DEVELOPMENT_STORAGE;
    }

    /** Whether stack traces were asked for: {@code --debug} before any {@code --}, or {@code CSE4J_DEBUG}. */
    static boolean debugRequested(String[] args, Map<String, String> env) {
        String variable = env.get(DEBUG_VARIABLE);
        if (variable != null && !variable.isBlank() && !"0".equals(variable.trim())
            && !"false".equalsIgnoreCase(variable.trim())) {
            return true;
        }
        return Arrays.stream(args).takeWhile(arg -> !"--".equals(arg)).anyMatch("--debug"::equals);
    }

    boolean debugRequested(String[] args) {
        return debugRequested(args, env);
    }

    /** Whether this run's command line (of which {@code spec} is a part) or the environment asks for debugging. */
    boolean debugRequested(CommandSpec spec) {
        return debugRequested(spec.root().commandLine().getParseResult().originalArgs().toArray(String[]::new));
    }
}
