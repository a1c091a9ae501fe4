package dev.cse4j.testing;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Parses small JSON documents (vectors, {@code package.json}, {@code package-lock.json}) into plain maps. */
final class Json {

    private Json() {
    }

    /**
     * Parses a JSON object. Objects become ordered {@code Map<String, Object>}, arrays {@code List<Object>},
     * numbers {@link Number}.
     *
     * @param json the UTF-8 document
     * @param what names the document in error messages, e.g. a file path
     * @return the top-level object
     * @throws IllegalStateException if the document is not a JSON object
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parseObject(byte[] json, String what) {
        Object value;
        try (JsonReader reader = JsonProviders.createReader(json)) {
            value = reader.readUntyped();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Could not parse " + what + " as JSON: " + e.getMessage(), e);
        }
        if (!(value instanceof Map)) {
            throw new IllegalStateException("Expected a JSON object in " + what + " but found "
                + (value == null ? "null" : value.getClass().getSimpleName()));
        }
        return (Map<String, Object>) value;
    }

    /** Reads and parses a JSON object from a file. */
    static Map<String, Object> parseObject(Path file) {
        try {
            return parseObject(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
        }
    }
}
