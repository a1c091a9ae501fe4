package dev.cse4j.spark.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * A Spark installation laid out from the jars Maven resolved, as the standalone cluster's JVMs need one: a worker
 * builds each executor's class path from {@code $SPARK_HOME/jars/*}. {@code <work>/spark-home/jars} holds a link
 * to every jar of {@code target/spark-distribution.classpath} (Spark and its dependencies; neither cse4j nor the
 * Azure SDK, which reach executors only in the job jar, as on a real cluster).
 *
 * <p>System properties (set by the module's pom): {@code cse4j.spark.distributionClasspath},
 * {@code cse4j.spark.workDirectory}, {@code cse4j.spark.jobJar}.
 */
public final class SparkInstallation {

    private final Path home;
    private final List<Path> jars;

    private SparkInstallation(Path home, List<Path> jars) {
        this.home = home;
        this.jars = jars;
    }

    /** @return the installation under the work directory, laid out on first use */
    public static synchronized SparkInstallation local() {
        Path classpathFile = Path.of(required("cse4j.spark.distributionClasspath"));
        Path home = workDirectory().resolve("spark-home");
        try {
            List<Path> jars = Arrays.stream(Files.readString(classpathFile, StandardCharsets.UTF_8).trim()
                .split(File.pathSeparator)).map(Path::of).toList();
            Path jarsDirectory = Files.createDirectories(home.resolve("jars"));
            for (Path jar : jars) {
                try {
                    Files.createSymbolicLink(jarsDirectory.resolve(jar.getFileName()), jar);
                } catch (FileAlreadyExistsException alreadyLinked) {
                    // laid out by an earlier test class of this build
                }
            }
            return new SparkInstallation(home, jars);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not lay out a Spark installation in " + home + " from "
                + classpathFile + " (written by the build's dependency:build-classpath): " + e.getMessage(), e);
        }
    }

    /** @return the directory every test's Spark files go under ({@code target/spark}) */
    public static Path workDirectory() {
        return Path.of(required("cse4j.spark.workDirectory")).toAbsolutePath();
    }

    /** @return {@code target/cse4j-spark-job.jar}: cse4j and the Azure SDK, shaded, as users submit it */
    public static Path jobJar() {
        return existing("cse4j.spark.jobJar", "the job jar");
    }

    /** @return {@code SPARK_HOME} */
    public Path home() {
        return home;
    }

    /** @return the class path of a Spark daemon or driver JVM: Spark's jars and the given extra entries */
    public String classPath(Path... extra) {
        StringBuilder path = new StringBuilder(home.resolve("jars").resolve("*").toString());
        for (Path entry : extra) {
            path.append(File.pathSeparatorChar).append(entry);
        }
        return path.toString();
    }

    /** @return how many jars the installation has */
    public int jarCount() {
        return jars.size();
    }

    /**
     * @return the JVM options Spark's launcher gives every JVM it starts on Java 17+ (module opens), from the
     *     Spark version on the class path
     */
    public static List<String> jvmOptions() {
        return Arrays.asList(JavaModuleOptions.defaultModuleOptionArray());
    }

    private static Path existing(String property, String what) {
        Path path = Path.of(required(property));
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(what + " " + path + " does not exist: run the standalone-cluster tests "
                + "in the integration-test phase (mvn verify), after package built it.");
        }
        return path;
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + property + " is not set; run the tests with "
                + "Maven (cse4j-spark/pom.xml sets it).");
        }
        return value;
    }
}
