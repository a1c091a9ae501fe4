package dev.cse4j.cli;

/**
 * The Azure SDK and Netty log through SLF4J (slf4j-simple, to stderr). They are silent by default
 * ({@code simplelogger.properties}): the CLI reports failures itself, in one line. {@code --debug} turns them on.
 */
final class Logging {
    private static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    private Logging() {
    }

    /** Must run before the first logger is made (system properties override simplelogger.properties). */
    static void configure(boolean debug) {
        if (debug && System.getProperty(LEVEL_PROPERTY) == null) {
            System.setProperty(LEVEL_PROPERTY, "info");
        }
    }
}
