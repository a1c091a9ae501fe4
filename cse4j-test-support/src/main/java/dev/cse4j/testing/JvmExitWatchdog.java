package dev.cse4j.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A script that Node preloads ({@code node --require}) into Azurite so that Azurite stops when the JVM that
 * started it goes away for any reason, including a SIGKILL that skips shutdown hooks: the JVM holds the write end
 * of Azurite's stdin, the OS closes it when the JVM dies, and the script turns that end-of-file into a SIGTERM.
 * The process the JVM holds is still the server itself.
 */
final class JvmExitWatchdog {

    private static final String FILE_NAME = "stop-azurite-with-jvm.cjs";
    private static final String SCRIPT = """
        "use strict";
        // Written by dev.cse4j.testing.JvmExitWatchdog: stop Azurite when the JVM holding our stdin goes away.
        const stop = () => process.kill(process.pid, "SIGTERM");
        process.stdin.on("end", stop);
        process.stdin.on("error", stop);
        process.stdin.resume();
        process.stdin.unref(); // do not keep Node alive once Azurite has closed its servers
        """;

    private JvmExitWatchdog() {
    }

    /**
     * Writes the script (atomically, as concurrent JVMs may share the directory).
     *
     * @param directory where to write it
     * @return the script's path, for {@code node --require}
     */
    static Path writeTo(Path directory) {
        Path script = directory.resolve(FILE_NAME);
        try {
            Files.createDirectories(directory);
            Path temporary = Files.createTempFile(directory, FILE_NAME, ".tmp");
            Files.writeString(temporary, SCRIPT, StandardCharsets.UTF_8);
            Files.move(temporary, script, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + script + ": " + e.getMessage()
                + ". Choose a writable AzuriteOptions.logDirectory.", e);
        }
    }
}
