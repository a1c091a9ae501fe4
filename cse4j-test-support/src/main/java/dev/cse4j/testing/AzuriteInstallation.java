package dev.cse4j.testing;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Makes sure the Azurite version pinned by the repository's {@code package-lock.json} is installed under its
 * {@code node_modules}, running {@code npm ci} once when it is not. Concurrent JVMs (and threads) install it
 * only once: they queue on a file lock under the repository's {@code target/}.
 */
final class AzuriteInstallation {

    /** The server's entry point, relative to the repository root. */
    static final Path SCRIPT = Path.of("node_modules", "azurite", "dist", "src", "azurite.js");
    /** Written by npm as the last step of a successful install. */
    private static final Path INSTALL_COMPLETE_MARKER = Path.of("node_modules", ".package-lock.json");
    private static final Path LOCK_FILE = Path.of("target", "azurite-install.lock");
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(15);
    private static final Object JVM_LOCK = new Object();

    private AzuriteInstallation() {
    }

    /**
     * @param root the repository root (see {@link RepoRoot})
     * @param logDirectory where npm's output goes if an install is needed
     * @return the absolute path of the installed {@code azurite.js}
     * @throws AzuriteException if npm is missing or the install fails
     */
    static Path ensureInstalled(Path root, Path logDirectory) {
        String pinned = AzuritePin.pinnedVersion(root).orElseThrow(() -> new AzuriteException(
            root.resolve(AzuritePin.LOCK_FILE) + " pins no azurite; restore it from git."));
        if (!isInstalled(root, pinned)) {
            synchronized (JVM_LOCK) {
                installUnderFileLock(root, pinned, logDirectory);
            }
        }
        return root.resolve(SCRIPT);
    }

    /** @return whether a complete install of exactly the {@code pinned} version is present */
    static boolean isInstalled(Path root, String pinned) {
        return Files.isRegularFile(root.resolve(SCRIPT))
            && Files.isRegularFile(root.resolve(INSTALL_COMPLETE_MARKER))
            && AzuritePin.installedVersion(root).filter(pinned::equals).isPresent();
    }

    @SuppressWarnings("try") // the lock is held for the try block's duration, not referenced in it
    private static void installUnderFileLock(Path root, String pinned, Path logDirectory) {
        Path lockFile = root.resolve(LOCK_FILE);
        try {
            Files.createDirectories(lockFile.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (!isInstalled(root, pinned)) {
                    install(root, pinned, logDirectory);
                }
            }
        } catch (IOException e) {
            throw new AzuriteException("Could not take the Azurite install lock " + lockFile + ": " + e.getMessage()
                + ". Check that " + lockFile.getParent() + " is writable, or run 'npm ci' in " + root
                + " by hand.", e);
        }
    }

    private static void install(Path root, String pinned, Path logDirectory) throws IOException {
        String npm = NodeTools.npm();
        NodeTools.version(npm, "npm");
        Files.createDirectories(logDirectory);
        Path log = Files.createTempFile(logDirectory, "npm-ci-", ".log");
        System.err.printf("cse4j: installing Azurite %s with '%s ci' in %s (once per checkout, about a minute); "
            + "output: %s%n", pinned, npm, root, log);
        long started = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund")
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(log.toFile()))
                .start();
        } catch (IOException e) {
            throw new AzuriteException("Could not run '" + npm + " ci' in " + root + ": " + e.getMessage()
                + ". Install npm (Debian/Ubuntu: apt-get install npm).", e);
        }
        process.getOutputStream().close();
        if (!ChildProcesses.awaitExit(process, NPM_TIMEOUT)) {
            ChildProcesses.stop(process, Duration.ofSeconds(10));
            throw new AzuriteException("'" + npm + " ci' in " + root + " did not finish within "
                + NPM_TIMEOUT.toMinutes() + " minutes and was stopped. Check that the npm registry is reachable, "
                + "then run 'npm ci' there by hand." + LogTail.describe(log));
        }
        if (process.exitValue() != 0) {
            throw new AzuriteException("Installing Azurite failed: '" + npm + " ci --no-audit --no-fund' in " + root
                + " exited with " + process.exitValue() + ". Check that the npm registry is reachable and that "
                + "package.json and package-lock.json agree, then run 'npm ci' there by hand to see the error."
                + LogTail.describe(log));
        }
        if (!isInstalled(root, pinned)) {
            throw new AzuriteException("'" + npm + " ci' in " + root + " succeeded but Azurite " + pinned
                + " is still not installed (" + root.resolve(SCRIPT) + " or " + root.resolve(INSTALL_COMPLETE_MARKER)
                + " missing, or another version installed). Delete " + root.resolve("node_modules")
                + " and run 'npm ci' there by hand." + LogTail.describe(log));
        }
        System.err.printf("cse4j: installed Azurite %s in %.1f s%n", pinned, (System.nanoTime() - started) / 1e9);
    }
}
