package dev.cse4j.blob;

import com.azure.core.util.ProgressListener;
import com.azure.storage.blob.models.AccessTier;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.ParallelTransferOptions;

import java.util.Map;

/**
 * Options of {@link EncryptedBlobClient#getBlobOutputStream(EncryptedBlobOutputStreamOptions)}: what to store with
 * the blob (written when the stream is closed, with the blocks' commit) and the transfer sizes. By default an
 * existing blob is overwritten on close, as in the Azure SDK's options; set {@code If-None-Match: *} in the
 * conditions to refuse that.
 */
public final class EncryptedBlobOutputStreamOptions {
    private BlobHttpHeaders headers;
    private Map<String, String> metadata;
    private Map<String, String> tags;
    private AccessTier tier;
    private BlobRequestConditions requestConditions;
    private ParallelTransferOptions parallelTransferOptions;
    private ProgressListener progressListener;

    public BlobHttpHeaders getHeaders() {
        return headers;
    }

    public EncryptedBlobOutputStreamOptions setHeaders(BlobHttpHeaders headers) {
        this.headers = headers;
        return this;
    }

    public Map<String, String> getMetadata() {
        return metadata;
    }

    /** User metadata, stored unencrypted beside {@code encryptiondata}. */
    public EncryptedBlobOutputStreamOptions setMetadata(Map<String, String> metadata) {
        this.metadata = metadata;
        return this;
    }

    public Map<String, String> getTags() {
        return tags;
    }

    /** Blob index tags, stored unencrypted. */
    public EncryptedBlobOutputStreamOptions setTags(Map<String, String> tags) {
        this.tags = tags;
        return this;
    }

    public AccessTier getTier() {
        return tier;
    }

    public EncryptedBlobOutputStreamOptions setTier(AccessTier tier) {
        this.tier = tier;
        return this;
    }

    public BlobRequestConditions getRequestConditions() {
        return requestConditions;
    }

    /** Conditions of the commit (and the lease id of every request). */
    public EncryptedBlobOutputStreamOptions setRequestConditions(BlobRequestConditions requestConditions) {
        this.requestConditions = requestConditions;
        return this;
    }

    public ParallelTransferOptions getParallelTransferOptions() {
        return parallelTransferOptions;
    }

    /**
     * Block size and blocks in flight: the stream's memory is about {@code maxConcurrency × block size}. Data that
     * ends within {@code maxConcurrency} blocks and {@code maxSingleUploadSize} is sent as one Put Blob on close.
     */
    public EncryptedBlobOutputStreamOptions setParallelTransferOptions(
        ParallelTransferOptions parallelTransferOptions) {
        this.parallelTransferOptions = parallelTransferOptions;
        return this;
    }

    public ProgressListener getProgressListener() {
        return progressListener;
    }

    /** Receives the plaintext bytes uploaded so far. */
    public EncryptedBlobOutputStreamOptions setProgressListener(ProgressListener progressListener) {
        this.progressListener = progressListener;
        return this;
    }
}
