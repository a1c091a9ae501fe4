package dev.cse4j.bench.e2e;

/**
 * One measured child: a transfer of one file by one client.
 *
 * @param heap {@code default} or the {@code -Xmx} value
 * @param sizeMib the file's size in MiB
 * @param upload upload, else download
 * @param client who transferred
 * @param round 1-based round
 * @param failure why it failed (e.g. {@code OOM}, {@code exit 1}, {@code SHA-256 mismatch}), or {@code null}
 * @param wallNanos the child process's life, start to exit, as the harness saw it
 * @param opNanos the transfer alone, as the child timed it
 * @param cpuNanos the child's user + system CPU time
 * @param peakRssKib the child's peak resident set ({@code VmHWM})
 * @param azuriteCpuNanos Azurite's CPU time while the child ran
 */
record Run(String heap, int sizeMib, boolean upload, Client client, int round, String failure, long wallNanos,
    long opNanos, long cpuNanos, long peakRssKib, long azuriteCpuNanos) {

    boolean ok() {
        return failure == null;
    }

    long bytes() {
        return sizeMib * 1024L * 1024L;
    }

    String direction() {
        return upload ? "upload" : "download";
    }

    /** One CSV line (see {@link #CSV_HEADER}). */
    String csv() {
        return String.join(",", heap, Integer.toString(sizeMib), direction(), client.label(), Integer.toString(round),
            failure == null ? "" : failure.replace(',', ';'), Long.toString(wallNanos / 1_000_000),
            Long.toString(opNanos / 1_000_000), Long.toString(cpuNanos / 1_000_000), Long.toString(peakRssKib),
            Long.toString(azuriteCpuNanos / 1_000_000));
    }

    static final String CSV_HEADER = "heap,size_mib,direction,client,round,failure,wall_ms,op_ms,cpu_ms,peak_rss_kib,"
        + "azurite_cpu_ms";
}
