package dev.cse4j.blob;

import com.azure.core.util.CoreUtils;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobType;
import dev.cse4j.blob.implementation.BlobEncryptionMetadata;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionProtocol;

import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.Map;

/**
 * The properties of an encrypted blob: its plaintext size, its stored (encrypted) size, its parsed encryption
 * metadata and the service's {@link BlobProperties}. Immutable.
 *
 * <p>Stored sizes: protocol 2.x stores {@code n + ⌈n/R⌉·28} bytes for {@code n} plaintext bytes (regions of
 * {@code R} bytes, each with a 12-byte nonce and a 16-byte tag); Microsoft's Java SDK stores an empty blob as one
 * empty region (28 bytes). Protocol 1.0 stores {@code 16·(⌊n/16⌋+1)} bytes (page blobs: {@code n}).
 */
public final class EncryptedBlobProperties {
    private final BlobProperties properties;
    private final EncryptionData encryptionData;
    private final long plaintextSize;

    EncryptedBlobProperties(BlobProperties properties, EncryptionData encryptionData, long plaintextSize) {
        this.properties = properties;
        this.encryptionData = encryptionData;
        this.plaintextSize = plaintextSize;
    }

    /** The size of the plaintext: what a download returns. */
    public long getPlaintextSize() {
        return plaintextSize;
    }

    /** The size of the stored (encrypted) blob, as the service reports it. */
    public long getEncryptedSize() {
        return properties.getBlobSize();
    }

    /** Whether the blob has encryption metadata. */
    public boolean isEncrypted() {
        return encryptionData != null;
    }

    /** The parsed {@code encryptiondata} metadata, or {@code null} if the blob is not encrypted. */
    public EncryptionData getEncryptionData() {
        return encryptionData;
    }

    /** The encryption protocol, or {@code null} if the blob is not encrypted. */
    public EncryptionProtocol getProtocol() {
        return encryptionData == null ? null : encryptionData.protocol();
    }

    /** The user metadata, without the {@code encryptiondata} entry. */
    public Map<String, String> getMetadata() {
        return Collections.unmodifiableMap(BlobEncryptionMetadata.userMetadata(properties.getMetadata()));
    }

    public String getETag() {
        return properties.getETag();
    }

    public OffsetDateTime getLastModified() {
        return properties.getLastModified();
    }

    public String getContentType() {
        return properties.getContentType();
    }

    public BlobType getBlobType() {
        return properties.getBlobType();
    }

    /**
     * The service's properties as they are: {@link BlobProperties#getBlobSize()} is the stored size and
     * {@link BlobProperties#getMetadata()} includes {@code encryptiondata}; the content MD5, if any, is of the
     * stored bytes.
     */
    public BlobProperties getBlobProperties() {
        return properties;
    }

    @Override
    public String toString() {
        return "EncryptedBlobProperties[plaintextSize=" + plaintextSize + ", encryptedSize=" + getEncryptedSize()
            + ", protocol=" + (encryptionData == null ? "none" : encryptionData.protocol())
            + (CoreUtils.isNullOrEmpty(getETag()) ? "" : ", etag=" + getETag()) + "]";
    }
}
