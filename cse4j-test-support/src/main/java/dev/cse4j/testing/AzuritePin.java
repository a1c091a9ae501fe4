package dev.cse4j.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Reads which Azurite version a directory's {@code package-lock.json} pins. */
final class AzuritePin {

    static final String LOCK_FILE = "package-lock.json";
    private static final String AZURITE_ENTRY = "node_modules/azurite";

    private AzuritePin() {
    }

    /**
     * @param directory a candidate repository root
     * @return the Azurite version pinned by {@code directory/package-lock.json}, or empty when that file is
     *     missing or pins no Azurite
     */
    static Optional<String> pinnedVersion(Path directory) {
        Path lockFile = directory.resolve(LOCK_FILE);
        if (!Files.isRegularFile(lockFile)) {
            return Optional.empty();
        }
        return versionOf(Json.parseObject(lockFile).get("packages"));
    }

    /**
     * @param root the repository root
     * @return the Azurite version installed under {@code root/node_modules}, or empty when none is installed
     */
    static Optional<String> installedVersion(Path root) {
        Path packageJson = root.resolve(AZURITE_ENTRY).resolve("package.json");
        if (!Files.isRegularFile(packageJson)) {
            return Optional.empty();
        }
        return Optional.ofNullable(Json.parseObject(packageJson).get("version")).map(Object::toString);
    }

    private static Optional<String> versionOf(Object packages) {
        if (packages instanceof Map<?, ?> map && map.get(AZURITE_ENTRY) instanceof Map<?, ?> azurite) {
            return Optional.ofNullable(azurite.get("version")).map(Object::toString);
        }
        return Optional.empty();
    }
}
