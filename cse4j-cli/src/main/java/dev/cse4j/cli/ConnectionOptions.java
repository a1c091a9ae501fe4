package dev.cse4j.cli;

import dev.cse4j.core.implementation.ServiceConnection;
import dev.cse4j.core.implementation.TerminalText;
import picocli.CommandLine.Option;

/** {@code --connection-string CS}; see {@link CliContext#connectionString(String)} for the fallbacks. */
final class ConnectionOptions {
    @Option(names = "--connection-string", paramLabel = "CS",
        description = "Storage connection string (default: $AZURE_STORAGE_CONNECTION_STRING, else "
            + "UseDevelopmentStorage=true).")
    String connectionString;

    /**
     * The failure for a connection string the Azure SDK cannot parse ({@code e} itself if it is another failure),
     * never quoting the connection string: it holds the account key or a SAS.
     */
    static RuntimeException invalid(RuntimeException e, String connectionString) {
        if (!ServiceConnection.isInvalidSetting(e)) {
            return e;
        }
        String reason = ServiceConnection.reason(e, connectionString);
        return new CliFailure(ExitCode.OTHER, "The connection string is not valid (" + TerminalText.oneLine(reason)
            + "). Check --connection-string or " + CliContext.CONNECTION_STRING_VARIABLE + ".",
            reason.equals(e.getMessage()) ? e : null);
    }
}
