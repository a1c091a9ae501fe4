package dev.cse4j.cli;

import dev.cse4j.fleet.FleetSummary;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The status line of a fleet command on stderr (when it is a terminal and the output is not {@code --json}): the
 * results so far and the rate, redrawn in place at most five times a second, and wiped before each line the command
 * prints on stdout, so the two never mix on one terminal line. Used from the command's thread only.
 */
final class FleetProgress implements AutoCloseable {
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintStream err;
    private final boolean visible;
    private final long started = System.nanoTime();
    private long lastDrawn = started - REDRAW_NANOS;
    private int width;

    FleetProgress(PrintStream err, boolean visible) {
        this.err = err;
        this.visible = visible;
    }

    /** Redraws the line with {@code summary}'s counts, unless it was drawn less than 200 ms ago. */
    void update(FleetSummary summary) {
        long now = System.nanoTime();
        if (!visible || now - lastDrawn < REDRAW_NANOS) {
            return;
        }
        lastDrawn = now;
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        String line = String.format(Locale.ROOT, "%s  %.1f/s", summary, summary.total() / seconds);
        err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
        err.flush();
        width = line.length();
    }

    /** Wipes the line, if drawn, so that stdout can print one. */
    void clear() {
        if (width > 0) {
            err.print("\r" + " ".repeat(width) + "\r");
            err.flush();
            width = 0;
        }
    }

    @Override
    public void close() {
        clear();
    }
}
