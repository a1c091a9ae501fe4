package dev.cse4j.bench.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The harness's command line. Defaults: the measurement (256 MiB and 1 GiB, 3 rounds, the default heap and
 * {@code -Xmx128m}, all three clients).
 *
 * @param sizesMib file sizes in MiB
 * @param rounds rounds of A B C per size (medians are over rounds)
 * @param heaps {@code default} (no {@code -Xmx}) or an {@code -Xmx} value such as {@code 128m}
 * @param clients the clients, in the order each round runs them
 * @param work folder for the data files, the children's logs and the results
 * @param out the Markdown table
 * @param java the {@code java} that runs the children
 * @param jvmArgs extra options for every child (the same for all clients)
 * @param timeoutMinutes per child
 * @param baselineJar the jar of another build whose synchronous cse4j client runs as {@code cse4j-baseline} (E), or
 *     {@code null}; {@code --baseline-jar} adds that client
 */
record HarnessOptions(List<Integer> sizesMib, int rounds, List<String> heaps, List<Client> clients, Path work,
    Path out, String java, List<String> jvmArgs, int timeoutMinutes, Path baselineJar) {

    static final String USAGE = "usage: java -cp cse4j-bench/target/benchmarks.jar dev.cse4j.bench.e2e.Harness "
        + "[--sizes 256,1024] [--rounds 3] [--heaps default,128m] [--clients plain,microsoft,cse4j] [--work DIR] "
        + "[--out FILE.md] [--java PATH] [--jvm-arg ARG]... [--timeout-minutes 20] [--baseline-jar JAR]\n"
        + "clients: plain (A), microsoft (B), cse4j (C), cse4j-async (D), cse4j-baseline (E: cse4j's sync client "
        + "from --baseline-jar)";

    static HarnessOptions parse(String[] args, Path defaultWork) {
        List<Integer> sizes = List.of(256, 1024);
        int rounds = 3;
        List<String> heaps = List.of("default", "128m");
        List<Client> clients = List.of(Client.PLAIN, Client.MICROSOFT, Client.CSE4J);
        Path work = defaultWork;
        Path out = null;
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> jvmArgs = new ArrayList<>();
        int timeout = 20;
        Path baselineJar = null;
        for (String[] option : options(args, USAGE)) {
            String name = option[0];
            String value = option[1];
            switch (name) {
                case "--sizes" -> sizes = Arrays.stream(value.split(",")).map(String::trim).map(Integer::valueOf)
                    .toList();
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--heaps" -> heaps = Arrays.stream(value.split(",")).map(String::trim)
                    .map(h -> h.toLowerCase(Locale.ROOT)).toList();
                case "--clients" -> clients = Arrays.stream(value.split(",")).map(String::trim).map(Client::of)
                    .toList();
                case "--work" -> work = Path.of(value);
                case "--out" -> out = Path.of(value);
                case "--java" -> java = value;
                case "--jvm-arg" -> jvmArgs.add(value);
                case "--timeout-minutes" -> timeout = Integer.parseInt(value);
                case "--baseline-jar" -> baselineJar = Path.of(value).toAbsolutePath();
                default -> throw new IllegalArgumentException("Unknown option " + name + "\n" + USAGE);
            }
        }
        if (rounds < 1 || sizes.isEmpty() || heaps.isEmpty() || clients.isEmpty()) {
            throw new IllegalArgumentException("Need at least one round, size, heap and client\n" + USAGE);
        }
        if (clients.contains(Client.CSE4J_BASELINE) != (baselineJar != null)) {
            throw new IllegalArgumentException("cse4j-baseline and --baseline-jar go together\n" + USAGE);
        }
        Path absoluteWork = work.toAbsolutePath().normalize();
        return new HarnessOptions(sizes, rounds, heaps, clients, absoluteWork,
            out == null ? absoluteWork.resolve("e2e-results.md") : out.toAbsolutePath(), java, List.copyOf(jvmArgs),
            timeout, baselineJar);
    }

    /**
     * The {@code --name value} pairs of a command line, in order.
     *
     * @throws IllegalArgumentException with {@code usage} for {@code -h} or {@code --help}, or a name without value
     */
    static List<String[]> options(String[] args, String usage) {
        List<String[]> options = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("-h") || name.equals("--help")) {
                throw new IllegalArgumentException(usage);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value\n" + usage);
            }
            options.add(new String[] {name, args[++i]});
        }
        return options;
    }

    /**
     * The child JVM options for one heap setting: {@code -XX:+ExitOnOutOfMemoryError} (an out-of-memory error on a
     * pool thread would otherwise leave the child waiting until the timeout), the extra options, then {@code -Xmx}
     * unless the default.
     */
    List<String> childJvmArgs(String heap) {
        List<String> result = new ArrayList<>();
        result.add("-XX:+ExitOnOutOfMemoryError");
        result.addAll(jvmArgs);
        if (!heap.equals("default")) {
            result.add("-Xmx" + heap);
        }
        return result;
    }
}
