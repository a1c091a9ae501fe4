package dev.cse4j.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Starts Azurite as {@code node --require <watchdog> <repo>/node_modules/azurite/dist/src/azurite.js ...} (so the
 * process we hold is the server itself, not an npx wrapper) on free loopback ports, and waits until all three
 * services answer. Retries with new ports when another process took one first.
 */
final class AzuriteLauncher {

    private static final int ATTEMPTS = 3;
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final String PORT_TAKEN = "EADDRINUSE";
    private static final Duration PORT_RETRY_PAUSE = Duration.ofMillis(500);

    private enum Startup { READY, EXITED, TIMED_OUT }

    private AzuriteLauncher() {
    }

    static Azurite launch(AzuriteOptions options, boolean shared) {
        return launch(options, shared, null);
    }

    /**
     * @param fixedPorts blob, queue and table port to listen on (a server {@linkplain Azurite#startAgain() started
     *     again}), waiting briefly when one is still taken; {@code null}: free ports, new ones on each attempt
     */
    static Azurite launch(AzuriteOptions options, boolean shared, int[] fixedPorts) {
        String node = NodeTools.node();
        String nodeVersion = NodeTools.version(node, "Node.js");
        Path root = RepoRoot.locate();
        Path logDirectory = options.logDirectory().toAbsolutePath().normalize();
        Path script = AzuriteInstallation.ensureInstalled(root, logDirectory);
        Path watchdog = JvmExitWatchdog.writeTo(logDirectory);
        for (int attempt = 1; ; attempt++) {
            int[] ports = fixedPorts != null ? fixedPorts.clone() : LoopbackPorts.pickFree(3);
            Path log = newLogFile(logDirectory);
            long started = System.nanoTime();
            Process process = startProcess(List.of(node, "--require", watchdog.toString(), script.toString()), ports,
                options, log);
            Azurite azurite = new Azurite(process, ports, log, shared, options);
            Startup startup = awaitStartup(azurite, options.startupTimeout());
            if (startup == Startup.READY) {
                System.err.printf("cse4j: Azurite (node %s) started in %.1f s: %s, log %s%n", nodeVersion,
                    (System.nanoTime() - started) / 1e9, azurite, log);
                return azurite;
            }
            azurite.stop();
            boolean portTaken = startup == Startup.EXITED && portWasTaken(log);
            if (portTaken && attempt < ATTEMPTS) {
                if (fixedPorts != null) {
                    pause(PORT_RETRY_PAUSE);
                }
                continue;
            }
            throw startupFailure(startup, azurite, portTaken, options.startupTimeout());
        }
    }

    /**
     * Starts the server with its stdin left open: {@link JvmExitWatchdog} stops it when the JVM's end closes.
     */
    private static Process startProcess(List<String> nodeAndScripts, int[] ports, AzuriteOptions options, Path log) {
        List<String> command = new ArrayList<>(nodeAndScripts);
        if (options.persistenceDirectory() == null) {
            command.add("--inMemoryPersistence");
        } else {
            command.addAll(List.of("--location", options.persistenceDirectory().toAbsolutePath().normalize()
                .toString()));
        }
        command.addAll(List.of("--disableTelemetry", "--silent",
            "--blobHost", LoopbackPorts.HOST, "--blobPort", Integer.toString(ports[0]),
            "--queueHost", LoopbackPorts.HOST, "--queuePort", Integer.toString(ports[1]),
            "--tableHost", LoopbackPorts.HOST, "--tablePort", Integer.toString(ports[2])));
        command.addAll(options.extraArguments());
        try {
            return new ProcessBuilder(command)
                .directory(log.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(log.toFile()))
                .start();
        } catch (IOException e) {
            throw new AzuriteException("Could not run " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
    }

    private static Startup awaitStartup(Azurite azurite, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Integer> waitingFor = new ArrayList<>(
            IntStream.of(azurite.blobPort(), azurite.queuePort(), azurite.tablePort()).boxed().toList());
        while (true) {
            if (!azurite.isRunning()) {
                return Startup.EXITED;
            }
            waitingFor.removeIf(ServiceProbe::answersAsAzurite);
            if (waitingFor.isEmpty()) {
                return azurite.isRunning() ? Startup.READY : Startup.EXITED;
            }
            if (System.nanoTime() - deadline > 0) {
                return Startup.TIMED_OUT;
            }
            azurite.awaitExit(POLL_INTERVAL);
        }
    }

    private static AzuriteException startupFailure(Startup startup, Azurite azurite, boolean portTaken,
                                                   Duration timeout) {
        String where = "on 127.0.0.1 ports blob=" + azurite.blobPort() + ", queue=" + azurite.queuePort()
            + ", table=" + azurite.tablePort();
        String tail = LogTail.describe(azurite.logFile());
        if (startup == Startup.TIMED_OUT) {
            return new AzuriteException("Azurite did not answer " + where + " within " + timeout.toSeconds()
                + " s and was stopped. Look at its log below; on a slow machine raise "
                + "AzuriteOptions.startupTimeout." + tail);
        }
        if (portTaken) {
            return new AzuriteException("Azurite could not bind its ports: another process took one of the free "
                + "ports picked for it on each of " + ATTEMPTS + " attempts (last " + where + ")." + tail);
        }
        return new AzuriteException("Azurite exited with code " + azurite.exitValue() + " during startup " + where
            + ". Look at its log below." + tail);
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AzuriteException("Interrupted while waiting for Azurite's ports to be free again", e);
        }
    }

    private static boolean portWasTaken(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8).contains(PORT_TAKEN);
        } catch (IOException e) {
            return false;
        }
    }

    private static Path newLogFile(Path logDirectory) {
        try {
            Files.createDirectories(logDirectory);
            return Files.createTempFile(logDirectory, "azurite-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create an Azurite log file in " + logDirectory + ": "
                + e.getMessage() + ". Choose a writable AzuriteOptions.logDirectory.", e);
        }
    }
}
