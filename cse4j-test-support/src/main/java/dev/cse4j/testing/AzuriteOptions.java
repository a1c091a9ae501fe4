package dev.cse4j.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How {@link Azurite#start(AzuriteOptions)} starts Azurite. Start from {@link #defaults()} and change what you
 * need with the {@code with...} methods.
 *
 * @param startupTimeout how long to wait for all three services to answer (default 60 s; startup takes about 2 s)
 * @param extraArguments Azurite flags added after cse4j's own ({@code --inMemoryPersistence --disableTelemetry
 *     --silent} and the loopback hosts and ports), e.g. {@code --skipApiVersionCheck} or {@code --loose}
 * @param logDirectory where Azurite's (and a first install's npm) output goes; relative paths resolve against the
 *     working directory (default {@code target/azurite}, i.e. under the module being tested)
 * @param persistenceDirectory where Azurite keeps its data ({@code --location}), so that a server
 *     {@linkplain Azurite#startAgain() started again} finds it; {@code null} (the default): in memory
 *     ({@code --inMemoryPersistence}), lost when the server stops. On disk, Azurite writes its metadata
 *     (LokiJS) at most 5 s after a change and when stopped gracefully ({@link Azurite#close()}); a server
 *     {@linkplain Azurite#kill() killed} loses the changes of its last seconds, as a crash would
 */
public record AzuriteOptions(Duration startupTimeout, List<String> extraArguments, Path logDirectory,
                             Path persistenceDirectory) {

    /** Validates and copies the options. */
    public AzuriteOptions {
        Objects.requireNonNull(startupTimeout, "startupTimeout");
        Objects.requireNonNull(extraArguments, "extraArguments");
        Objects.requireNonNull(logDirectory, "logDirectory");
        if (startupTimeout.isNegative() || startupTimeout.isZero()) {
            throw new IllegalArgumentException("startupTimeout must be positive, was " + startupTimeout);
        }
        extraArguments = List.copyOf(extraArguments);
        if (extraArguments.contains("--location") || extraArguments.contains("-l")) {
            throw new IllegalArgumentException("extraArguments must not contain --location: Azurite exits when it "
                + "is combined with --inMemoryPersistence, which cse4j uses unless a persistence directory is set "
                + "(AzuriteOptions.withPersistenceDirectory).");
        }
    }

    /** @return 60 s startup timeout, no extra arguments, logs under {@code target/azurite}, data in memory */
    public static AzuriteOptions defaults() {
        return new AzuriteOptions(Duration.ofSeconds(60), List.of(), Path.of("target", "azurite"), null);
    }

    /** @return a copy with this startup timeout */
    public AzuriteOptions withStartupTimeout(Duration timeout) {
        return new AzuriteOptions(timeout, extraArguments, logDirectory, persistenceDirectory);
    }

    /** @return a copy with these extra Azurite flags (replacing any given before) */
    public AzuriteOptions withExtraArguments(String... arguments) {
        return new AzuriteOptions(startupTimeout, List.of(arguments), logDirectory, persistenceDirectory);
    }

    /** @return a copy that writes logs to this directory */
    public AzuriteOptions withLogDirectory(Path directory) {
        return new AzuriteOptions(startupTimeout, extraArguments, directory, persistenceDirectory);
    }

    /** @return a copy that keeps the server's data on disk in this directory instead of in memory */
    public AzuriteOptions withPersistenceDirectory(Path directory) {
        return new AzuriteOptions(startupTimeout, extraArguments, logDirectory, Objects.requireNonNull(directory,
            "directory"));
    }
}
