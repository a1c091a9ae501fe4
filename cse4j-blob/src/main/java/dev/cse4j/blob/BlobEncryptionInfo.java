package dev.cse4j.blob;

import dev.cse4j.blob.implementation.BlobEncryptionMetadata;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.implementation.RegionLayout;

import java.util.Map;

/**
 * How a blob is encrypted, as far as its metadata and stored length tell, with no key and no read of its content:
 * encrypted or not, protocol, key id, wrap algorithm, region length, and the plaintext length where the stored
 * length determines it. What listing reports for each blob ({@link EncryptedBlobItem#getEncryptionInfo()}); also
 * made from any metadata with {@link #of(Map, long)}. Immutable.
 *
 * <p>Stored data is not trusted: invalid encryption metadata (not the one {@code encryptiondata} format, an unknown
 * protocol, ...) or a 2.x stored length that no plaintext encrypts to is reported in {@link #getError()}, never
 * thrown. Strings (key id, algorithm, error) are as the service returned them: escape them before printing them to
 * a terminal.
 *
 * <p>Plaintext length: protocol 2.x, {@code stored − ⌈stored / (R + 28)⌉ · 28} (regions of {@code R} bytes); an
 * unencrypted blob, its stored length; protocol 1.0, unknown without the key (its padding is encrypted:
 * {@code null}).
 */
public final class BlobEncryptionInfo {
    private final boolean encrypted;
    private final EncryptionData encryptionData;
    private final long encryptedLength;
    private final Long plaintextLength;
    private final String error;

    private BlobEncryptionInfo(boolean encrypted, EncryptionData encryptionData, long encryptedLength,
        Long plaintextLength, String error) {
        this.encrypted = encrypted;
        this.encryptionData = encryptionData;
        this.encryptedLength = encryptedLength;
        this.plaintextLength = plaintextLength;
        this.error = error;
    }

    /**
     * What the blob's metadata and stored length say. Never throws for what the metadata holds.
     *
     * @param metadata the blob's metadata as stored (with {@code encryptiondata}, found in any case), or
     *     {@code null} for none
     * @param storedLength the blob's stored size in bytes
     */
    public static BlobEncryptionInfo of(Map<String, String> metadata, long storedLength) {
        if (BlobEncryptionMetadata.find(metadata) == null) {
            return new BlobEncryptionInfo(false, null, storedLength, storedLength, null);
        }
        EncryptionData data;
        try {
            data = BlobEncryptionMetadata.parse(metadata);
        } catch (RuntimeException e) {
            // stored data is hostile: whatever the parser refuses is this blob's error, never the listing's
            return new BlobEncryptionInfo(true, null, storedLength, null, e.getMessage());
        }
        if (data.protocol() == EncryptionProtocol.V1_0) {
            return new BlobEncryptionInfo(true, data, storedLength, null, null);
        }
        try {
            long plaintext = RegionLayout.of(data.encryptedRegionInfo()).plaintextLength(storedLength);
            return new BlobEncryptionInfo(true, data, storedLength, plaintext, null);
        } catch (RuntimeException e) {
            return new BlobEncryptionInfo(true, data, storedLength, null, e.getMessage());
        }
    }

    /**
     * Whether the blob has encryption metadata (an {@code encryptiondata} entry), valid or not: a blob with invalid
     * metadata is encrypted, with an {@link #getError() error}.
     */
    public boolean isEncrypted() {
        return encrypted;
    }

    /** The parsed encryption metadata, or {@code null} if the blob has none or it is invalid. */
    public EncryptionData getEncryptionData() {
        return encryptionData;
    }

    /** {@code 1.0}, {@code 2.0} or {@code 2.1}, or {@code null} if the blob has no valid encryption metadata. */
    public EncryptionProtocol getProtocol() {
        return encryptionData == null ? null : encryptionData.protocol();
    }

    /** The id of the key encryption key that wrapped the content key, or {@code null} (as stored, unescaped). */
    public String getKeyId() {
        return encryptionData == null ? null : encryptionData.wrappedContentKey().keyId();
    }

    /** The key wrap algorithm, e.g. {@code A256KW}, or {@code null} (as stored, unescaped). */
    public String getKeyWrapAlgorithm() {
        return encryptionData == null ? null : encryptionData.wrappedContentKey().algorithm();
    }

    /** The plaintext bytes per region of a 2.x blob, or {@code null} (1.0, unencrypted, invalid). */
    public Integer getRegionLength() {
        return encryptionData == null || encryptionData.encryptedRegionInfo() == null ? null
            : encryptionData.encryptedRegionInfo().dataLength();
    }

    /** The stored size in bytes. */
    public long getEncryptedLength() {
        return encryptedLength;
    }

    /**
     * The plaintext size in bytes where the listing determines it (2.x and unencrypted blobs), else {@code null}
     * (1.0: needs the key; invalid metadata; a 2.x stored length no plaintext encrypts to).
     */
    public Long getPlaintextLength() {
        return plaintextLength;
    }

    /** Why the metadata or stored length is invalid, or {@code null} if it is not (as built from service data). */
    public String getError() {
        return error;
    }

    @Override
    public String toString() {
        if (!encrypted) {
            return "BlobEncryptionInfo[not encrypted, length=" + encryptedLength + "]";
        }
        return "BlobEncryptionInfo[protocol=" + (encryptionData == null ? "?" : encryptionData.protocol().wireValue())
            + (getRegionLength() == null ? "" : ", regionLength=" + getRegionLength()) + ", encryptedLength="
            + encryptedLength + (plaintextLength == null ? "" : ", plaintextLength=" + plaintextLength)
            + (error == null ? "" : ", invalid") + "]";
    }
}
