package dev.cse4j.core.implementation;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Whether this JVM's JIT includes HotSpot's optimizing compiler (C2), the only one that compiles the JDK's AES and
 * GHASH intrinsics: without it SunJCE's AES-GCM runs its Java fallbacks, at 20-50 MB/s however long the JVM runs
 * (measured: 256 MiB took 8 s of CPU to encrypt under {@code -XX:TieredStopAtLevel=1}, against 0.1 s warm with C2).
 * A JVM lacks it when started with {@code -XX:TieredStopAtLevel=1}, {@code 2} or {@code 3} (C1 only, which short
 * processes such as the command line choose because it compiles far less), {@code -XX:CompilationMode=quick-only},
 * {@code -XX:+NeverActAsServerClassMachine} or {@code -Xint}.
 *
 * <p>Asked once per JVM, where bulk AES-GCM work is about to decide something. The HotSpot diagnostic bean that
 * knows costs 10-40 ms of CPU the first time, so it is asked only if something could have changed the JIT: on Linux,
 * an option on the command line that names the JIT's levels, modes or compilers, an argument file, a flags file, or
 * any of the environment variables the launcher and the JVM take options from. A JVM that cannot say (no
 * {@code jdk.management} module, not HotSpot) is taken to have C2, as a default HotSpot JVM does.
 */
final class OptimizingJit {
    private static final List<String> OPTIONS_VARIABLES = List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS",
        "_JAVA_OPTIONS");
    /** Parts of the options that can take C2 away, or read more options from a file. */
    private static final List<String> JIT_WORDS = List.of("Tiered", "Compil", "Xint", "ServerClass", "Flags=",
        "VMOptionsFile");

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
        if (!mayLimitTheJit(commandLine(), System::getenv)) {
            return true;
        }
        try {
            HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (hotSpot == null) {
                return true;
            }
            boolean tiered = !"false".equals(option(hotSpot, "TieredCompilation"));
            String stopAt = option(hotSpot, "TieredStopAtLevel");
            return !"false".equals(option(hotSpot, "UseCompiler"))
                && !"quick-only".equals(option(hotSpot, "CompilationMode"))
                && !"true".equals(option(hotSpot, "NeverActAsServerClassMachine"))
                && (!tiered || stopAt == null || Integer.parseInt(stopAt) >= 4);
        } catch (RuntimeException | LinkageError e) {
            return true;
        }
    }

    /** The option's value, or {@code null} if this JVM has no such option. */
    private static String option(HotSpotDiagnosticMXBean hotSpot, String name) {
        try {
            VMOption option = hotSpot.getVMOption(name);
            return option.getValue();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** This process's arguments as Linux shows them (separated by NUL), or {@code null} where it does not. */
    private static String commandLine() {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/self/cmdline")), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Whether options that could take C2 away may have reached this JVM: {@code commandLine} (its arguments separated
     * by NUL; {@code null}: unknown) holds an argument file or names the JIT, or one of the options variables is set
     * in {@code environment}.
     */
    static boolean mayLimitTheJit(String commandLine, UnaryOperator<String> environment) {
        if (commandLine == null || OPTIONS_VARIABLES.stream().anyMatch(name -> environment.apply(name) != null)) {
            return true;
        }
        for (String argument : commandLine.split("\0")) {
            if (argument.startsWith("@") || JIT_WORDS.stream().anyMatch(argument::contains)) {
                return true;
            }
        }
        return false;
    }
}
