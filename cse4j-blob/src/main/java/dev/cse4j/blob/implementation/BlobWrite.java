package dev.cse4j.blob.implementation;

import com.azure.core.util.Context;
import com.azure.storage.blob.models.AccessTier;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobRequestConditions;

import java.time.Duration;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * What an upload writes beside the data, all in its final request (Put Blob, or Put Block List): headers, the
 * metadata <em>including</em> {@code encryptiondata} and the integrity record (so the blob never exists without
 * them), tags, tier and the caller's conditions; plus the timeout and context of each request.
 *
 * @param metadata the caller's metadata
 * @param sealedMetadata the metadata to write once the plaintext length is known (the caller's, plus the entries
 *     the client owns), or {@code null} to write {@code metadata} as it is
 */
public record BlobWrite(BlobHttpHeaders headers, Map<String, String> metadata, Map<String, String> tags,
    AccessTier tier, BlobRequestConditions conditions, Duration timeout, Context context,
    LongFunction<Map<String, String>> sealedMetadata) {

    public BlobWrite {
        context = context == null ? Context.NONE : context;
    }

    public BlobWrite(BlobHttpHeaders headers, Map<String, String> metadata, Map<String, String> tags,
        AccessTier tier, BlobRequestConditions conditions, Duration timeout, Context context) {
        this(headers, metadata, tags, tier, conditions, timeout, context, null);
    }

    /** This write, with the metadata computed from the plaintext length when the blob is committed. */
    public BlobWrite sealedWith(LongFunction<Map<String, String>> metadataForLength) {
        return new BlobWrite(headers, metadata, tags, tier, conditions, timeout, context, metadataForLength);
    }

    /** The metadata of the final request, for a blob of {@code plaintextLength} bytes. */
    Map<String, String> metadataFor(long plaintextLength) {
        return sealedMetadata == null ? metadata : sealedMetadata.apply(plaintextLength);
    }

    /** The caller's lease id, sent with every staged block too. */
    String leaseId() {
        return conditions == null ? null : conditions.getLeaseId();
    }
}
