package dev.cse4j.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Quotes the end of a child process's log file in error messages. */
public final class LogTail {

    private static final int LINES = 30;

    private LogTail() {
    }

    /**
     * @param logFile the log file
     * @return a paragraph naming the log file and quoting its last lines, for the end of an error message
     */
    public static String describe(Path logFile) {
        return "\nLog: " + logFile + "\n--- last lines ---\n" + lastLines(logFile) + "\n--- end ---";
    }

    private static String lastLines(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "(empty)" : String.join("\n", lines.subList(Math.max(0, lines.size() - LINES),
                lines.size()));
        } catch (IOException e) {
            return "(could not read the log: " + e.getMessage() + ")";
        }
    }
}
