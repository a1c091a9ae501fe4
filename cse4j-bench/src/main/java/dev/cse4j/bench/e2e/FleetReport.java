package dev.cse4j.bench.e2e;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The fleet harness's report (Markdown): per part, cse4j's and the plain SDK's medians over the measured rounds
 * (wall time, blobs/s, MB/s, this process's CPU, Azurite's CPU), and cse4j's rate over the plain rate: of the
 * medians, and per round (each round ran both on the same blobs).
 */
final class FleetReport {
    private final List<FleetHarness.Pass> passes;
    private final FleetHarnessOptions options;

    FleetReport(List<FleetHarness.Pass> passes, FleetHarnessOptions options) {
        this.passes = List.copyOf(passes);
        this.options = options;
    }

    String markdown(String machine) {
        StringBuilder md = new StringBuilder();
        md.append("Machine: ").append(machine).append("\n\n");
        md.append(String.format(Locale.ROOT, "One JVM, one Azurite; %d blobs in flight for both (the same worker "
            + "loop over the same listing with metadata); medians of %d rounds after one warm-up round, cse4j and "
            + "plain alternating which goes first. MB/s: 10^6 bytes of plaintext per second. CPU: this process's "
            + "user + system time during the pass (Azurite's apart). Rate ratio: cse4j's blobs/s over plain's "
            + "(target ≥ 0.8).%n%n", options.concurrency(), options.rounds()));
        md.append("| part | who | blobs | MB | wall s | blobs/s | MB/s | CPU s | CPU ms/blob | Azurite CPU s | "
            + "rate ratio (medians) | per round | CPU ratio |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (String part : options.parts()) {
            List<FleetHarness.Pass> plain = measured(part, FleetHarness.PLAIN);
            List<FleetHarness.Pass> cse4j = measured(part, FleetHarness.CSE4J);
            String what = part.equals("rewrap") ? "rewrap A→B / B→A vs setMetadata" : "migrate 2.1 & 1.0 → 2.0 vs "
                + "download + upload";
            md.append(row(what, FleetHarness.PLAIN, plain, "", "", ""));
            StringBuilder perRound = new StringBuilder();
            for (int i = 0; i < cse4j.size(); i++) {
                perRound.append(i == 0 ? "" : ", ").append(format((double) plain.get(i).wallNanos()
                    / cse4j.get(i).wallNanos(), 2));
            }
            md.append(row(what, FleetHarness.CSE4J, cse4j,
                format(median(plain, FleetHarness.Pass::wallNanos) / median(cse4j, FleetHarness.Pass::wallNanos), 2),
                perRound.toString(),
                format(median(cse4j, FleetHarness.Pass::cpuNanos) / median(plain, FleetHarness.Pass::cpuNanos), 2)));
        }
        return md.toString();
    }

    private static String row(String part, String who, List<FleetHarness.Pass> cell, String ratio, String perRound,
        String cpuRatio) {
        double wall = median(cell, FleetHarness.Pass::wallNanos) / 1e9;
        double objects = median(cell, FleetHarness.Pass::objects);
        double bytes = median(cell, FleetHarness.Pass::bytes);
        double cpu = median(cell, FleetHarness.Pass::cpuNanos) / 1e9;
        return "| " + part + " | " + who + " | " + format(objects, 0) + " | " + format(bytes / 1e6, 0) + " | "
            + format(wall, 2) + " | " + format(objects / wall, objects / wall < 10 ? 2 : 0) + " | " + (bytes == 0 ? "–" : format(bytes / 1e6
            / wall, 0)) + " | " + format(cpu, 2) + " | " + format(cpu * 1000 / objects, 2) + " | "
            + format(median(cell, FleetHarness.Pass::azuriteCpuNanos) / 1e9, 2) + " | " + ratio + " | " + perRound
            + " | " + cpuRatio + " |\n";
    }

    private List<FleetHarness.Pass> measured(String part, String who) {
        return passes.stream().filter(p -> p.part().equals(part) && p.who().equals(who) && p.round() > 0).toList();
    }

    private static double median(List<FleetHarness.Pass> cell, ToDoubleFunction<FleetHarness.Pass> metric) {
        return ResultTable.median(cell.stream().mapToDouble(metric));
    }

    private static String format(double value, int decimals) {
        return ResultTable.format(value, decimals);
    }
}
