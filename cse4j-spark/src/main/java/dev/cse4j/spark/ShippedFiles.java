package dev.cse4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkFiles;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Files shipped with the job ({@code spark-submit --files kek.jwk}, or {@code spark.files}): Spark copies each to
 * every executor's work directory, and tasks find it there by its file name. This is how a key file reaches the
 * executors without its content ever entering a task, a broadcast or the event log: the tasks carry only the name.
 */
public final class ShippedFiles {

    private ShippedFiles() {
    }

    /**
     * Ships {@code file} with the job (as {@code spark-submit --files} does) unless a file of that name and content
     * was shipped already, so that every executor receives a copy over Spark's file server.
     *
     * @return the name tasks find it by ({@link #local})
     * @throws IllegalArgumentException if another file of that name was shipped (executors could not tell them
     *     apart) or {@code file} is not a readable regular file
     */
    public static String ship(SparkContext spark, Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("File " + file + " is not a readable file on the driver.");
        }
        String name = file.getFileName().toString();
        for (String shipped : CollectionConverters.asJava(spark.listFiles())) {
            if (shipped.endsWith("/" + name)) {
                // the driver keeps a copy of every shipped file too
                Path copy = Path.of(SparkFiles.get(name));
                if (!sameContent(copy, file)) {
                    throw new IllegalArgumentException("Another file named " + name + " was shipped with the job ("
                        + shipped + "): executors find shipped files by name; rename " + file + ".");
                }
                return name;
            }
        }
        spark.addFile(file.toAbsolutePath().normalize().toUri().toString());
        return name;
    }

    private static boolean sameContent(Path a, Path b) {
        try {
            return Files.isRegularFile(a) && Files.mismatch(a, b) == -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param fileName the shipped file's name (not a path)
     * @return where this JVM (executor or driver) holds its copy
     * @throws IllegalStateException if the file was not shipped with the job
     */
    public static Path local(String fileName) {
        if (fileName.contains("/") || fileName.contains("\\")) {
            throw new IllegalArgumentException("Give the shipped file's name, not a path: " + fileName);
        }
        Path path = Path.of(SparkFiles.get(fileName));
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("File '" + fileName + "' was not shipped with the job: pass it with "
                + "spark-submit --files (or spark.files) so that every executor receives a copy.");
        }
        return path;
    }
}
