package dev.cse4j.cli;

import com.azure.core.util.ProgressListener;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Counts a transfer's bytes as the library reports them (so the command reports the bytes really transferred) and
 * draws a one-line progress bar on stderr, redrawn in place at most five times a second. The bar is drawn only when
 * stderr is a terminal, {@code --quiet} is not given and the transfer is larger than {@link #MIN_BYTES}. The
 * transfer's listener may call it from any thread.
 */
final class Progress implements ProgressListener, AutoCloseable {
    /** Transfers up to this size finish too fast to need a bar. */
    static final long MIN_BYTES = 4L * 1024 * 1024;
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int BAR_WIDTH = 30;

    private final PrintStream err;
    private final String label;
    private final long total;
    private final boolean visible;
    private final long started = System.nanoTime();
    private long lastDrawn = Long.MIN_VALUE;
    private long done;
    private boolean drawn;

    private Progress(PrintStream err, String label, long total, boolean visible) {
        this.err = err;
        this.label = label;
        this.total = total;
        this.visible = visible;
    }

    /** Counts a transfer of {@code total} bytes, with a bar if one should be shown. */
    static Progress start(CliContext context, boolean quiet, String label, long total) {
        return new Progress(context.err(), label, total, !quiet && context.stderrTerminal() && total > MIN_BYTES);
    }

    /** The bytes transferred, as the library reported them. */
    synchronized long bytes() {
        return done;
    }

    @Override
    public synchronized void handleProgress(long bytesTransferred) {
        done = Math.max(done, bytesTransferred);
        long now = System.nanoTime();
        if (visible && now - lastDrawn >= REDRAW_NANOS) {
            lastDrawn = now;
            draw(now);
        }
    }

    private void draw(long now) {
        double fraction = total <= 0 ? 1 : Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        err.print(String.format(Locale.ROOT, "\r%s [%s%s] %3d%% %s / %s  %.1f MB/s ", label,
            "#".repeat(filled), " ".repeat(BAR_WIDTH - filled), Math.round(fraction * 100), size(done), size(total),
            done / seconds / 1e6));
        err.flush();
        drawn = true;
    }

    /** Draws the final state and ends the line. */
    @Override
    public synchronized void close() {
        if (visible && (drawn || done > 0)) {
            draw(System.nanoTime());
            err.println();
        }
    }

    static String size(long bytes) {
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
