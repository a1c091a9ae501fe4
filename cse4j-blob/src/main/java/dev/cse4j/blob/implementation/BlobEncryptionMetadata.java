package dev.cse4j.blob.implementation;

import com.azure.core.util.logging.ClientLogger;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.MalformedEncryptionDataException;
import dev.cse4j.core.implementation.Logs;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code encryptiondata} blob metadata entry (docs/formats.md §4): finding it case-insensitively (as Microsoft's
 * Java and Python SDKs do), keeping it beside user metadata, and refusing user metadata that would replace it.
 */
public final class BlobEncryptionMetadata {
    private static final ClientLogger LOGGER = new ClientLogger(BlobEncryptionMetadata.class);
    /** The metadata key, sent as {@code x-ms-meta-encryptiondata}. */
    public static final String KEY = "encryptiondata";

    private BlobEncryptionMetadata() {
    }

    /** The stored {@code encryptiondata} value, whatever the case of its key, or {@code null} if absent. */
    public static String find(Map<String, String> metadata) {
        String key = storedKey(metadata);
        return key == null ? null : metadata.get(key);
    }

    /**
     * Parses the stored {@code encryptiondata}, or returns {@code null} if the blob has none.
     *
     * @throws MalformedEncryptionDataException if it is present but invalid, or not a full-blob record
     */
    public static EncryptionData parse(Map<String, String> metadata) {
        String json = find(metadata);
        if (json == null) {
            return null;
        }
        EncryptionData data = EncryptionData.parse(json);
        if (data.encryptionMode() != null && !EncryptionData.FULL_BLOB.equals(data.encryptionMode())) {
            throw new MalformedEncryptionDataException("Unsupported EncryptionMode '" + data.encryptionMode()
                + "' in the blob's encryption metadata: only \"FullBlob\" exists. The metadata was modified or "
                + "written by an incompatible client.");
        }
        if (data.protocol() != EncryptionProtocol.V1_0 && !data.protocol().usesRegions()) {
            throw new MalformedEncryptionDataException("Protocol '" + data.protocol().wireValue() + "' in the "
                + "blob's encryption metadata is not a blob protocol (blobs use 1.0, 2.0 or 2.1). The metadata was "
                + "modified or copied from another kind of object.");
        }
        return data;
    }

    /** The metadata without its {@code encryptiondata} entry (a new map; empty for {@code null}). */
    public static Map<String, String> userMetadata(Map<String, String> metadata) {
        Map<String, String> user = new LinkedHashMap<>();
        if (metadata != null) {
            metadata.forEach((k, v) -> {
                if (!isReserved(k)) {
                    user.put(k, v);
                }
            });
        }
        return user;
    }

    /**
     * User metadata plus the {@code encryptiondata} entry: what is written with the blob.
     *
     * @throws EncryptionPolicyException if the user metadata has an {@code encryptiondata} entry of its own
     */
    public static Map<String, String> withEncryptionData(Map<String, String> userMetadata, String encryptionDataJson) {
        rejectReserved(userMetadata);
        Map<String, String> all = new LinkedHashMap<>();
        if (userMetadata != null) {
            all.putAll(userMetadata);
        }
        all.put(KEY, encryptionDataJson);
        return all;
    }

    /**
     * @throws EncryptionPolicyException if {@code userMetadata} has a key equal to {@code encryptiondata} ignoring
     *     case: only the encrypted client writes that entry
     */
    public static void rejectReserved(Map<String, String> userMetadata) {
        if (userMetadata == null) {
            return;
        }
        for (String key : userMetadata.keySet()) {
            if (isReserved(key)) {
                throw Logs.refused(LOGGER, new EncryptionPolicyException("Metadata key '" + key + "' is reserved: '"
                    + KEY + "' holds the blob's wrapped content key and encryption parameters, and replacing or "
                    + "removing it makes the blob unreadable. Remove that key from the metadata you set; the client "
                    + "keeps the entry itself."));
            }
        }
    }

    private static boolean isReserved(String key) {
        return key != null && key.toLowerCase(Locale.ROOT).equals(KEY);
    }

    private static String storedKey(Map<String, String> metadata) {
        if (metadata == null) {
            return null;
        }
        if (metadata.containsKey(KEY)) {
            return KEY;
        }
        for (String key : metadata.keySet()) {
            if (isReserved(key)) {
                return key;
            }
        }
        return null;
    }
}
