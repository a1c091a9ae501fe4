package dev.cse4j.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's peak resident set so far, as Linux reports it (VmHWM in {@code /proc/PID/status}). */
public final class PeakRss {
    private PeakRss() {
    }

    /** The peak resident set of process {@code pid} in KiB, or 0 if it cannot be read (it exited; no /proc). */
    public static long kib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process just exited, or there is no /proc
        }
        return 0;
    }
}
