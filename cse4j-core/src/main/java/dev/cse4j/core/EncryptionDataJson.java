package dev.cse4j.core;

import com.azure.json.JsonReader;
import com.azure.json.JsonToken;
import com.azure.json.JsonWriter;
import dev.cse4j.core.implementation.JsonMembers;

import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.cse4j.core.implementation.JsonMembers.malformed;

/** The JSON codec of {@link EncryptionData}: the one place that knows the member names. */
final class EncryptionDataJson {
    private static final String ROOT = "EncryptionData";

    private EncryptionDataJson() {
    }

    static EncryptionData read(JsonReader reader, boolean wholeDocument) throws IOException {
        Fields f = new Fields();
        JsonMembers.readObject(reader, ROOT, (name, r) -> {
            switch (name) {
                case "encryptionmode":
                    f.encryptionMode = JsonMembers.nullableString(r, ROOT + ".EncryptionMode");
                    return true;
                case "wrappedcontentkey":
                    f.wrappedKey = readWrappedKey(r);
                    return true;
                case "encryptionagent":
                    f.protocol = readAgent(r);
                    return true;
                case "contentencryptioniv":
                    String iv = JsonMembers.nullableString(r, ROOT + ".ContentEncryptionIV");
                    f.iv = iv == null ? null : base64(iv, ROOT + ".ContentEncryptionIV");
                    return true;
                case "encryptedregioninfo":
                    f.regionInfo = r.currentToken() == JsonToken.NULL ? null : readRegionInfo(r);
                    return true;
                case "keywrappingmetadata":
                    f.keyWrappingMetadata = r.currentToken() == JsonToken.NULL ? null : readStringMap(r);
                    return true;
                default:
                    return false;
            }
        });
        if (wholeDocument) {
            JsonMembers.requireEnd(reader, ROOT);
        }
        if (f.wrappedKey == null) {
            throw malformed(ROOT + ".WrappedContentKey is missing");
        }
        if (f.protocol == null) {
            throw malformed(ROOT + ".EncryptionAgent is missing");
        }
        return new EncryptionData(f.encryptionMode, f.wrappedKey, f.protocol, f.iv, f.regionInfo,
            f.keyWrappingMetadata);
    }

    private static WrappedKey readWrappedKey(JsonReader reader) throws IOException {
        String path = ROOT + ".WrappedContentKey";
        String[] v = new String[3];
        JsonMembers.readObject(reader, path, (name, r) -> {
            switch (name) {
                case "keyid":
                    v[0] = JsonMembers.nullableString(r, path + ".KeyId");
                    return true;
                case "encryptedkey":
                    v[1] = JsonMembers.nullableString(r, path + ".EncryptedKey");
                    return true;
                case "algorithm":
                    v[2] = JsonMembers.nullableString(r, path + ".Algorithm");
                    return true;
                default:
                    return false;
            }
        });
        if (v[0] == null) {
            throw malformed(path + ".KeyId is missing");
        }
        if (v[1] == null || v[1].isEmpty()) {
            throw malformed(path + ".EncryptedKey is missing or empty");
        }
        if (v[2] == null || v[2].isEmpty()) {
            throw malformed(path + ".Algorithm is missing or empty");
        }
        return new WrappedKey(v[0], base64(v[1], path + ".EncryptedKey"), v[2]);
    }

    private static EncryptionProtocol readAgent(JsonReader reader) throws IOException {
        String path = ROOT + ".EncryptionAgent";
        String[] v = new String[2];
        JsonMembers.readObject(reader, path, (name, r) -> {
            switch (name) {
                case "protocol":
                    v[0] = JsonMembers.nullableString(r, path + ".Protocol");
                    return true;
                case "encryptionalgorithm":
                    v[1] = JsonMembers.nullableString(r, path + ".EncryptionAlgorithm");
                    return true;
                default:
                    return false;
            }
        });
        if (v[0] == null) {
            throw malformed(path + ".Protocol is missing");
        }
        if (v[1] == null) {
            throw malformed(path + ".EncryptionAlgorithm is missing");
        }
        EncryptionProtocol protocol = EncryptionProtocol.fromWireValue(v[0]);
        if (!protocol.encryptionAlgorithm().equals(v[1])) {
            throw malformed(path + ".EncryptionAlgorithm is '" + v[1] + "' but protocol " + protocol.wireValue()
                + " uses " + protocol.encryptionAlgorithm());
        }
        return protocol;
    }

