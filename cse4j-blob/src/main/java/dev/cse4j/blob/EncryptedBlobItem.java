package dev.cse4j.blob;

import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobItemProperties;
import dev.cse4j.blob.implementation.BlobEncryptionMetadata;

import java.util.Collections;
import java.util.Map;

/**
 * One blob (or, in a listing by hierarchy, one virtual directory) of a container listing, with how it is encrypted
 * as its listed metadata and stored length tell ({@link #getEncryptionInfo()}), found with no key and no further
 * request. Listings of an {@link EncryptedBlobContainerClient} always retrieve metadata. Immutable.
 *
 * <p>Names, metadata and tags are as the service returned them: escape them before printing them to a terminal.
 */
public final class EncryptedBlobItem {
    private final BlobItem item;
    private final BlobEncryptionInfo encryptionInfo;

    private EncryptedBlobItem(BlobItem item, BlobEncryptionInfo encryptionInfo) {
        this.item = item;
        this.encryptionInfo = encryptionInfo;
    }

    /** The item for a listed blob (or virtual directory); never throws for what the metadata holds. */
    static EncryptedBlobItem of(BlobItem item) {
        if (Boolean.TRUE.equals(item.isPrefix())) {
            return new EncryptedBlobItem(item, null);
        }
        long stored = item.getProperties() == null || item.getProperties().getContentLength() == null ? 0
            : item.getProperties().getContentLength();
        return new EncryptedBlobItem(item, BlobEncryptionInfo.of(item.getMetadata(), stored));
    }

    /** The blob's name (or the virtual directory's, ending with the delimiter). */
    public String getName() {
        return item.getName();
    }

    /** Whether this is a virtual directory of a listing by hierarchy, not a blob. */
    public boolean isPrefix() {
        return Boolean.TRUE.equals(item.isPrefix());
    }

    /** How the blob is encrypted; {@code null} for a virtual directory. */
    public BlobEncryptionInfo getEncryptionInfo() {
        return encryptionInfo;
    }

    /** The user metadata, without the {@code encryptiondata} entry (empty for a virtual directory). */
    public Map<String, String> getMetadata() {
        return Collections.unmodifiableMap(BlobEncryptionMetadata.userMetadata(item.getMetadata()));
    }

    /** The snapshot this item is, or {@code null}. */
    public String getSnapshot() {
        return item.getSnapshot();
    }

    /** The version this item is, or {@code null}. */
    public String getVersionId() {
        return item.getVersionId();
    }

    /** Whether the blob is soft-deleted (listed only when asked for). */
    public boolean isDeleted() {
        return item.isDeleted();
    }

    /**
     * The service's properties as listed: the content length is the stored (encrypted) size, and a content MD5 is
     * of the stored bytes.
     */
    public BlobItemProperties getProperties() {
        return item.getProperties();
    }

    /** The listed item as the service returned it, metadata with {@code encryptiondata} included. */
    public BlobItem getBlobItem() {
        return item;
    }

    @Override
    public String toString() {
        return "EncryptedBlobItem[" + (isPrefix() ? "virtual directory" : String.valueOf(encryptionInfo)) + "]";
    }
}
