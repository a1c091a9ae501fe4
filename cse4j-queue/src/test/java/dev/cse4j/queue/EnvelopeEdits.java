package dev.cse4j.queue;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.json.JsonWriter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;
import java.util.function.Consumer;

/** Edits of a stored envelope, done on its parsed JSON (order kept) or its contents bytes, for the tamper tests. */
final class EnvelopeEdits {
    private EnvelopeEdits() {
    }

    /** The envelope with its JSON tree edited. */
    static String editJson(String envelope, Consumer<Map<String, Object>> edit) {
        Map<String, Object> tree = parse(envelope);
        edit.accept(tree);
        return write(tree);
    }

    /** The envelope with its {@code EncryptedMessageContents} bytes edited. */
    static String editContents(String envelope, Consumer<byte[][]> edit) {
        return editJson(envelope, tree -> {
            byte[][] contents = {Base64.getDecoder().decode((String) tree.get("EncryptedMessageContents"))};
            edit.accept(contents);
            tree.put("EncryptedMessageContents", Base64.getEncoder().encodeToString(contents[0]));
        });
    }

    /** The envelope with byte {@code index} of its contents flipped (negative: from the end). */
    static String flipContentsByte(String envelope, int index) {
        return editContents(envelope, c -> c[0][index < 0 ? c[0].length + index : index] ^= 0x01);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> member(Map<String, Object> tree, String... path) {
        Map<String, Object> node = tree;
        for (String name : path) {
            node = (Map<String, Object>) node.get(name);
        }
        return node;
    }

    static Map<String, Object> parse(String json) {
        try (JsonReader reader = JsonProviders.createReader(json)) {
            return reader.readMap(JsonReader::readUntyped);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String write(Map<String, Object> tree) {
        StringWriter out = new StringWriter();
        try (JsonWriter writer = JsonProviders.createWriter(out)) {
            writer.writeMap(tree, JsonWriter::writeUntyped).flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
