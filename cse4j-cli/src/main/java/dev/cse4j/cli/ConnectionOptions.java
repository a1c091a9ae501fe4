package dev.cse4j.cli;

import picocli.CommandLine.Option;

/** {@code --connection-string CS}; see {@link CliContext#connectionString(String)} for the fallbacks. */
final class ConnectionOptions {
    @Option(names = "--connection-string", paramLabel = "CS",
        description = "Storage connection string (default: $AZURE_STORAGE_CONNECTION_STRING, else "
            + "UseDevelopmentStorage=true).")
    String connectionString;

    /** The failure for a connection string the Azure SDK cannot parse. */
    static CliFailure invalid(IllegalArgumentException e) {
        return new CliFailure(ExitCode.OTHER, "The connection string is not valid ("
            + TerminalText.oneLine(e.getMessage()) + "). Check --connection-string or "
            + CliContext.CONNECTION_STRING_VARIABLE + ".", e);
    }
}
