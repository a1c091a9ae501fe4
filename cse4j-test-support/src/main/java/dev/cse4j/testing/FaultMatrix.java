package dev.cse4j.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcomes of one fault scenario (issue 14's fault matrix: scenario × outcome), counted as a test class runs
 * and written when it ends to the console and to {@value #FILE} under the working directory (the module), one
 * tab-separated line per outcome: scenario, variant (the client or the fault), outcome, count. {@code docs/
 * fault-matrix.md} is made from these lines. Also the one check that a failure the fault caused is typed: an
 * instance of one of the types the scenario allows (its service's exceptions, {@link UncheckedIOException}, cse4j's
 * own), never an arbitrary {@link RuntimeException}. Thread-safe.
 */
public final class FaultMatrix {

    /** Where the counts go, relative to the working directory. */
    public static final String FILE = "target/fault-matrix.tsv";

    private final String scenario;
    private final List<Class<? extends Throwable>> typed;
    private final Map<String, Integer> counts = new TreeMap<>();

    /**
     * @param scenario what was done, e.g. {@code "upload cut at a random point"}
     * @param typed the failures a fault may cause (subclasses included)
     */
    @SafeVarargs
    public FaultMatrix(String scenario, Class<? extends Throwable>... typed) {
        this.scenario = scenario;
        this.typed = List.of(typed);
    }

    /** Counts one run of the scenario: {@code variant} (e.g. the client) ended with {@code outcome}. */
    public synchronized void count(Object variant, String outcome) {
        counts.merge(variant + "\t" + outcome, 1, Integer::sum);
    }

    /**
     * Fails unless {@code failure} is one of the allowed types.
     *
     * @param what the run, with its seed, for the message
     */
    public void assertTyped(Throwable failure, String what) {
        for (Class<? extends Throwable> type : typed) {
            if (type.isInstance(failure)) {
                return;
            }
        }
        AssertionError untyped = new AssertionError(what + ": failed with " + failure.getClass().getName()
            + ", not one of " + typed.stream().map(Class::getSimpleName).toList() + ": " + failure.getMessage());
        untyped.initCause(failure);
        throw untyped;
    }

    /** Writes the counts (console and {@value #FILE}). */
    public synchronized void print() {
        StringBuilder lines = new StringBuilder();
        counts.forEach((key, count) -> lines.append(scenario).append('\t').append(key).append('\t').append(count)
            .append('\n'));
        System.err.print(lines.toString().lines().map(line -> "cse4j fault matrix: " + line + "\n")
            .reduce("", String::concat));
        try {
            Path file = Path.of(FILE);
            Files.createDirectories(file.getParent());
            Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the fault matrix to " + FILE + ": " + e.getMessage(), e);
        }
    }
}
