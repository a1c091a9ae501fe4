package dev.cse4j.fleet;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Counts of a fleet run's results, by outcome and by failure class, and the run's exit code. Thread-safe; merge the
 * summaries of parts of a run with {@link #add(FleetSummary)}.
 */
public final class FleetSummary {
    private final Map<FleetOutcome, Long> outcomes = new EnumMap<>(FleetOutcome.class);
    private final Map<FailureClass, Long> failures = new EnumMap<>(FailureClass.class);

    /** An empty summary. */
    public FleetSummary() {
    }

    /** Counts one result. */
    public synchronized void add(FleetResult result) {
        outcomes.merge(result.result(), 1L, Long::sum);
        if (result.failureClass() != null) {
            failures.merge(result.failureClass(), 1L, Long::sum);
        }
    }

    /**
     * Counts {@code count} results with {@code outcome} and, for failures, {@code failureClass}: for a summary made
     * from counts of results kept elsewhere (a report read back).
     *
     * @throws IllegalArgumentException if {@code count} is negative, or a failure class goes without a
     *     {@link FleetOutcome#FAILED} outcome or one is missing for it
     */
    public synchronized void add(FleetOutcome outcome, FailureClass failureClass, long count) {
        if (count < 0 || (outcome == FleetOutcome.FAILED) != (failureClass != null)) {
            throw new IllegalArgumentException("Cannot count " + count + " " + outcome + " results of failure class "
                + failureClass + ": a failure class goes with 'failed' only, and counts are not negative.");
        }
        if (count == 0) {
            return;
        }
        outcomes.merge(outcome, count, Long::sum);
        if (failureClass != null) {
            failures.merge(failureClass, count, Long::sum);
        }
    }

    /** Adds another summary's counts to this one. */
    public void add(FleetSummary other) {
        Map<FleetOutcome, Long> theirOutcomes;
        Map<FailureClass, Long> theirFailures;
        synchronized (other) {
            theirOutcomes = new EnumMap<>(other.outcomes);
            theirFailures = new EnumMap<>(other.failures);
        }
        synchronized (this) {
            theirOutcomes.forEach((k, v) -> outcomes.merge(k, v, Long::sum));
            theirFailures.forEach((k, v) -> failures.merge(k, v, Long::sum));
        }
    }

    /** Results with this outcome. */
    public synchronized long count(FleetOutcome outcome) {
        return outcomes.getOrDefault(outcome, 0L);
    }

    /** Failures of this class. */
    public synchronized long failures(FailureClass failureClass) {
        return failures.getOrDefault(failureClass, 0L);
    }

    /** All results. */
    public synchronized long total() {
        return outcomes.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The most serious class among the failures, or {@code null} if nothing failed. */
    public synchronized FailureClass mostSeriousFailure() {
        return failures.keySet().stream().min(Enum::compareTo).orElse(null);
    }

    /** 0 if nothing failed, else the exit code of the {@link #mostSeriousFailure() most serious failure class}. */
    public int exitCode() {
        FailureClass worst = mostSeriousFailure();
        return worst == null ? 0 : worst.exitCode();
    }

    /**
     * For people: {@code 12 objects: 7 rewrapped, 3 skipped, 2 failed (1 integrity, 1 key not found)}, outcomes in
     * their declaration order, those without results left out.
     */
    @Override
    public String toString() {
        return describe("object", "objects");
    }

    /** As {@link #toString()}, counting in the words given, e.g. {@code "blob", "blobs"}. */
    public synchronized String describe(String one, String many) {
        long total = total();
        StringJoiner parts = new StringJoiner(", ", total + " " + (total == 1 ? one : many) + (total == 0 ? "" : ": "),
            "");
        outcomes.forEach((outcome, count) -> parts.add(count + " " + outcome.wireValue()));
        String text = parts.toString();
        if (!failures.isEmpty()) {
            StringJoiner classes = new StringJoiner(", ", " (", ")");
            failures.forEach((c, count) -> classes.add(count + " " + c.name().toLowerCase(Locale.ROOT)
                .replace('_', ' ')));
            text += classes;
        }
        return text;
    }
}
