package dev.cse4j.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What a test's code writes to {@code System.err}, where the tests' SLF4J simple logger writes every log line (it looks
 * the stream up on every line: {@code org.slf4j.simpleLogger.cacheOutputStream=false}). It replaces a JVM-wide stream,
 * so a test class that uses it is {@code @Isolated}.
 */
public final class StandardError {
    private StandardError() {
    }

    /** Runs {@code run} with {@code System.err} captured, and returns what was written to it. */
    public static String capture(Runnable run) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            run.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
