package dev.cse4j.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The {@code cse4j} command's entry point. {@link #main(String[])} is the only place that exits the JVM; everything
 * else returns an exit code, so the command runs in-process (tests) exactly as it runs from {@code bin/cse4j}.
 *
 * <p>Exit codes ({@link ExitCode}): 0 ok, 1 other failure, 2 usage error, 3 integrity failure, 4 key not found or
 * key id mismatch, 5 refused by policy.
 */
public final class Cse4j {
    /** System property set by {@code bin/cse4j} to {@code true} when standard error is a terminal. */
    public static final String STDERR_TERMINAL_PROPERTY = "cse4j.stderr.terminal";

    private Cse4j() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
            StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
            StandardCharsets.UTF_8);
        Map<String, String> env = System.getenv();
        boolean debug = CliContext.debugRequested(args, env);
        Logging.configure(debug);
        int code = run(args, new CliContext(out, err, env, Boolean.getBoolean(STDERR_TERMINAL_PROPERTY)));
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Runs the command with these streams and environment (no terminal: no progress bar) and returns its exit code.
     *
     * @param env the environment to read {@code AZURE_STORAGE_CONNECTION_STRING} and {@code CSE4J_DEBUG} from
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, new CliContext(out, err, env, false));
    }

    static int run(String[] args, CliContext context) {
        try {
            return Commands.newCommandLine(context).execute(args);
        } catch (Error e) {
            // picocli hands only Exceptions to the handler; an Error still gets the one-line treatment
            return Commands.failure(context, e, args);
        }
    }
}
