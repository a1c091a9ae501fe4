package dev.cse4j.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** What Linux's {@code /proc} tells about a process: CPU time used and peak resident set. */
final class ProcFs {
    private ProcFs() {
    }

    /** User + system CPU time of process {@code pid} so far (10 ms resolution), or -1 if unknown. */
    static long cpuNanos(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos).orElse(-1L);
    }

    /** User + system CPU time of this process so far, or -1 if unknown. */
    static long selfCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /** Peak resident set ({@code VmHWM}) of this process so far, in KiB, or -1 without {@code /proc}. */
    static long selfPeakRssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: not Linux
        }
        return -1;
    }
}
