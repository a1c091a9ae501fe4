package dev.cse4j.core.implementation;

import org.junit.jupiter.api.extension.Extension;
import reactor.blockhound.BlockHound;

/**
 * Installs BlockHound for the whole test JVM of this module before any test runs, so every test proves that what it
 * runs on a Reactor non-blocking thread (the parallel scheduler, an event loop) never blocks: a blocking call there
 * fails with {@code BlockingOperationError}. Loaded by JUnit's extension auto-detection ({@code META-INF/services},
 * enabled in {@code junit-platform.properties}). It must come first: a Reactor thread already parked when BlockHound
 * instruments the JDK loses its next task.
 */
public final class BlockHoundInstaller implements Extension {
    static {
        BlockHound.install();
    }
}
