package dev.cse4j.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Lists and reads the files under {@code dev/cse4j/testing/vectors/} on the class path, whether they sit in a
 * directory ({@code target/classes} in the reactor) or in the installed jar.
 */
final class VectorResources {

    static final String BASE = "dev/cse4j/testing/vectors/";
    private static final String ANCHOR = BASE + "README.md";

    private VectorResources() {
    }

    /**
     * @param relativePath a path below the vectors folder, e.g. {@code java-sdk/v2-1byte.json}
     * @return the file's bytes
     * @throws IllegalArgumentException if there is no such file
     */
    static byte[] read(String relativePath) {
        try (InputStream in = loader().getResourceAsStream(BASE + relativePath)) {
            if (in == null) {
                throw new IllegalArgumentException("No vector file " + relativePath + " under " + BASE
                    + " on the class path.");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read vector file " + relativePath + ": " + e.getMessage(), e);
        }
    }

    /** @return every file below the vectors folder, as sorted paths relative to it ({@code folder/file}) */
    static List<String> files() {
        return Index.FILES;
    }

    /** Lists the files once, on first use; the class path does not change while the JVM runs. */
    private static final class Index {
        static final List<String> FILES = list();
    }

    private static List<String> list() {
        URL anchor = loader().getResource(ANCHOR);
        if (anchor == null) {
            throw new IllegalStateException(ANCHOR + " is not on the class path; is cse4j-test-support a test "
                + "dependency of this module?");
        }
        try (Stream<String> names = "jar".equals(anchor.getProtocol()) ? jarEntries(anchor) : directoryEntries(anchor)) {
            return names.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list the vectors at " + anchor + ": " + e.getMessage(), e);
        }
    }

    private static Stream<String> jarEntries(URL anchor) throws IOException {
        URLConnection connection = anchor.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = ((JarURLConnection) connection).getJarFile()) {
            return jar.stream()
                .filter(entry -> !entry.isDirectory() && entry.getName().startsWith(BASE))
                .map(entry -> entry.getName().substring(BASE.length()))
                .toList()
                .stream();
        }
    }

    private static Stream<String> directoryEntries(URL anchor) throws IOException {
        Path base;
        try {
            base = Path.of(anchor.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IOException("Unexpected class path URL " + anchor, e);
        }
        try (Stream<Path> paths = Files.walk(base)) {
            return paths.filter(Files::isRegularFile)
                .map(path -> base.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/"))
                .toList()
                .stream();
        }
    }

    private static ClassLoader loader() {
        return VectorResources.class.getClassLoader();
    }
}
