package dev.cse4j.testing;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the cse4j repository root: the nearest directory, from the working directory upward, whose
 * {@code package-lock.json} pins Azurite. The system property {@value #PROPERTY} overrides the search.
 */
final class RepoRoot {

    /** System property naming the repository root explicitly. */
    static final String PROPERTY = "cse4j.repo.root";

    private RepoRoot() {
    }

    /**
     * @return the absolute repository root
     * @throws AzuriteException if the property names a directory that pins no Azurite, or no such directory
     *     is found upward from the working directory
     */
    static Path locate() {
        String override = System.getProperty(PROPERTY);
        if (override != null && !override.isBlank()) {
            Path root = Path.of(override).toAbsolutePath().normalize();
            if (AzuritePin.pinnedVersion(root).isEmpty()) {
                throw new AzuriteException("-D" + PROPERTY + "=" + override + " does not point at the cse4j "
                    + "repository root: " + root.resolve(AzuritePin.LOCK_FILE) + " is missing or pins no azurite. "
                    + "Point it at the directory holding the repository's package.json and package-lock.json.");
            }
            return root;
        }
        Path start = Path.of("").toAbsolutePath().normalize();
        return findFrom(start).orElseThrow(() -> new AzuriteException("Could not find the cse4j repository root: "
            + "no directory from " + start + " upward holds a " + AzuritePin.LOCK_FILE + " that pins azurite. "
            + "Run the tests from inside the cse4j checkout, or set -D" + PROPERTY + "=/path/to/cse4j."));
    }

    /**
     * @param start the directory to start from
     * @return the nearest directory at or above {@code start} whose lockfile pins Azurite
     */
    static Optional<Path> findFrom(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (AzuritePin.pinnedVersion(dir).isPresent()) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }
}
