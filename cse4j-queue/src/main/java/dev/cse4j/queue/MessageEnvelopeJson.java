package dev.cse4j.queue;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.json.JsonToken;
import com.azure.json.JsonWriter;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.MalformedEncryptionDataException;
import dev.cse4j.core.implementation.JsonMembers;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON envelope of an encrypted queue message (docs/formats.md §7.1), the one place that knows its member names:
 * <pre>{@code {"EncryptedMessageContents":"<base64>","EncryptionData":{…}}}</pre>
 *
 * <p>Which texts are envelopes: a text that parses as a JSON object with a top-level member named
 * {@code EncryptedMessageContents} or {@code EncryptionData} (any case) is an envelope, and is then read strictly:
 * both members required, {@code EncryptedMessageContents} a string, {@code EncryptionData} per
 * {@link EncryptionData#fromJson}, no member twice, nothing after the closing brace, unknown members ignored. A text
 * that starts with <code>{</code>, is not valid JSON and mentions {@code EncryptedMessageContents} is a damaged
 * envelope. Anything else is not an envelope (plaintext).
 */
final class MessageEnvelopeJson {
    static final String CONTENTS = "EncryptedMessageContents";
    static final String ENCRYPTION_DATA = "EncryptionData";
    private static final String CONTENTS_LOWER = CONTENTS.toLowerCase(Locale.ROOT);
    private static final String ENCRYPTION_DATA_LOWER = ENCRYPTION_DATA.toLowerCase(Locale.ROOT);
    private static final String ROOT = "the queue message envelope";

    /** A parsed envelope: the base64 text of the encrypted contents, and the metadata. */
    record Parsed(String contentsBase64, EncryptionData encryptionData) {
    }

    private MessageEnvelopeJson() {
    }

    /** The compact envelope, {@code EncryptedMessageContents} first (as every SDK writes it). */
    static String write(String contentsBase64, EncryptionData data) {
        StringWriter out = new StringWriter();
        try (JsonWriter writer = JsonProviders.createWriter(out)) {
            writer.writeStartObject()
                .writeStringField(CONTENTS, contentsBase64)
                .writeJsonField(ENCRYPTION_DATA, data)
                .writeEndObject()
                .flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Reads {@code text} as an envelope.
     *
     * @return the envelope, or empty if the text is not an envelope (see the class description)
     * @throws MalformedEncryptionDataException if the text is an envelope but a damaged or ambiguous one
     */
    static Optional<Parsed> read(String text) {
        if (!startsWithBrace(text)) {
            return Optional.empty();
        }
        Set<String> members = topLevelMembers(text);
        if (members == null) {
            if (text.toLowerCase(Locale.ROOT).contains(CONTENTS_LOWER)) {
                throw JsonMembers.malformed(ROOT + " is not valid JSON");
            }
            return Optional.empty();
        }
        if (!members.contains(CONTENTS_LOWER) && !members.contains(ENCRYPTION_DATA_LOWER)) {
            return Optional.empty();
        }
        return Optional.of(parseStrict(text));
    }

    private static Parsed parseStrict(String text) {
        try (JsonReader reader = JsonProviders.createReader(text)) {
            String[] contents = new String[1];
            EncryptionData[] data = new EncryptionData[1];
            JsonMembers.readObject(reader, ROOT, (name, r) -> {
                if (name.equals(CONTENTS_LOWER)) {
                    contents[0] = JsonMembers.requiredString(r, ROOT + "." + CONTENTS);
                    return true;
                }
                if (name.equals(ENCRYPTION_DATA_LOWER)) {
                    data[0] = EncryptionData.fromJson(r);
                    return true;
                }
                return false;
            });
            JsonMembers.requireEnd(reader, ROOT);
            if (contents[0] == null) {
                throw JsonMembers.malformed(ROOT + " has no " + CONTENTS);
            }
            if (data[0] == null) {
                throw JsonMembers.malformed(ROOT + " has no " + ENCRYPTION_DATA);
            }
            return new Parsed(contents[0], data[0]);
        } catch (MalformedEncryptionDataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw JsonMembers.malformed(ROOT + " is not valid JSON (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The lower-cased names of the top-level members, or {@code null} if the text is not one JSON object. */
    private static Set<String> topLevelMembers(String text) {
        try (JsonReader reader = JsonProviders.createReader(text)) {
            if (reader.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Set<String> names = new HashSet<>();
            while (reader.nextToken() == JsonToken.FIELD_NAME) {
                names.add(reader.getFieldName().toLowerCase(Locale.ROOT));
                reader.nextToken();
                reader.skipChildren();
            }
            if (reader.currentToken() != JsonToken.END_OBJECT) {
                return null;
            }
            JsonToken after = reader.nextToken();
            return after == null || after == JsonToken.END_DOCUMENT ? names : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean startsWithBrace(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return c == '{';
            }
        }
        return false;
    }
}
