package dev.cse4j.blob;

import com.azure.json.JsonProviders;
import com.azure.json.JsonWriter;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobItemProperties;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One blob as a listing with metadata shows it: what a {@link BlobFleetOperation} needs to decide what to do with
 * the blob, and to do it when that needs no data (a re-wrap writes the metadata back conditioned on this ETag). A
 * plain immutable value of strings and numbers, with a public constructor and getters, so a distributed job can
 * carry it between machines in its own records; {@link BlobListing} makes them from listings.
 *
 * <p>Everything is as the service returned it (names, metadata and key ids are not escaped): escape before
 * printing to a terminal.
 */
public final class BlobRef {
    private final String name;
    private final String eTag;
    private final Map<String, String> metadata;
    private final String accessTier;
    private final long contentLength;
    private final String blobType;

    /**
     * @param name the blob's name
     * @param eTag its ETag as listed
     * @param metadata its metadata as listed, {@code encryptiondata} included ({@code null}: none); copied
     * @param accessTier its access tier as listed ({@code Hot}, {@code Cool}, {@code Cold}, {@code Archive}, ...),
     *     or {@code null}
     * @param contentLength its stored length in bytes
     * @param blobType {@code BlockBlob}, {@code PageBlob} or {@code AppendBlob}, or {@code null} if unknown
     */
    public BlobRef(String name, String eTag, Map<String, String> metadata, String accessTier, long contentLength,
        String blobType) {
        this.name = Objects.requireNonNull(name, "name");
        this.eTag = Objects.requireNonNull(eTag, "eTag");
        this.metadata = metadata == null ? Collections.emptyMap()
            : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.accessTier = accessTier;
        this.contentLength = contentLength;
        this.blobType = blobType;
    }

    /**
     * The ref of a listed blob (listed with metadata; a listing without it makes every blob look unencrypted).
     *
     * @throws IllegalArgumentException for a virtual directory of a listing by hierarchy
     */
    public static BlobRef of(BlobItem item) {
        if (Boolean.TRUE.equals(item.isPrefix())) {
            throw new IllegalArgumentException("'" + item.getName() + "' is a virtual directory, not a blob");
        }
        BlobItemProperties properties = item.getProperties();
        return new BlobRef(item.getName(), properties.getETag(), item.getMetadata(),
            properties.getAccessTier() == null ? null : properties.getAccessTier().toString(),
            properties.getContentLength() == null ? 0 : properties.getContentLength(),
            properties.getBlobType() == null ? null : properties.getBlobType().toString());
    }

    /** The ref of a blob listed by an {@link EncryptedBlobContainerClient}. */
    public static BlobRef of(EncryptedBlobItem item) {
        return of(item.getBlobItem());
    }

    public String getName() {
        return name;
    }

    public String getETag() {
        return eTag;
    }

    /** The metadata as listed, {@code encryptiondata} included; unmodifiable. */
    public Map<String, String> getMetadata() {
        return metadata;
    }

    /** The access tier as listed, or {@code null}. */
    public String getAccessTier() {
        return accessTier;
    }

    /** Whether the blob is in the archive tier (it can be neither read nor given new metadata there). */
    public boolean isArchived() {
        return "Archive".equalsIgnoreCase(accessTier);
    }

    /** The stored (encrypted) length in bytes. */
    public long getContentLength() {
        return contentLength;
    }

    /** {@code BlockBlob}, {@code PageBlob}, {@code AppendBlob}, or {@code null} if unknown. */
    public String getBlobType() {
        return blobType;
    }

    /** How the blob is encrypted, from the metadata and length alone (never throws for what they hold). */
    public BlobEncryptionInfo getEncryptionInfo() {
        return BlobEncryptionInfo.of(metadata, contentLength);
    }

    /**
     * The {@code cse4j blob list --json} line for this blob (without a line end):
     * <pre>{@code
     * {"name":"a.pdf","encrypted":true,"protocol":"2.0","keyId":"kek1","size":1234}
     * {"name":"b.bin","encrypted":false,"protocol":null,"keyId":null,"size":99}
     * {"name":"c.bin","encrypted":true,"protocol":null,"keyId":null,"size":null,"error":"Malformed ..."}
     * }</pre>
     * {@code size} is the plaintext length where the listing determines it (2.x and unencrypted blobs), else
     * {@code null} (1.0, whose padding needs the key; malformed metadata; a 2.x length no plaintext encrypts to).
     * {@code error} is present only when the metadata or the stored length is invalid.
     */
    public String toListingJson() {
        BlobEncryptionInfo info = getEncryptionInfo();
        StringWriter out = new StringWriter();
        try (JsonWriter json = JsonProviders.createWriter(out)) {
            json.writeStartObject();
            json.writeStringField("name", name);
            json.writeBooleanField("encrypted", info.isEncrypted());
            if (info.getProtocol() == null) {
                json.writeNullField("protocol");
                json.writeNullField("keyId");
            } else {
                json.writeStringField("protocol", info.getProtocol().wireValue());
                json.writeStringField("keyId", info.getKeyId());
            }
            if (info.getPlaintextLength() == null) {
                json.writeNullField("size");
            } else {
                json.writeLongField("size", info.getPlaintextLength());
            }
            if (info.getError() != null) {
                json.writeStringField("error", info.getError().strip().replaceAll("\\s+", " "));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlobRef other && name.equals(other.name) && eTag.equals(other.eTag)
            && metadata.equals(other.metadata) && Objects.equals(accessTier, other.accessTier)
            && contentLength == other.contentLength && Objects.equals(blobType, other.blobType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, eTag, metadata, accessTier, contentLength, blobType);
    }

    /** Name, ETag, tier, length and type; not the metadata. */
    @Override
    public String toString() {
        return "BlobRef[" + name + ", eTag=" + eTag + ", tier=" + accessTier + ", contentLength=" + contentLength
            + ", type=" + blobType + "]";
    }
}
