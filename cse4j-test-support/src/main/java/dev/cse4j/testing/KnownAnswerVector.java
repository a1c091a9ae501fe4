package dev.cse4j.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One known-answer vector: what Microsoft's SDK stored for a known plaintext and key encryption key (see the
 * vectors' {@code README.md}). Get instances from {@link Vectors}.
 *
 * <p>Every vector has the KEK fields. The other accessors depend on the {@link #kind()}; asking a vector for a
 * field it does not hold throws {@link IllegalStateException} naming the vector and the field:
 * <ul>
 *   <li>{@link Kind#BLOB}: {@link #plaintext()}, {@link #plaintextLength()}, {@link #plaintextSha256()},
 *       {@link #rawBytes()}, {@link #rawSha256()}, {@link #metadata()}, {@link #encryptionDataJson()};</li>
 *   <li>{@link Kind#QUEUE_MESSAGE}: {@link #plaintext()}, {@link #plaintextUtf8()}, {@link #rawMessageText()};</li>
 *   <li>{@link Kind#TABLE_ENTITY}: {@link #plaintextEntity()}, {@link #encryptedProperties()},
 *       {@link #rawEntityProperties()}, {@link #encryptionDataJson()}.</li>
 * </ul>
 * Byte arrays and collections returned are fresh copies or unmodifiable.
 */
public final class KnownAnswerVector {

    /** What the vector's SDK wrote. */
    public enum Kind {
        /** a blob: raw bytes plus metadata */
        BLOB,
        /** a queue message: its raw text */
        QUEUE_MESSAGE,
        /** a table entity: its raw properties */
        TABLE_ENTITY
    }

    private static final String TABLE_ENCRYPTION_DATA = "_ClientEncryptionMetadata1";

    private final String folder;
    private final String name;
    private final Map<String, Object> fields;

    KnownAnswerVector(String folder, String name, Map<String, Object> fields) {
        this.folder = folder;
        this.name = name;
        this.fields = fields;
    }

    /** @return the folder, e.g. {@code java-sdk} */
    public String folder() {
        return folder;
    }

    /** @return the file name without {@code .json}, e.g. {@code v2-4MiB+17} */
    public String name() {
        return name;
    }

    /** @return {@code folder/name} */
    public String id() {
        return folder + "/" + name;
    }

    /** @return the SDK and settings that wrote this vector */
    public String producer() {
        return string("producer");
    }

    /** @return what the vector holds, deciding which accessors apply */
    public Kind kind() {
        if (fields.containsKey("raw_entity_properties")) {
            return Kind.TABLE_ENTITY;
        }
        if (fields.containsKey("raw_message_text")) {
            return Kind.QUEUE_MESSAGE;
        }
        return Kind.BLOB;
    }

    /** @return the key encryption key's bytes (32 bytes 00..1f for every current vector) */
    public byte[] kekBytes() {
        return HexFormat.of().parseHex(string("kek_hex"));
    }

    /** @return the key encryption key's id, e.g. {@code local:kek1} */
    public String kekId() {
        return string("kek_kid");
    }

    /** @return the key wrap algorithm, e.g. {@code A256KW} */
    public String kekAlgorithm() {
        return string("kek_alg");
    }

    /** @return the plaintext's length in bytes, as stored ({@code BLOB} vectors) */
    public long plaintextLength() {
        return ((Number) require("plaintext_len")).longValue();
    }

    /** @return the plaintext's SHA-256 in lowercase hex, as stored ({@code BLOB} vectors) */
    public String plaintextSha256() {
        return string("plaintext_sha256");
    }

    /**
     * @return the plaintext bytes: from {@code plaintext_hex} when stored, else regenerated with
     *     {@link TestData#recipe(int)} (the large blobs), else the UTF-8 of {@code plaintext_utf8}
     */
    public byte[] plaintext() {
        if (fields.containsKey("plaintext_hex")) {
            return HexFormat.of().parseHex(string("plaintext_hex"));
        }
        if (fields.containsKey("plaintext_recipe") && fields.containsKey("plaintext_len")) {
            return TestData.recipe(Math.toIntExact(plaintextLength()));
        }
        if (fields.containsKey("plaintext_utf8")) {
            return plaintextUtf8().getBytes(StandardCharsets.UTF_8);
        }
        throw missing("plaintext_hex, plaintext_recipe or plaintext_utf8 (table vectors: use plaintextEntity())");
    }

    /** @return the plaintext as text ({@code QUEUE_MESSAGE} vectors) */
    public String plaintextUtf8() {
        return string("plaintext_utf8");
    }

    /** @return the bytes stored in the blob, from {@code raw_b64} or the {@code raw_file} beside the vector */
    public byte[] rawBytes() {
        if (fields.containsKey("raw_file")) {
            return VectorResources.read(folder + "/" + string("raw_file"));
        }
        return Base64.getDecoder().decode(string("raw_b64"));
    }

    /** @return the SHA-256 of {@link #rawBytes()} in lowercase hex, as stored ({@code BLOB} vectors) */
    public String rawSha256() {
        return string("raw_sha256");
    }

    /** @return every metadata entry stored on the blob, e.g. {@code encryptiondata} */
    public Map<String, String> metadata() {
        Map<String, String> metadata = new LinkedHashMap<>();
        mapOf("metadata").forEach((key, value) -> metadata.put(key, String.valueOf(value)));
        return Collections.unmodifiableMap(metadata);
    }

    /**
     * @return the exact stored EncryptionData JSON string: the blob's {@code encryptiondata} metadata, or the
     *     table entity's {@code _ClientEncryptionMetadata1} property. Queue messages embed it as an object inside
     *     {@link #rawMessageText()} instead.
     */
    public String encryptionDataJson() {
        if (kind() == Kind.TABLE_ENTITY) {
            return String.valueOf(rawEntityProperties().get(TABLE_ENCRYPTION_DATA));
        }
        String json = metadata().get("encryptiondata");
        if (json == null) {
            throw missing("metadata.encryptiondata");
        }
        return json;
    }

    /** @return the message text as stored in the queue ({@code QUEUE_MESSAGE} vectors) */
    public String rawMessageText() {
        return string("raw_message_text");
    }

    /**
     * @return the entity's properties as stored in the table, in stored order: {@code String} values, and
     *     {@code byte[]} for {@code Edm.Binary} ({@code TABLE_ENTITY} vectors)
     */
    public Map<String, Object> rawEntityProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        mapOf("raw_entity_properties").forEach((key, value) -> properties.put(key, entityValue(key, value)));
        return Collections.unmodifiableMap(properties);
    }

    /** @return the names of the properties the SDK encrypted ({@code TABLE_ENTITY} vectors) */
    public List<String> encryptedProperties() {
        Object names = require("encrypted_properties");
        if (!(names instanceof List<?> list)) {
            throw new IllegalStateException("Vector " + id() + ": encrypted_properties is not a JSON array");
        }
        return list.stream().map(String::valueOf).toList();
    }

    /** @return the entity the SDK was given, in order ({@code TABLE_ENTITY} vectors) */
    public Map<String, Object> plaintextEntity() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(mapOf("plaintext_entity")));
    }

    @Override
    public String toString() {
        return id();
    }

    private Object entityValue(String property, Object value) {
        if (!(value instanceof Map<?, ?> typed)) {
            return value;
        }
        if (!"Edm.Binary".equals(typed.get("edm_type"))) {
            throw new IllegalStateException("Vector " + id() + ": property " + property + " has edm_type "
                + typed.get("edm_type") + "; only Edm.Binary is supported. Extend KnownAnswerVector.");
        }
        return Base64.getDecoder().decode(String.valueOf(typed.get("value_b64")));
    }

    @SuppressWarnings("unchecked") // Json.parseObject makes every JSON object a Map<String, Object>
    private Map<String, Object> mapOf(String field) {
        Object value = require(field);
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalStateException("Vector " + id() + ": " + field + " is not a JSON object");
        }
        return (Map<String, Object>) value;
    }

    private String string(String field) {
        return String.valueOf(require(field));
    }

    private Object require(String field) {
        Object value = fields.get(field);
        if (value == null) {
            throw missing(field);
        }
        return value;
    }

    private IllegalStateException missing(String field) {
        return new IllegalStateException("Vector " + id() + " (a " + kind() + " vector) has no " + field
            + "; see KnownAnswerVector's Javadoc for which fields each kind holds.");
    }
}
