package dev.cse4j.cli;

/**
 * A failure a command detected itself (a missing blob, a file that exists, ...), with the exit code it means and a
 * message saying what failed and what to do.
 */
final class CliFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ExitCode exitCode;

    CliFailure(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CliFailure(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    ExitCode exitCode() {
        return exitCode;
    }
}
