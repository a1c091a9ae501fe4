package dev.cse4j.cli;

import dev.cse4j.core.implementation.TerminalText;
import dev.cse4j.keys.JsonWebKeySet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a {@code --key} file with the library ({@link JsonWebKeySet#read(Path)}: at most 1 MiB is read, whatever the
 * file is) and warns on stderr, in one line, when the file is a regular file that its group or other users can read:
 * whoever reads it can decrypt everything the key protects. The command goes on; the warning says how to fix it.
 */
final class KeyFile {
    private KeyFile() {
    }

    static JsonWebKeySet read(Path file, CliContext context) {
        JsonWebKeySet keys = JsonWebKeySet.read(file);
        warnIfOthersCanRead(file, context);
        return keys;
    }

    private static void warnIfOthersCanRead(Path file, CliContext context) {
        Set<PosixFilePermission> permissions;
        try {
            if (!Files.isRegularFile(file)) {
                return; // a pipe or a device: nothing stays behind for others to read
            }
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException | IOException e) {
            return; // no POSIX permissions here (Windows: the folder's access control list applies)
        }
        List<String> readers = new ArrayList<>();
        if (permissions.contains(PosixFilePermission.GROUP_READ)) {
            readers.add("its group");
        }
        if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
            readers.add("other users");
        }
        if (!readers.isEmpty()) {
            context.err().println(TerminalText.line("cse4j: warning: key file " + file + " can be read by "
                + String.join(" and ", readers) + " (mode " + PosixFilePermissions.toString(permissions) + "): "
                + "whoever reads it can decrypt the data its keys protect. Restrict it: chmod 600 " + file));
        }
    }
}
