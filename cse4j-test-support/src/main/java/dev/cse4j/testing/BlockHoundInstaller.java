package dev.cse4j.testing;

import org.junit.jupiter.api.extension.Extension;
import reactor.blockhound.BlockHound;

/**
 * Installs BlockHound for the whole test JVM before any test runs, so that every test proves that what it runs on a
 * thread that must never block (a Reactor parallel or single worker, an HTTP client's Netty event loop) does not
 * block: a blocking call there (sleeping, waiting on a lock or a future, blocking file or socket I/O) fails with
 * {@code reactor.blockhound.BlockingOperationError}. To prove an asynchronous path, subscribe it on
 * {@code Schedulers.parallel()}.
 *
 * <p>A module uses it through JUnit's extension auto-detection: the line {@code dev.cse4j.testing.BlockHoundInstaller}
 * in its {@code src/test/resources/META-INF/services/org.junit.jupiter.api.extension.Extension},
 * {@code junit.jupiter.extensions.autodetection.enabled=true} in its {@code junit-platform.properties},
 * {@code io.projectreactor.tools:blockhound} in test scope (an optional dependency of this module), and the JVM flag
 * {@code -XX:+AllowRedefinitionToAddDeleteMethods} in its surefire {@code argLine} (BlockHound instruments JDK
 * classes, which JDK 13+ allows only with it). It must come first: a Reactor thread already parked when BlockHound
 * instruments the JDK loses its next task.
 */
public final class BlockHoundInstaller implements Extension {
    static {
        BlockHound.install();
    }

    /** Made by JUnit's auto-detection; installing happens once, when the class is loaded. */
    public BlockHoundInstaller() {
    }
}
