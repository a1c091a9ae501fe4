package dev.cse4j.blob;

import com.azure.core.util.ProgressListener;
import com.azure.storage.blob.models.AccessTier;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.ParallelTransferOptions;

import java.util.Map;
import java.util.Objects;

/**
 * Options of {@link EncryptedBlobClient#uploadFromFileWithResponse}: the file and what to store with it, as for
 * {@link EncryptedBlobUploadOptions}. By default an existing blob is overwritten, as in the Azure SDK's options;
 * set {@code If-None-Match: *} in the conditions to refuse that.
 */
public final class EncryptedBlobUploadFromFileOptions {
    private final String filePath;
    private BlobHttpHeaders headers;
    private Map<String, String> metadata;
    private Map<String, String> tags;
    private AccessTier tier;
    private BlobRequestConditions requestConditions;
    private ParallelTransferOptions parallelTransferOptions;
    private ProgressListener progressListener;

    public EncryptedBlobUploadFromFileOptions(String filePath) {
        this.filePath = Objects.requireNonNull(filePath, "filePath");
    }

    public String getFilePath() {
        return filePath;
    }

    public BlobHttpHeaders getHeaders() {
        return headers;
    }

    public EncryptedBlobUploadFromFileOptions setHeaders(BlobHttpHeaders headers) {
        this.headers = headers;
        return this;
    }

    public Map<String, String> getMetadata() {
        return metadata;
    }

    /** User metadata, stored unencrypted beside {@code encryptiondata}. */
    public EncryptedBlobUploadFromFileOptions setMetadata(Map<String, String> metadata) {
        this.metadata = metadata;
        return this;
    }

    public Map<String, String> getTags() {
        return tags;
    }

    /** Blob index tags, stored unencrypted. */
    public EncryptedBlobUploadFromFileOptions setTags(Map<String, String> tags) {
        this.tags = tags;
        return this;
    }

    public AccessTier getTier() {
        return tier;
    }

    public EncryptedBlobUploadFromFileOptions setTier(AccessTier tier) {
        this.tier = tier;
        return this;
    }

    public BlobRequestConditions getRequestConditions() {
        return requestConditions;
    }

    public EncryptedBlobUploadFromFileOptions setRequestConditions(BlobRequestConditions requestConditions) {
        this.requestConditions = requestConditions;
        return this;
    }

    public ParallelTransferOptions getParallelTransferOptions() {
        return parallelTransferOptions;
    }

    public EncryptedBlobUploadFromFileOptions setParallelTransferOptions(
        ParallelTransferOptions parallelTransferOptions) {
        this.parallelTransferOptions = parallelTransferOptions;
        return this;
    }

    public ProgressListener getProgressListener() {
        return progressListener;
    }

    /** Receives the plaintext bytes uploaded so far. */
    public EncryptedBlobUploadFromFileOptions setProgressListener(ProgressListener progressListener) {
        this.progressListener = progressListener;
        return this;
    }
}
