package dev.cse4j.core.implementation;

import com.azure.json.JsonReader;
import com.azure.json.JsonToken;
import dev.cse4j.core.MalformedEncryptionDataException;

import java.io.IOException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Strict reading of JSON objects written by the Azure SDKs: member names match case-insensitively (as .NET reads
 * them), members may come in any order, unknown members are skipped, and a member that appears twice (in any case)
 * is rejected as ambiguous rather than silently resolved.
 *
 * <p>Every error is a {@link MalformedEncryptionDataException} naming the member path at fault.
 */
public final class JsonMembers {
    /** Receives one member; the reader is positioned on its value. */
    @FunctionalInterface
    public interface MemberHandler {
        /**
         * @param lowerCaseName the member name in lower case (ROOT locale)
         * @return {@code true} if the member was consumed, {@code false} to have it skipped as unknown
         */
        boolean accept(String lowerCaseName, JsonReader reader) throws IOException;
    }

    private JsonMembers() {
    }

    /**
     * Reads the object the reader is positioned on (or, if positioned before it, the next token).
     *
     * @param path where this object sits, for error messages (e.g. {@code "EncryptionData.WrappedContentKey"})
     */
    public static void readObject(JsonReader reader, String path, MemberHandler handler) throws IOException {
        JsonToken token = reader.currentToken();
        if (token == null || token == JsonToken.FIELD_NAME) {
            token = reader.nextToken();
        }
        if (token != JsonToken.START_OBJECT) {
            throw malformed(path + " must be a JSON object but is " + describe(token));
        }
        Set<String> seen = new HashSet<>();
        while (reader.nextToken() != JsonToken.END_OBJECT) {
            if (reader.currentToken() != JsonToken.FIELD_NAME) {
                throw malformed(path + " is not a well-formed JSON object");
            }
            String name = reader.getFieldName();
            String lower = name.toLowerCase(Locale.ROOT);
            if (!seen.add(lower)) {
                throw malformed(path + " has the member '" + name + "' more than once (names are compared "
                    + "case-insensitively); refusing to guess which one counts");
            }
            reader.nextToken();
            if (!handler.accept(lower, reader)) {
                reader.skipChildren();
            }
        }
    }

    /** The current value as a string, or {@code null} for JSON null. Any other type is malformed. */
    public static String nullableString(JsonReader reader, String path) throws IOException {
        JsonToken token = reader.currentToken();
        if (token == JsonToken.NULL) {
            return null;
        }
        if (token != JsonToken.STRING) {
            throw malformed(path + " must be a string but is " + describe(token));
        }
        return reader.getString();
    }

    /** The current value as a non-null string. */
    public static String requiredString(JsonReader reader, String path) throws IOException {
        String value = nullableString(reader, path);
        if (value == null) {
            throw malformed(path + " must be a string but is null");
        }
        return value;
    }

    /** The current value as a JSON integer that fits an {@code int} (no fraction, no exponent, no string). */
    public static int requiredInt(JsonReader reader, String path) throws IOException {
        JsonToken token = reader.currentToken();
        if (token != JsonToken.NUMBER) {
            throw malformed(path + " must be an integer but is " + describe(token));
        }
        String text = reader.getText();
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw malformed(path + " must be an integer in the 32-bit range but is " + text);
        }
    }

    /** Fails if the reader has anything but whitespace after the top-level value. */
    public static void requireEnd(JsonReader reader, String path) throws IOException {
        JsonToken next = reader.nextToken();
        if (next != null && next != JsonToken.END_DOCUMENT) {
            throw malformed(path + " has content after its closing brace");
        }
    }

    /** A description of a token for messages: never the value itself, which may be large. */
    public static String describe(JsonToken token) {
        if (token == null || token == JsonToken.END_DOCUMENT) {
            return "missing";
        }
        switch (token) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case STRING:
                return "a string";
            case NUMBER:
                return "a number";
            case BOOLEAN:
                return "a boolean";
            case NULL:
                return "null";
            default:
                return "not a value (" + token + ")";
        }
    }

    public static MalformedEncryptionDataException malformed(String what) {
        return new MalformedEncryptionDataException("Malformed encryption metadata: " + what + ". It was written by "
            + "an incompatible client or modified after it was written; the data cannot be decrypted.");
    }
}
