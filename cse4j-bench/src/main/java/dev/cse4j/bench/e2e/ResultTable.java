package dev.cse4j.bench.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.DoubleStream;

/**
 * The harness's report: per heap × size × direction, the medians over rounds of each client's wall MB/s, client
 * CPU seconds and peak RSS, the ratios cse4j/plain (C/A) and cse4j/Microsoft (C/B) of those medians (wall as a time
 * ratio: below 1 is faster), and Azurite's CPU share while each client ran. Markdown.
 */
final class ResultTable {
    private final List<Run> runs;
    private final HarnessOptions options;

    ResultTable(List<Run> runs, HarnessOptions options) {
        this.runs = List.copyOf(runs);
        this.options = options;
    }

    String markdown(String machine) {
        StringBuilder md = new StringBuilder();
        md.append("Machine: ").append(machine).append("\n\n");
        md.append(String.format(Locale.ROOT, "Medians of %d rounds; every transfer in a fresh JVM, clients in turn, "
            + "%s in odd rounds and in reverse in even ones; downloads verified by SHA-256. MB/s: 10^6 bytes of the "
            + "file per second of the child "
            + "process's life (JVM start to exit). CPU: the client process's user + system time. RSS: its peak "
            + "resident set (VmHWM). Ratios: cse4j (C) over plain (A) and over Microsoft (B), and when they ran cse4j's "
            + "async client (D) over its sync one and this build (C) over the baseline build (E), of wall time, CPU and "
            + "RSS (below 1: cse4j uses less). Azurite: its CPU time ÷ wall time (100 %% = one core).%n%n",
            options.rounds(), letters()));
        md.append("| heap | size | op | wall MB/s ").append(letters()).append(" | CPU s ").append(letters())
            .append(" | peak RSS MiB ").append(letters())
            .append(" | C/A wall · CPU · RSS | C/B wall · CPU · RSS");
        for (String[] extra : extraRatios()) {
            md.append(" | ").append(extra[0]).append('/').append(extra[1]).append(" wall · CPU · RSS");
        }
        md.append(" | Azurite CPU ").append(letters()).append(" |\n");
        md.append("|---|---|---|---|---|---|---|---|").append("---|".repeat(extraRatios().size())).append("---|\n");
        for (String heap : options.heaps()) {
            for (int size : options.sizesMib()) {
                for (boolean upload : new boolean[] {true, false}) {
                    md.append(row(heap, size, upload));
                }
            }
        }
        return md.toString();
    }

    private String row(String heap, int size, boolean upload) {
        List<String> wall = new ArrayList<>();
        List<String> cpu = new ArrayList<>();
        List<String> rss = new ArrayList<>();
        List<String> azurite = new ArrayList<>();
        for (Client client : options.clients()) {
            List<Run> mine = select(heap, size, upload, client);
            String failed = failures(mine);
            if (failed != null) {
                wall.add(failed);
                cpu.add("–");
                rss.add("–");
                azurite.add("–");
                continue;
            }
            wall.add(format(size * 1024.0 * 1024.0 / 1e6 / (median(mine, r -> r.wallNanos()) / 1e9), 0));
            cpu.add(format(median(mine, r -> r.cpuNanos()) / 1e9, 1));
            rss.add(format(median(mine, r -> r.peakRssKib()) / 1024.0, 0));
            azurite.add(format(median(mine, r -> 100.0 * r.azuriteCpuNanos() / r.wallNanos()), 0) + " %");
        }
        StringBuilder extras = new StringBuilder();
        for (String[] extra : extraRatios()) {
            extras.append(ratios(heap, size, upload, Client.of(extra[0]), Client.of(extra[1]))).append(" | ");
        }
        return "| " + (heap.equals("default") ? "default" : "-Xmx" + heap) + " | " + sizeLabel(size) + " | "
            + (upload ? "upload" : "download") + " | " + String.join(" / ", wall) + " | " + String.join(" / ", cpu)
            + " | " + String.join(" / ", rss) + " | " + ratios(heap, size, upload, Client.CSE4J, Client.PLAIN) + " | "
            + ratios(heap, size, upload, Client.CSE4J, Client.MICROSOFT) + " | " + extras
            + String.join(" / ", azurite) + " |\n";
    }

    /**
     * Ratios beyond C/A and C/B, when their clients ran: D/C (the asynchronous client over the synchronous one) and
     * C/E (this build's synchronous client over the baseline build's).
     */
    private List<String[]> extraRatios() {
        List<String[]> extras = new ArrayList<>();
        if (options.clients().contains(Client.CSE4J_ASYNC) && options.clients().contains(Client.CSE4J)) {
            extras.add(new String[] {"D", "C"});
        }
        if (options.clients().contains(Client.CSE4J_BASELINE) && options.clients().contains(Client.CSE4J)) {
            extras.add(new String[] {"C", "E"});
        }
        return extras;
    }

    /** {@code ours}' medians over {@code other}'s: wall time, CPU, RSS. */
    private String ratios(String heap, int size, boolean upload, Client client, Client other) {
        List<Run> ours = select(heap, size, upload, client);
        List<Run> theirs = select(heap, size, upload, other);
        if (failures(ours) != null || failures(theirs) != null) {
            return "–";
        }
        return format(median(ours, Run::wallNanos) / median(theirs, Run::wallNanos), 2) + " · "
            + format(median(ours, Run::cpuNanos) / median(theirs, Run::cpuNanos), 2) + " · "
            + format(median(ours, Run::peakRssKib) / median(theirs, Run::peakRssKib), 2);
    }

    private List<Run> select(String heap, int size, boolean upload, Client client) {
        return runs.stream().filter(r -> r.heap().equals(heap) && r.sizeMib() == size && r.upload() == upload
            && r.client() == client).toList();
    }

    /** {@code null} if every run of the cell succeeded (and there are some), else what went wrong. */
    private static String failures(List<Run> cell) {
        if (cell.isEmpty()) {
            return "not run";
        }
        List<String> failures = cell.stream().filter(r -> !r.ok()).map(Run::failure).distinct().toList();
        if (failures.isEmpty()) {
            return null;
        }
        long failed = cell.stream().filter(r -> !r.ok()).count();
        return String.join("/", failures) + " (" + failed + " of " + cell.size() + ")";
    }

    private String letters() {
        return String.join("/", options.clients().stream().map(Client::letter).toList());
    }

    static double median(List<Run> cell, ToDoubleFunction<Run> metric) {
        return median(cell.stream().mapToDouble(metric));
    }

    /** The median of some values (at least one). */
    static double median(DoubleStream values) {
        double[] sorted = values.sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static String sizeLabel(int mib) {
        return mib % 1024 == 0 ? mib / 1024 + " GiB" : mib + " MiB";
    }

    static String format(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
