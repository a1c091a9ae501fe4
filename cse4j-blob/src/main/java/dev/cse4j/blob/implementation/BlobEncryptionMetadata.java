package dev.cse4j.blob.implementation;

import com.azure.core.util.logging.ClientLogger;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.IntegrityRecord;
import dev.cse4j.core.MalformedEncryptionDataException;
import dev.cse4j.core.implementation.Logs;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The blob metadata entries the encrypted client owns: {@code encryptiondata} (docs/formats.md §4) and cse4j's
 * integrity record {@code cse4jintegrity} (docs/formats.md, "Integrity record"). Finds them case-insensitively (as
 * the service treats metadata names, and as Microsoft's Java and Python SDKs look up {@code encryptiondata}), keeps
 * them beside user metadata, and refuses user metadata that would replace either.
 */
public final class BlobEncryptionMetadata {
    private static final ClientLogger LOGGER = new ClientLogger(BlobEncryptionMetadata.class);
    /** The metadata key, sent as {@code x-ms-meta-encryptiondata}. */
    public static final String KEY = "encryptiondata";
    /**
     * The integrity record's metadata key, sent as {@code x-ms-meta-cse4jintegrity}: a valid C# identifier (as the
     * service requires of metadata names), lower case; Microsoft's readers ignore it.
     */
    public static final String INTEGRITY_KEY = "cse4jintegrity";

    private BlobEncryptionMetadata() {
    }

    /** The stored {@code encryptiondata} value, whatever the case of its key, or {@code null} if absent. */
    public static String find(Map<String, String> metadata) {
        return findEntry(metadata, KEY);
    }

    /** The stored integrity record value, whatever the case of its key, or {@code null} if absent. */
    public static String findIntegrityRecord(Map<String, String> metadata) {
        return findEntry(metadata, INTEGRITY_KEY);
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

    /**
     * Parses the stored integrity record, or returns {@code null} if the blob has none (it is not verified here:
     * that needs the content key).
     *
     * @throws dev.cse4j.core.IntegrityException if it is present but malformed
     */
    public static IntegrityRecord parseIntegrityRecord(Map<String, String> metadata) {
        String value = findIntegrityRecord(metadata);
        return value == null ? null : IntegrityRecord.parse(value);
    }

    /** The metadata without the entries the client owns (a new map; empty for {@code null}). */
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
     * User metadata plus the {@code encryptiondata} entry and, if not {@code null}, the integrity record: what is
     * written with the blob.
     *
     * @throws EncryptionPolicyException if the user metadata has an entry the client owns
     */
    public static Map<String, String> withEncryptionData(Map<String, String> userMetadata, String encryptionDataJson,
        String integrityRecord) {
        rejectReserved(userMetadata);
        Map<String, String> all = new LinkedHashMap<>();
        if (userMetadata != null) {
            all.putAll(userMetadata);
        }
        all.put(KEY, encryptionDataJson);
        if (integrityRecord != null) {
            all.put(INTEGRITY_KEY, integrityRecord);
        }
        return all;
    }

    /**
     * New user metadata plus the entries the client owns as they are stored now ({@code stored}): what
     * {@code setMetadata} and snapshots write, so neither {@code encryptiondata} nor the integrity record is lost.
     * Without a stored {@code encryptiondata} only the user metadata is kept.
     *
     * @throws EncryptionPolicyException if the user metadata has an entry the client owns
     */
    public static Map<String, String> keepingStored(Map<String, String> userMetadata, Map<String, String> stored) {
        String json = find(stored);
        if (json == null) {
            rejectReserved(userMetadata);
            return userMetadata(userMetadata);
        }
        return withEncryptionData(userMetadata, json, findIntegrityRecord(stored));
    }

    /**
     * @throws EncryptionPolicyException if {@code userMetadata} has a key equal to {@code encryptiondata} or
     *     {@code cse4jintegrity} ignoring case: only the encrypted client writes those entries
     */
    public static void rejectReserved(Map<String, String> userMetadata) {
        if (userMetadata == null) {
            return;
        }
        for (String key : userMetadata.keySet()) {
            if (isReserved(key)) {
                throw Logs.refused(LOGGER, new EncryptionPolicyException(EncryptionPolicyException.Reason
                    .RESERVED_NAME, "Metadata key '" + key + "' is reserved: '"
                    + KEY + "' holds the blob's wrapped content key and encryption parameters, and '" + INTEGRITY_KEY
                    + "' its integrity record; replacing or removing them makes the blob unreadable or weakens its "
                    + "protection. Remove that key from the metadata you set; the client keeps the entries itself."));
            }
        }
    }

    /**
     * The stored metadata with only the value of its {@code encryptiondata} entry replaced by
     * {@code encryptionDataJson}: every other entry (user metadata, any other entry cse4j keeps) and the entry's own
     * key, as stored, kept exactly, in order. What a re-wrap writes back.
     *
     * @throws IllegalArgumentException if {@code stored} has no {@code encryptiondata} entry
     */
    public static Map<String, String> replacingEncryptionData(Map<String, String> stored, String encryptionDataJson) {
        String key = findKey(stored, KEY);
        if (key == null) {
            throw new IllegalArgumentException("The metadata has no '" + KEY + "' entry to replace");
        }
        Map<String, String> all = new LinkedHashMap<>(stored);
        all.put(key, encryptionDataJson);
        return all;
    }

    private static boolean isReserved(String key) {
        if (key == null) {
            return false;
        }
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.equals(KEY) || lower.equals(INTEGRITY_KEY);
    }

    private static String findEntry(Map<String, String> metadata, String name) {
        String key = findKey(metadata, name);
        return key == null ? null : metadata.get(key);
    }

    /** The key of the entry {@code name} as stored (its own spelling), whatever its case, or {@code null}. */
    private static String findKey(Map<String, String> metadata, String name) {
        if (metadata == null) {
            return null;
        }
        if (metadata.containsKey(name)) {
            return name;
        }
        for (String key : metadata.keySet()) {
            if (key != null && key.toLowerCase(Locale.ROOT).equals(name)) {
                return key;
            }
        }
        return null;
    }
}
