package dev.cse4j.blob.implementation;

import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import dev.cse4j.core.implementation.EncryptionSettings;

import java.util.Map;

/**
 * New user metadata with the blob's stored client-owned entries ({@code encryptiondata}, the integrity record) kept,
 * and conditions pinned to the version it was read from ({@code If-Match}), so the write that replaces the metadata
 * (Set Metadata, or a snapshot with metadata) cannot drop them or apply to a blob replaced meanwhile. Both clients
 * read the properties, then write this.
 *
 * @param metadata what to write: the caller's metadata plus the stored client-owned entries
 * @param conditions {@code If-Match} of the version read, and the caller's lease id and tags conditions
 */
public record KeptMetadata(Map<String, String> metadata, BlobRequestConditions conditions) {

    /**
     * @param userMetadata the caller's metadata (already checked by
     *     {@link BlobEncryptionMetadata#rejectReserved(Map)})
     * @param current the blob's properties, read with {@code requested}
     * @param requested the caller's conditions, or {@code null}
     */
    public static KeptMetadata of(Map<String, String> userMetadata, BlobProperties current,
        BlobRequestConditions requested) {
        Map<String, String> merged = BlobEncryptionMetadata.keepingStored(userMetadata, current.getMetadata());
        BlobRequestConditions pinned = new BlobRequestConditions().setIfMatch(current.getETag())
            .setLeaseId(requested == null ? null : requested.getLeaseId())
            .setTagsConditions(requested == null ? null : requested.getTagsConditions());
        return new KeptMetadata(merged, pinned);
    }

    /**
     * Checks a copy source's properties: an unencrypted source is refused while encryption is required.
     *
     * @param what the source, for the message
     * @return the ETag to pin the copy to
     * @throws dev.cse4j.core.EncryptionPolicyException if the source is unencrypted and encryption is required
     */
    public static String checkCopySource(BlobProperties source, EncryptionSettings settings, String what) {
        if (BlobEncryptionMetadata.parse(source.getMetadata()) == null) {
            settings.checkUnencryptedAllowed(what);
        }
        return source.getETag();
    }
}
