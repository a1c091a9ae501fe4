package dev.cse4j.blob.implementation;

import com.azure.core.util.Context;
import com.azure.storage.blob.models.AccessTier;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobRequestConditions;

import java.time.Duration;
import java.util.Map;

/**
 * What an upload writes beside the data, all in its final request (Put Blob, or Put Block List): headers, the
 * metadata <em>including</em> {@code encryptiondata} (so the blob never exists without it), tags, tier and the
 * caller's conditions; plus the timeout and context of each request.
 */
public record BlobWrite(BlobHttpHeaders headers, Map<String, String> metadata, Map<String, String> tags,
    AccessTier tier, BlobRequestConditions conditions, Duration timeout, Context context) {

    public BlobWrite {
        context = context == null ? Context.NONE : context;
    }

    /** The caller's lease id, sent with every staged block too. */
    String leaseId() {
        return conditions == null ? null : conditions.getLeaseId();
    }
}
