package dev.cse4j.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkFiles;

/**
 * Files shipped with the job ({@code spark-submit --files kek.jwk}, or {@code spark.files}): Spark copies each to
 * every executor's work directory, and tasks find it there by its file name. This is how a key file reaches the
 * executors without its content ever entering a task, a broadcast or the event log: the tasks carry only the name.
 */
public final class ShippedFiles {

    private ShippedFiles() {
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
