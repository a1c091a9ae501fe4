package dev.cse4j.keys;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An immutable, non-empty list of {@link JsonWebKey}s with distinct key ids: the content of a key file. A key file is
 * either a single JSON Web Key or a JWK Set ({@code {"keys":[...]}}, RFC 7517 §5); both read the same way, and sets
 * are written as JWK Sets.
 *
 * <p>Use {@link #single()} for a file meant to hold one key, {@link #find(String)} to pick a key by id, and
 * {@link #resolver()} to read data written with any of the keys.
 */
public final class JsonWebKeySet {
    private final Map<String, JsonWebKey> keysById;
    /** What the set was read from, for messages. */
    private final String source;

    private JsonWebKeySet(List<JsonWebKey> keys, String source) {
        Map<String, JsonWebKey> byId = new LinkedHashMap<>();
        for (JsonWebKey key : keys) {
            Objects.requireNonNull(key, "key");
            if (byId.putIfAbsent(key.keyId(), key) != null) {
                throw new JsonWebKeyException(source + " has more than one key with the key id "
                    + Untrusted.quote(key.keyId()) + ". Key ids must be unique in a set, or a resolver could not "
                    + "tell the keys apart: give each key its own \"kid\".");
            }
        }
        if (byId.isEmpty()) {
            throw new JsonWebKeyException(source + " has no keys.");
        }
        this.keysById = byId;
        this.source = source;
    }

    /**
     * A set of the given keys, in order.
     *
     * @throws JsonWebKeyException if {@code keys} is empty or two keys share a key id
     */
    public static JsonWebKeySet of(List<JsonWebKey> keys) {
        return new JsonWebKeySet(List.copyOf(keys), "the key set");
    }

    /**
     * Reads a key file holding a JSON Web Key or a JWK Set (UTF-8, at most 1 MiB).
     *
     * @throws JsonWebKeyException if the file is not a valid key file; the message names the file and the member
     *     at fault
     * @throws java.io.UncheckedIOException if the file cannot be read
     */
    public static JsonWebKeySet read(Path file) {
        String source = "key file '" + file + "'";
        return new JsonWebKeySet(JsonWebKeyReader.readKeys(KeyFiles.read(file), source), source);
    }

    /**
     * Parses a JSON Web Key or a JWK Set.
     *
     * @throws JsonWebKeyException if the JSON is not a valid key or key set
     */
    public static JsonWebKeySet parse(String json) {
        String source = "the JWK JSON";
        return new JsonWebKeySet(JsonWebKeyReader.readKeys(Objects.requireNonNull(json, "json"), source), source);
    }

    /** The keys, in file order. */
    public List<JsonWebKey> keys() {
        return List.copyOf(keysById.values());
    }

    /** The key with this key id, if the set has one. */
    public Optional<JsonWebKey> find(String keyId) {
        return Optional.ofNullable(keyId == null ? null : keysById.get(keyId));
    }

    /**
     * The set's only key.
     *
     * @throws JsonWebKeyException if the set has several keys; the message lists their key ids
     */
    public JsonWebKey single() {
        if (keysById.size() != 1) {
            throw new JsonWebKeyException(source + " holds " + keysById.size() + " keys (" + keyIds() + "); pass a "
                + "key id to choose one.");
        }
        return keysById.values().iterator().next();
    }

    /**
     * The set as a JWK Set, one key per line, private members included. Treat the result as secret.
     */
    public String toJson() {
        return keysById.values().stream().map(JsonWebKey::toJson)
            .collect(Collectors.joining(",\n", "{\"keys\":[\n", "\n]}\n"));
    }

    /**
     * Writes the set as a JWK Set to a file that only its owner can read and write. On file systems with POSIX
     * permissions the file is created {@code rw-------} (not restricted after writing); elsewhere it inherits the
     * folder's access control list. A replaced file is swapped atomically: readers see the old or the new keys.
     *
     * @param overwrite whether an existing file may be replaced
     * @throws java.io.UncheckedIOException if the file exists and {@code overwrite} is false, or it cannot be written
     */
    public void writeTo(Path file, boolean overwrite) {
        KeyFiles.writeOwnerOnly(Objects.requireNonNull(file, "file"), toJson(), overwrite);
    }

    /** A resolver that finds this set's keys by key id, for reading data written with any of them. */
    public JsonWebKeySetResolver resolver() {
        return new JsonWebKeySetResolver(this);
    }

    private String keyIds() {
        return keysById.keySet().stream().map(Untrusted::quote).collect(Collectors.joining(", "));
    }

    /** The key ids, types and sizes; never key material. */
    @Override
    public String toString() {
        return "JsonWebKeySet" + keysById.values().stream()
            .map(key -> key.keyId() + " (" + key.keyType() + " " + key.sizeInBits() + ")")
            .collect(Collectors.joining(", ", "[", "]"));
    }
}
