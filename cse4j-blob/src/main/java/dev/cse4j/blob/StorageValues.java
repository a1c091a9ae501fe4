package dev.cse4j.blob;

import com.azure.storage.blob.BlobServiceVersion;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;

import java.util.function.BiConsumer;

/**
 * What the Azure SDK's blob builders take beyond azure-core's builder traits, applied to whichever of them (blob,
 * container, service) a cse4j builder configures: the shared key credential, azure-storage's retry options, the
 * service version.
 */
final class StorageValues {
    private StorageValues() {
    }

    /** Applies each value the connection hands back with the matching setter of the SDK builder {@code B}. */
    static <B> BiConsumer<B, Object> of(BiConsumer<B, StorageSharedKeyCredential> credential,
        BiConsumer<B, RequestRetryOptions> retryOptions, BiConsumer<B, BlobServiceVersion> serviceVersion) {
        return (builder, value) -> {
            if (value instanceof StorageSharedKeyCredential c) {
                credential.accept(builder, c);
            } else if (value instanceof RequestRetryOptions r) {
                retryOptions.accept(builder, r);
            } else if (value instanceof BlobServiceVersion v) {
                serviceVersion.accept(builder, v);
            }
        };
    }
}
