package dev.cse4j.core;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.json.JsonSerializable;
import com.azure.json.JsonWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The encryption metadata stored with every encrypted object: {@code encryptiondata} blob metadata,
 * {@code EncryptionData} in a queue message, {@code _ClientEncryptionMetadata1} on a table entity. Immutable.
 *
 * <p>Wire form (compact JSON, PascalCase, written in this member order; read in any order; docs/formats.md §2):
 * <pre>{@code
 * {"EncryptionMode":"FullBlob",                                   // blobs only
 *  "WrappedContentKey":{"KeyId":"…","EncryptedKey":"<base64>","Algorithm":"A256KW"},
 *  "EncryptionAgent":{"Protocol":"2.0","EncryptionAlgorithm":"AES_GCM_256"},
 *  "EncryptedRegionInfo":{"DataLength":4194304,"NonceLength":12}, // 2.x; 1.0 has "ContentEncryptionIV":"<base64>"
 *  "KeyWrappingMetadata":{"EncryptionLibrary":"cse4j 0.1.0"}}
 * }</pre>
 *
 * <p>{@link #parse(String)} accepts what Microsoft's .NET, Java and Python SDKs write: any member order and spacing,
 * {@code null} members, unknown members (ignored) and member names in any case (as .NET reads them). It rejects
 * anything else with a {@link MalformedEncryptionDataException}: invalid JSON, a member present twice, a required
 * member missing or of the wrong type, bad base64, an unknown protocol, an algorithm that does not match the
 * protocol, a 1.0 record without a 16-byte IV, a 2.x record without region info or with an IV, a table-format
 * ({@code cse4j-t1}) record with either.
 *
 * <p>What this metadata does not protect: only the protocol version is bound to the wrapped content key (protocol
 * 2.x); the key id, algorithm, region info, mode and key-wrapping metadata can be altered by anyone with write
 * access. Altering them makes decryption fail, never succeed with other data.
 */
public final class EncryptionData implements JsonSerializable<EncryptionData> {
    /** The {@code EncryptionMode} of blobs. */
    public static final String FULL_BLOB = "FullBlob";
    /** The {@code KeyWrappingMetadata} entry naming the writing library. */
    public static final String ENCRYPTION_LIBRARY = "EncryptionLibrary";

    private final String encryptionMode;
    private final WrappedKey wrappedContentKey;
    private final EncryptionProtocol protocol;
    private final byte[] contentEncryptionIv;
    private final EncryptedRegionInfo encryptedRegionInfo;
    private final Map<String, String> keyWrappingMetadata;

    EncryptionData(String encryptionMode, WrappedKey wrappedContentKey, EncryptionProtocol protocol,
        byte[] contentEncryptionIv, EncryptedRegionInfo encryptedRegionInfo, Map<String, String> keyWrappingMetadata) {
        this.encryptionMode = encryptionMode;
        this.wrappedContentKey = Objects.requireNonNull(wrappedContentKey, "wrappedContentKey");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.contentEncryptionIv = contentEncryptionIv == null ? null : contentEncryptionIv.clone();
        this.encryptedRegionInfo = encryptedRegionInfo;
        this.keyWrappingMetadata = keyWrappingMetadata == null ? Collections.emptyMap()
            : Collections.unmodifiableMap(new LinkedHashMap<>(keyWrappingMetadata));
        if (protocol == EncryptionProtocol.V1_0) {
            if (this.contentEncryptionIv == null || this.contentEncryptionIv.length != 16) {
                throw new MalformedEncryptionDataException("Malformed encryption metadata: protocol 1.0 needs a "
                    + "16-byte ContentEncryptionIV" + (this.contentEncryptionIv == null ? " and has none"
                    : " but has " + this.contentEncryptionIv.length + " bytes") + ".");
            }
            if (encryptedRegionInfo != null) {
                throw new MalformedEncryptionDataException("Malformed encryption metadata: protocol 1.0 has no "
                    + "EncryptedRegionInfo, but one is present.");
            }
        } else if (!protocol.usesRegions()) {
            if (encryptedRegionInfo != null || this.contentEncryptionIv != null) {
                throw new MalformedEncryptionDataException("Malformed encryption metadata: protocol "
                    + protocol.wireValue() + " (table entities) has neither EncryptedRegionInfo nor "
                    + "ContentEncryptionIV, but " + (encryptedRegionInfo != null ? "EncryptedRegionInfo"
                    : "ContentEncryptionIV") + " is present.");
            }
        } else {
            if (encryptedRegionInfo == null) {
                throw new MalformedEncryptionDataException("Malformed encryption metadata: protocol "
                    + protocol.wireValue() + " needs EncryptedRegionInfo and has none.");
            }
            if (protocol == EncryptionProtocol.V2_0
                && encryptedRegionInfo.dataLength() != EncryptedRegionInfo.V2_0_DATA_LENGTH) {
                // Every SDK writes 2.0 with 4 MiB regions; any other length was put there by someone else, and a
                // reader must never size its buffers by it.
                throw new MalformedEncryptionDataException("Malformed encryption metadata: Protocol 2.0 regions are "
                    + "always " + EncryptedRegionInfo.V2_0_DATA_LENGTH + " bytes, not "
                    + encryptedRegionInfo.dataLength() + " (EncryptedRegionInfo.DataLength). The metadata was modified "
                    + "or written by an incompatible client.");
            }
            if (this.contentEncryptionIv != null) {
                throw new MalformedEncryptionDataException("Malformed encryption metadata: protocol "
                    + protocol.wireValue() + " has no ContentEncryptionIV, but one is present.");
            }
        }
    }

    /**
     * Metadata for a protocol 2.x object.
     *
     * @param encryptionMode {@link #FULL_BLOB} for blobs, {@code null} for messages and entities
     */
    public static EncryptionData forV2(EncryptionProtocol protocol, WrappedKey wrappedContentKey,
        EncryptedRegionInfo regionInfo, Map<String, String> keyWrappingMetadata, String encryptionMode) {
        if (!protocol.usesRegions()) {
            throw new IllegalArgumentException("forV2 takes protocol 2.0 or 2.1, not " + protocol);
        }
        if (protocol == EncryptionProtocol.V2_0 && regionInfo.dataLength() != EncryptedRegionInfo.V2_0_DATA_LENGTH) {
            throw new IllegalArgumentException("Protocol 2.0 uses 4 MiB regions; use protocol 2.1 for a region "
                + "length of " + regionInfo.dataLength() + " bytes");
        }
        return new EncryptionData(encryptionMode, wrappedContentKey, protocol, null, regionInfo, keyWrappingMetadata);
    }

    /**
     * Metadata for a table entity in cse4j's authenticated format {@link EncryptionProtocol#CSE4J_TABLE_1}: no IV and
     * no region info (each value carries its own nonce; docs/table-format.md).
     */
    public static EncryptionData forTableEntity(WrappedKey wrappedContentKey, Map<String, String> keyWrappingMetadata) {
        return new EncryptionData(null, wrappedContentKey, EncryptionProtocol.CSE4J_TABLE_1, null, null,
            keyWrappingMetadata);
    }

    /**
     * Metadata for a legacy protocol 1.0 object (AES-256-CBC, unauthenticated).
     *
     * @param encryptionMode {@link #FULL_BLOB} for blobs, {@code null} for messages and entities
     */
    public static EncryptionData forLegacyV1(WrappedKey wrappedContentKey, byte[] contentEncryptionIv,
        Map<String, String> keyWrappingMetadata, String encryptionMode) {
        return new EncryptionData(encryptionMode, wrappedContentKey, EncryptionProtocol.V1_0,
            Objects.requireNonNull(contentEncryptionIv, "contentEncryptionIv"), null, keyWrappingMetadata);
    }

    /**
     * Parses stored metadata strictly (see the class description).
     *
     * @throws MalformedEncryptionDataException if the text is not valid encryption metadata
     */
    public static EncryptionData parse(String json) {
        Objects.requireNonNull(json, "json");
        try (JsonReader reader = JsonProviders.createReader(json)) {
            return EncryptionDataJson.read(reader, true);
        } catch (IOException e) {
            throw new MalformedEncryptionDataException("Malformed encryption metadata: not valid JSON ("
                + e.getMessage() + "). It was written by an incompatible client or modified.", e);
        } catch (RuntimeException e) {
            throw EncryptionDataJson.asMalformed(e);
        }
    }

    /**
     * Reads an {@code EncryptionData} object from a reader positioned on (or just before) it, as it is nested in a
     * queue message; same rules as {@link #parse(String)}.
     */
    public static EncryptionData fromJson(JsonReader reader) throws IOException {
        try {
            return EncryptionDataJson.read(reader, false);
        } catch (RuntimeException e) {
            throw EncryptionDataJson.asMalformed(e);
        }
    }

    @Override
    public JsonWriter toJson(JsonWriter writer) throws IOException {
        return EncryptionDataJson.write(this, writer);
    }

    /** The compact JSON form, as stored. */
    @Override
    public String toJsonString() {
        try {
            return JsonSerializable.super.toJsonString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This metadata with another wrapped content key (same content key re-wrapped, e.g. after key rotation). */
    public EncryptionData withWrappedContentKey(WrappedKey newWrappedContentKey) {
        return new EncryptionData(encryptionMode, newWrappedContentKey, protocol, contentEncryptionIv,
            encryptedRegionInfo, keyWrappingMetadata);
    }

    /** {@code EncryptionMode}: {@link #FULL_BLOB} for blobs; {@code null} when absent (messages, entities). */
    public String encryptionMode() {
        return encryptionMode;
    }

    /** {@code WrappedContentKey}. */
    public WrappedKey wrappedContentKey() {
        return wrappedContentKey;
    }

    /** {@code EncryptionAgent.Protocol}; the algorithm is implied by it. */
    public EncryptionProtocol protocol() {
        return protocol;
    }

    /** {@code ContentEncryptionIV} (16 bytes, a copy) of a 1.0 record; {@code null} for 2.x. */
    public byte[] contentEncryptionIv() {
        return contentEncryptionIv == null ? null : contentEncryptionIv.clone();
    }

    /** {@code EncryptedRegionInfo} of a 2.x record; {@code null} for 1.0. */
    public EncryptedRegionInfo encryptedRegionInfo() {
        return encryptedRegionInfo;
    }

    /** {@code KeyWrappingMetadata}, in stored order; empty when absent. */
    public Map<String, String> keyWrappingMetadata() {
        return keyWrappingMetadata;
    }

    /** {@code KeyWrappingMetadata.EncryptionLibrary}, the writer's agent string, or {@code null}. */
    public String encryptionLibrary() {
        return keyWrappingMetadata.get(ENCRYPTION_LIBRARY);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof EncryptionData)) {
            return false;
        }
        EncryptionData other = (EncryptionData) o;
        return Objects.equals(encryptionMode, other.encryptionMode)
            && wrappedContentKey.equals(other.wrappedContentKey)
            && protocol == other.protocol
            && Arrays.equals(contentEncryptionIv, other.contentEncryptionIv)
            && Objects.equals(encryptedRegionInfo, other.encryptedRegionInfo)
            && keyWrappingMetadata.equals(other.keyWrappingMetadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(encryptionMode, wrappedContentKey, protocol, Arrays.hashCode(contentEncryptionIv),
            encryptedRegionInfo, keyWrappingMetadata);
    }

    @Override
    public String toString() {
        return "EncryptionData[protocol=" + protocol + ", " + wrappedContentKey
            + (encryptedRegionInfo == null ? "" : ", regionDataLength=" + encryptedRegionInfo.dataLength())
            + (encryptionMode == null ? "" : ", mode=" + encryptionMode)
            + (encryptionLibrary() == null ? "" : ", library=" + encryptionLibrary()) + "]";
    }
}