    private static EncryptedRegionInfo readRegionInfo(JsonReader reader) throws IOException {
        String path = ROOT + ".EncryptedRegionInfo";
        Integer[] v = new Integer[2];
        JsonMembers.readObject(reader, path, (name, r) -> {
            switch (name) {
                case "datalength":
                    v[0] = JsonMembers.requiredInt(r, path + ".DataLength");
                    return true;
                case "noncelength":
                    v[1] = JsonMembers.requiredInt(r, path + ".NonceLength");
                    return true;
                default:
                    return false;
            }
        });
        if (v[0] == null) {
            throw malformed(path + ".DataLength is missing");
        }
        if (v[1] == null) {
            throw malformed(path + ".NonceLength is missing");
        }
        return new EncryptedRegionInfo(v[0], v[1]);
    }

    private static Map<String, String> readStringMap(JsonReader reader) throws IOException {
        String path = ROOT + ".KeyWrappingMetadata";
        Map<String, String> map = new LinkedHashMap<>();
        JsonMembers.readObject(reader, path, (name, r) -> {
            String value = JsonMembers.nullableString(r, path + "." + r.getFieldName());
            if (value != null) {
                map.put(r.getFieldName(), value);
            }
            return true;
        });
        return map;
    }

    private static byte[] base64(String value, String path) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw malformed(path + " is not valid base64");
        }
    }

    static JsonWriter write(EncryptionData data, JsonWriter writer) throws IOException {
        writer.writeStartObject();
        if (data.encryptionMode() != null) {
            writer.writeStringField("EncryptionMode", data.encryptionMode());
        }
        WrappedKey key = data.wrappedContentKey();
        writer.writeStartObject("WrappedContentKey")
            .writeStringField("KeyId", key.keyId())
            .writeStringField("EncryptedKey", Base64.getEncoder().encodeToString(key.encryptedKey()))
            .writeStringField("Algorithm", key.algorithm())
            .writeEndObject();
        writer.writeStartObject("EncryptionAgent")
            .writeStringField("Protocol", data.protocol().wireValue())
            .writeStringField("EncryptionAlgorithm", data.protocol().encryptionAlgorithm())
            .writeEndObject();
        if (data.contentEncryptionIv() != null) {
            writer.writeStringField("ContentEncryptionIV",
                Base64.getEncoder().encodeToString(data.contentEncryptionIv()));
        }
        EncryptedRegionInfo regionInfo = data.encryptedRegionInfo();
        if (regionInfo != null) {
            writer.writeStartObject("EncryptedRegionInfo")
                .writeIntField("DataLength", regionInfo.dataLength())
                .writeIntField("NonceLength", regionInfo.nonceLength())
                .writeEndObject();
        }
        if (!data.keyWrappingMetadata().isEmpty()) {
            writer.writeStartObject("KeyWrappingMetadata");
            for (Map.Entry<String, String> e : data.keyWrappingMetadata().entrySet()) {
                writer.writeStringField(e.getKey(), e.getValue());
            }
            writer.writeEndObject();
        }
        return writer.writeEndObject().flush();
    }

    /** Turns a parser's own runtime failure (e.g. its JSON syntax errors) into our typed exception. */
    static MalformedEncryptionDataException asMalformed(RuntimeException e) {
        if (e instanceof MalformedEncryptionDataException) {
            return (MalformedEncryptionDataException) e;
        }
        return new MalformedEncryptionDataException("Malformed encryption metadata: not valid JSON ("
            + e.getClass().getSimpleName() + "). It was written by an incompatible client or modified.", e);
    }

    private static final class Fields {
        String encryptionMode;
        WrappedKey wrappedKey;
        EncryptionProtocol protocol;
        byte[] iv;
        EncryptedRegionInfo regionInfo;
        Map<String, String> keyWrappingMetadata;
    }
}
