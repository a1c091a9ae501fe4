package dev.cse4j.testing;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Names the {@code node} and {@code npm} executables and checks that they run. */
final class NodeTools {

    /** System property naming the node executable; default {@code node} from the PATH. */
    static final String NODE_PROPERTY = "cse4j.node";
    /** System property naming the npm executable; default {@code npm} from the PATH. */
    static final String NPM_PROPERTY = "cse4j.npm";

    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(30);
    private static final String ADVICE = "Azurite, which every cse4j storage test runs against, needs Node.js "
        + "(20 or newer) and npm. Install both (Debian/Ubuntu: apt-get install nodejs npm) so that 'node' and "
        + "'npm' are on the PATH, or name the executables with -D" + NODE_PROPERTY + "=... and -D"
        + NPM_PROPERTY + "=....";

    private NodeTools() {
    }

    static String node() {
        return System.getProperty(NODE_PROPERTY, "node");
    }

    static String npm() {
        return System.getProperty(NPM_PROPERTY, "npm");
    }

    /**
     * Runs {@code command --version}.
     *
     * @param command the executable
     * @param tool the tool's name for messages ("Node.js", "npm")
     * @return the printed version
     * @throws AzuriteException saying what to install when the command cannot be run or fails
     */
    static String version(String command, String tool) {
        Process process;
        try {
            process = new ProcessBuilder(command, "--version").redirectError(Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new AzuriteException(tool + " was not found: could not run '" + command + " --version' ("
                + e.getMessage() + "). " + ADVICE, e);
        }
        if (!ChildProcesses.awaitExit(process, VERSION_TIMEOUT)) {
            ChildProcesses.stop(process, Duration.ZERO);
            throw new AzuriteException("'" + command + " --version' did not finish within "
                + VERSION_TIMEOUT.toSeconds() + " s. " + ADVICE);
        }
        if (process.exitValue() != 0) {
            throw new AzuriteException("'" + command + " --version' exited with " + process.exitValue()
                + ", so " + tool + " is not usable. " + ADVICE);
        }
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new AzuriteException("Could not read the output of '" + command + " --version': "
                + e.getMessage(), e);
        }
    }
}
