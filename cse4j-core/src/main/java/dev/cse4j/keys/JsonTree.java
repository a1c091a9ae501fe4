package dev.cse4j.keys;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.json.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a JSON text into plain Java values: {@link Map} (members in order), {@link List}, {@link String},
 * {@link Boolean}, {@link Double} and {@link #NULL}. Stricter than JSON itself where key files need it: a member name
 * repeated in one object is an error (RFC 7517 §4 requires unique names), as is content after the top-level value.
 *
 * <p>Syntax errors never quote the input. The JSON parser's own messages do (they echo the source text around the
 * error), so they are replaced by the line and column only, without the parser's exception as cause.
 */
final class JsonTree {
    /** JSON {@code null}, distinct from an absent member. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private static final int MAX_DEPTH = 32;
    private static final Pattern POSITION = Pattern.compile("line: (\\d+), column: (\\d+)");

    private final JsonReader reader;
    private final String source;

    private JsonTree(JsonReader reader, String source) {
        this.reader = reader;
        this.source = source;
    }

    /**
     * The value of a JSON text.
     *
     * @param source what the text is, for messages (e.g. {@code "key file '/etc/keys.json'"})
     * @throws JsonWebKeyException if the text is not valid JSON or repeats a member name
     */
    static Object read(String json, String source) {
        try (JsonReader reader = JsonProviders.createReader(json)) {
            JsonTree tree = new JsonTree(reader, source);
            Object value = tree.value(reader.nextToken(), 0);
            JsonToken after = reader.nextToken();
            if (after != null && after != JsonToken.END_DOCUMENT) {
                throw new JsonWebKeyException(source + " has content after its JSON value; a key file holds one JSON "
                    + "object.");
            }
            return value;
        } catch (JsonWebKeyException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new JsonWebKeyException(source + " is not valid JSON" + position(e) + ". A key file is a JSON Web "
                + "Key or JWK Set (RFC 7517).");
        }
    }

    private Object value(JsonToken token, int depth) throws IOException {
        if (token == null || token == JsonToken.END_DOCUMENT) {
            throw new JsonWebKeyException(source + " is empty or ends early; a key file holds one JSON object.");
        }
        if (depth > MAX_DEPTH) {
            throw new JsonWebKeyException(source + " nests JSON deeper than " + MAX_DEPTH + " levels; it is not a "
                + "JSON Web Key.");
        }
        switch (token) {
            case START_OBJECT:
                return object(depth);
            case START_ARRAY:
                List<Object> list = new ArrayList<>();
                for (JsonToken t = reader.nextToken(); t != JsonToken.END_ARRAY; t = reader.nextToken()) {
                    list.add(value(t, depth + 1));
                }
                return list;
            case STRING:
                return reader.getString();
            case NUMBER:
                return reader.getDouble();
            case BOOLEAN:
                return reader.getBoolean();
            case NULL:
                return NULL;
            default:
                throw new IOException("unexpected token");
        }
    }

    private Map<String, Object> object(int depth) throws IOException {
        Map<String, Object> members = new LinkedHashMap<>();
        for (JsonToken t = reader.nextToken(); t != JsonToken.END_OBJECT; t = reader.nextToken()) {
            String name = reader.getFieldName();
            if (members.containsKey(name)) {
                throw new JsonWebKeyException(source + " has the member \"" + name + "\" twice in one object; JSON Web "
                    + "Keys need unique member names. Remove one.");
            }
            members.put(name, value(reader.nextToken(), depth + 1));
        }
        return members;
    }

    /** {@code " (line L, column C)"} from the parser's message, or nothing; never the text around the error. */
    private static String position(Exception e) {
        Matcher m = POSITION.matcher(String.valueOf(e.getMessage()));
        return m.find() ? " (line " + m.group(1) + ", column " + m.group(2) + ")" : "";
    }
}
