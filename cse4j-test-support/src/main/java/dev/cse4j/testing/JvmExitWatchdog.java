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
 * The process the JVM holds is still the server itself. The script sends no SIGTERM after one was received: the JDK
 * closes stdin right after {@link Process#destroy()} sends its own, and a second SIGTERM would end Azurite before
 * it has closed its services and saved what it keeps on disk.
 */
final class JvmExitWatchdog {

    private static final String FILE_NAME = "stop-azurite-with-jvm.cjs";
    private static final String SCRIPT = """
        "use strict";
        // Written by dev.cse4j.testing.JvmExitWatchdog: stop Azurite when the JVM holding our stdin goes away.
        // One SIGTERM only: Azurite closes its services (saving data on disk) on the first, and a second one, e.g.
        // ours when the JVM closes stdin right after sending its own, would kill it mid-close. With this listener
        // a later SIGTERM no longer ends the process by default.
        let terminating = false;
        process.on("SIGTERM", () => { terminating = true; });
        const stop = () => { if (!terminating) process.kill(process.pid, "SIGTERM"); };
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
