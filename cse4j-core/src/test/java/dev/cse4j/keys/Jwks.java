package dev.cse4j.keys;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.json.JsonWriter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** JSON Web Key texts for tests. */
final class Jwks {
    /** Base64url of bytes 00 .. 1f: the known-answer vectors' key encryption key. */
    static final String VECTOR_K = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
    /** The known-answer vectors' key encryption key as a JWK. */
    static final String VECTOR_JWK = "{\"kty\":\"oct\",\"kid\":\"local:kek1\",\"k\":\"" + VECTOR_K + "\"}";

    private Jwks() {
    }

    /** The JSON with its members changed by {@code change}. */
    static String modify(String json, Consumer<Map<String, Object>> change) {
        Map<String, Object> members = members(json);
        change.accept(members);
        return write(members);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> members(String json) {
        try (JsonReader reader = JsonProviders.createReader(json)) {
            return new LinkedHashMap<>((Map<String, Object>) reader.readUntyped());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String write(Object value) {
        StringWriter out = new StringWriter();
        try (JsonWriter writer = JsonProviders.createWriter(out)) {
            writer.writeUntyped(value).flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static String rsaReference() {
        return TestResources.text("rsa3072-reference-key.jwk.json");
    }
}
