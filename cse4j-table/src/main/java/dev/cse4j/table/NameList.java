package dev.cse4j.table;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.json.JsonToken;
import com.azure.json.JsonWriter;
import dev.cse4j.core.MalformedEncryptionDataException;
import dev.cse4j.core.implementation.JsonMembers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The plaintext of {@code _ClientEncryptionMetadata2}: the names of an entity's encrypted properties, as UTF-8.
 * <ul>
 *   <li>cse4j's authenticated format and .NET/Python legacy writers: a JSON array of strings,
 *       {@code ["a","b"]};</li>
 *   <li>the Java 8 legacy writer: {@code Arrays.toString}, {@code [a, b]}, no quotes.</li>
 * </ul>
 */
final class NameList {
    private static final String PATH = "_ClientEncryptionMetadata2";

    private NameList() {
    }

    /** A compact JSON array, standard escaping (the authenticated format). */
    static byte[] toJson(Collection<String> names) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonWriter writer = JsonProviders.createWriter(out)) {
            writer.writeStartArray();
            for (String name : names) {
                writer.writeString(name);
            }
            writer.writeEndArray().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * The .NET spelling {@code ["a","b"]} written verbatim, for names that {@link #legacyProblem(String)} accepts
     * (so none needs escaping, and the Java 8 reader, which deletes spaces and quotes and splits on commas, reads
     * the same names).
     */
    static byte[] toLegacyJson(Collection<String> names) {
        StringBuilder json = new StringBuilder("[");
        for (String name : names) {
            json.append(json.length() > 1 ? ",\"" : "\"").append(name).append('"');
        }
        return json.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @return why the legacy Java 8 reader could not read {@code name} back from a name list, or {@code null} if it
     *     can
     */
    static String legacyProblem(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == ' ') {
                return "it contains a space, which the Java 8 reader deletes";
            }
            if (c == ',') {
                return "it contains a comma, on which the Java 8 reader splits the list";
            }
            if (c == '"') {
                return "it contains a double quote, which the Java 8 reader deletes";
            }
            if (c == '\\' || c < 0x20 || c == 0x7f) {
                return "it contains a character that JSON escapes, which the Java 8 reader does not unescape";
            }
        }
        return null;
    }

    /**
     * Parses the list of the authenticated format strictly: a JSON array of distinct strings.
     *
     * @throws MalformedEncryptionDataException if it is anything else
     */
    static List<String> parseAuthenticated(byte[] utf8) {
        List<String> names = parseJsonArray(utf8);
        if (new LinkedHashSet<>(names).size() != names.size()) {
            throw JsonMembers.malformed(PATH + " names a property more than once");
        }
        return names;
    }

    /**
     * Parses a legacy list in either spelling: a JSON array (.NET, Python), or Java's {@code [a, b]}.
     *
     * @throws MalformedEncryptionDataException if it is neither
     */
    static Set<String> parseLegacy(byte[] utf8) {
        String text = Utf8.decodeOrNull(utf8);
        if (text == null) {
            throw JsonMembers.malformed(PATH + " is not UTF-8 text (wrong key, or modified)");
        }
        String trimmed = text.strip();
        if (trimmed.length() < 2 || trimmed.charAt(0) != '[' || trimmed.charAt(trimmed.length() - 1) != ']') {
            throw JsonMembers.malformed(PATH + " is not a bracketed list of names (wrong key, or modified)");
        }
        String inner = trimmed.substring(1, trimmed.length() - 1).strip();
        if (inner.isEmpty()) {
            return Set.of();
        }
        if (inner.charAt(0) == '"') {
            return new LinkedHashSet<>(parseJsonArray(utf8));
        }
        // Java 8: Arrays.toString joins with ", " and quotes nothing. Cut at the literal separator (no regular
        // expression: a stored list is hostile, and its parsing cost should be plain string work).
        Set<String> names = new LinkedHashSet<>();
        int from = 0;
        for (int at = inner.indexOf(", "); at >= 0; at = inner.indexOf(", ", from)) {
            names.add(inner.substring(from, at));
            from = at + 2;
        }
        names.add(inner.substring(from));
        return names;
    }

    private static List<String> parseJsonArray(byte[] utf8) {
        try (JsonReader reader = JsonProviders.createReader(utf8)) {
            if (reader.nextToken() != JsonToken.START_ARRAY) {
                throw JsonMembers.malformed(PATH + " must be a JSON array of names");
            }
            List<String> names = new ArrayList<>();
            JsonToken token;
            while ((token = reader.nextToken()) != JsonToken.END_ARRAY) {
                if (token != JsonToken.STRING) {
                    throw JsonMembers.malformed(PATH + " must hold only strings but has "
                        + JsonMembers.describe(token));
                }
                names.add(reader.getString());
            }
            JsonMembers.requireEnd(reader, PATH);
            return names;
        } catch (MalformedEncryptionDataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw JsonMembers.malformed(PATH + " is not a valid JSON array (" + e.getClass().getSimpleName() + ")");
        }
    }
}
