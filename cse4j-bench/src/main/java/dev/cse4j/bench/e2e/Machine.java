package dev.cse4j.bench.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One line saying where the figures were measured: CPU, cores, memory, the children's JDK and options, Azurite. */
final class Machine {
    private Machine() {
    }

    static String describe(HarnessOptions options) {
        return describe(options.java(), "child options: " + (options.jvmArgs().isEmpty() ? "none"
            : String.join(" ", options.jvmArgs())) + ", heap as per row");
    }

    /** The machine, the JDK {@code java} runs and {@code jvmArgs} (this JVM's options, for in-process harnesses). */
    static String describe(String java, List<String> jvmArgs) {
        return describe(java, "options: " + (jvmArgs.isEmpty() ? "none" : String.join(" ", jvmArgs)));
    }

    private static String describe(String java, String jvmOptions) {
        return cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + memory() + "; "
            + javaVersion(java) + " (" + jvmOptions + "); Azurite "
            + azuriteVersion().orElse("(version unknown)") + " (in memory, loopback); " + System.getProperty("os.name")
            + " " + System.getProperty("os.version");
    }

    private static String cpuModel() {
        return firstMatch(Path.of("/proc/cpuinfo"), Pattern.compile("^model name\\s*:\\s*(.+)$"))
            .orElse(System.getProperty("os.arch"));
    }

    private static String memory() {
        return firstMatch(Path.of("/proc/meminfo"), Pattern.compile("^MemTotal:\\s*(\\d+) kB$"))
            .map(kib -> String.format(java.util.Locale.ROOT, "%.0f GiB RAM", Long.parseLong(kib) / 1024.0 / 1024.0))
            .orElse("RAM unknown");
    }

    /** The second line of {@code java -version} (the runtime and its build), from the children's java. */
    private static String javaVersion(String java) {
        try {
            Process process = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
            List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .toList();
            process.waitFor();
            return lines.size() > 1 ? lines.get(1).trim() : String.join(" ", lines);
        } catch (IOException e) {
            return "Java " + System.getProperty("java.runtime.version");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "Java " + System.getProperty("java.runtime.version");
        }
    }

    /** From {@code node_modules/azurite/package.json} in the nearest folder upward that has it. */
    private static Optional<String> azuriteVersion() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path manifest = dir.resolve("node_modules/azurite/package.json");
            if (Files.isRegularFile(manifest)) {
                return firstMatch(manifest, Pattern.compile("^\\s*\"version\"\\s*:\\s*\"([^\"]+)\""));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> firstMatch(Path file, Pattern pattern) {
        try {
            for (String line : Files.readAllLines(file)) {
                Matcher matcher = pattern.matcher(line);
                if (matcher.find()) {
                    return Optional.of(matcher.group(1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no such file
        }
        return Optional.empty();
    }
}
