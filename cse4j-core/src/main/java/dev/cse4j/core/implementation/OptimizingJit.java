package dev.cse4j.core.implementation;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;

/**
 * Whether this JVM's JIT includes HotSpot's optimizing compiler (C2), the only one that compiles the JDK's AES and
 * GHASH intrinsics: without it SunJCE's AES-GCM runs its Java fallbacks, at 20-50 MB/s however long the JVM runs
 * (measured: 256 MiB took 8 s of CPU to encrypt under {@code -XX:TieredStopAtLevel=1}, against 0.1 s warm with C2).
 * A JVM lacks it when started with {@code -XX:TieredStopAtLevel=1}, {@code 2} or {@code 3} (C1 only, which short
 * processes such as the command line choose because it compiles far less), or {@code -Xint}.
 *
 * <p>Asked once per JVM, through the HotSpot diagnostic bean (~10-40 ms the first time, so only where bulk AES-GCM
 * work is about to decide something). A JVM that cannot say (no {@code jdk.management} module, not HotSpot) is taken
 * to have it, as a default HotSpot JVM does.
 */
final class OptimizingJit {
    private OptimizingJit() {
    }

    /** Whether this JVM compiles with C2 (see the class comment); asks once. */
    static boolean available() {
        return Answer.AVAILABLE;
    }

    private static final class Answer {
        static final boolean AVAILABLE = ask();
    }

    private static boolean ask() {
        if (System.getProperty("java.vm.info", "").contains("interpreted mode")) {
            return false;
        }
        try {
            HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (hotSpot == null) {
                return true;
            }
            boolean tiered = Boolean.parseBoolean(hotSpot.getVMOption("TieredCompilation").getValue());
            int stopAt = Integer.parseInt(hotSpot.getVMOption("TieredStopAtLevel").getValue());
            return !tiered || stopAt >= 4;
        } catch (RuntimeException | LinkageError e) {
            return true;
        }
    }
}
