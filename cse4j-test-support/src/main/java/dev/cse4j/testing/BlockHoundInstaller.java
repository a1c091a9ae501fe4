package dev.cse4j.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
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
        verifySignedJars();
        BlockHound.install();
    }

    /**
     * Loads one class of every signed jar on the class path (the Amazon Corretto Crypto Provider's, for one) on this
     * thread, before BlockHound is installed, so that the JDK checks their signatures now. Checking them holds the
     * jar's lock while crypto classes load, and BlockHound's instrumentation loads classes of its own while it
     * transforms one: with test classes running two at a time, a test loading from the jar meanwhile deadlocked.
     */
    private static void verifySignedJars() {
        ClassLoader loader = BlockHoundInstaller.class.getClassLoader();
        try {
            for (URL manifest : Collections.list(loader.getResources("META-INF/MANIFEST.MF"))) {
                String url = manifest.toString();
                if (!url.startsWith("jar:file:") || !url.contains("!/")) {
                    continue;
                }
                try (JarFile jar = new JarFile(Path.of(URI.create(url.substring(4, url.indexOf("!/")))).toFile(),
                        false)) {
                    boolean signed = jar.stream().anyMatch(e -> e.getName().startsWith("META-INF/")
                        && e.getName().endsWith(".SF"));
                    Optional<String> someClass = jar.stream().map(JarEntry::getName)
                        .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/") && !n.contains("-"))
                        .findFirst();
                    if (signed && someClass.isPresent()) {
                        String name = someClass.get();
                        Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
                    }
                } catch (IOException | ClassNotFoundException | LinkageError e) {
                    // a jar this cannot read or a class it cannot load: the tests that use them will say so
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list the class path's jars", e);
        }
    }

    /** Made by JUnit's auto-detection; installing happens once, when the class is loaded. */
    public BlockHoundInstaller() {
    }
}
