package dev.cse4j.testing;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.function.Supplier;

/**
 * Bytes allocated on the current thread since the meter started ({@code com.sun.management.ThreadMXBean}), for the
 * fuzz targets' allocation bounds (docs/fuzzing.md): a parser of stored data must never allocate more than a bound
 * fixed by its input's length, whatever that input claims. {@link #steady} measures what one execution allocates
 * once the classes it needs are loaded (loading a class allocates on the loading thread, once per JVM).
 */
public final class AllocationMeter {
    private static final com.sun.management.ThreadMXBean THREADS = threads();
    private static final PrintStream MUTED = new PrintStream(OutputStream.nullOutputStream());

    private final long start;

    private AllocationMeter() {
        this.start = THREADS.getCurrentThreadAllocatedBytes();
    }

    /** Starts counting on the current thread. */
    public static AllocationMeter start() {
        return new AllocationMeter();
    }

    /**
     * Runs {@code body} twice, the second time measured: the first run loads the classes its path needs (an error
     * path first taken loads its message formatting, for instance), so the second allocates what every later
     * execution of that input allocates. A measured run over the bound is measured once more, and only a second
     * excess fails: a one-off allocation (a JDK cache or the fuzzer's own bookkeeping growing on this thread, seen
     * once in 10^5 executions and not again with the same input) is not the input's. {@code body} must not keep
     * state between runs. During the measured runs {@code System.out} and {@code System.err} are muted: what the
     * test runner does with output (surefire keeps a test's output in a buffer that grows by doubling) is not the
     * code's allocation; the log lines it formats still count.
     *
     * @return the measured run's result; its exception, if it throws
     * @throws AssertionError if two measured runs in a row allocated more than {@code bound} bytes
     */
    public static <T> T steady(long bound, String what, Supplier<T> body) {
        try {
            body.get();
        } catch (RuntimeException | AssertionError warmUp) {
            // the measured run below throws it again
        }
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(MUTED);
        System.setErr(MUTED);
        try {
            for (int attempt = 1; ; attempt++) {
                AllocationMeter meter = start();
                T result;
                try {
                    result = body.get();
                } catch (RuntimeException e) {
                    if (meter.allocated() <= bound || attempt == 2) {
                        meter.assertAtMost(bound, what + " (refusing its input)");
                        throw e;
                    }
                    continue;
                }
                if (meter.allocated() <= bound || attempt == 2) {
                    meter.assertAtMost(bound, what);
                    return result;
                }
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Bytes allocated on this thread since {@link #start()}. */
    public long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes() - start;
    }

    /**
     * @throws AssertionError if more than {@code bound} bytes were allocated since {@link #start()}
     */
    public void assertAtMost(long bound, String what) {
        long allocated = allocated();
        if (allocated > bound) {
            throw new AssertionError(what + " allocated " + allocated + " bytes, more than its bound of " + bound
                + " bytes");
        }
    }

    private static com.sun.management.ThreadMXBean threads() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!threads.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("This JVM does not count allocated bytes per thread");
        }
        threads.setThreadAllocatedMemoryEnabled(true);
        return threads;
    }
}
