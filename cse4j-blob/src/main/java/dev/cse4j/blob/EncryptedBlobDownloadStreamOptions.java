package dev.cse4j.blob;

import com.azure.core.util.ProgressListener;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.ParallelTransferOptions;

/**
 * Options of {@link EncryptedBlobClient#downloadStreamWithResponse(java.io.OutputStream,
 * EncryptedBlobDownloadStreamOptions, java.time.Duration, com.azure.core.util.Context)}.
 */
public final class EncryptedBlobDownloadStreamOptions {
    private BlobRange range;
    private BlobRequestConditions requestConditions;
    private ParallelTransferOptions parallelTransferOptions;
    private ProgressListener progressListener;

    public BlobRange getRange() {
        return range;
    }

    /** A plaintext range (offset, count); {@code null} for the whole blob. */
    public EncryptedBlobDownloadStreamOptions setRange(BlobRange range) {
        this.range = range;
        return this;
    }

    public BlobRequestConditions getRequestConditions() {
        return requestConditions;
    }

    public EncryptedBlobDownloadStreamOptions setRequestConditions(BlobRequestConditions requestConditions) {
        this.requestConditions = requestConditions;
        return this;
    }

    public ParallelTransferOptions getParallelTransferOptions() {
        return parallelTransferOptions;
    }

    /** Chunk size (plaintext bytes, rounded to whole regions) and chunks in flight. */
    public EncryptedBlobDownloadStreamOptions setParallelTransferOptions(
        ParallelTransferOptions parallelTransferOptions) {
        this.parallelTransferOptions = parallelTransferOptions;
        return this;
    }

    public ProgressListener getProgressListener() {
        return progressListener;
    }

    /** Receives the plaintext bytes written so far. */
    public EncryptedBlobDownloadStreamOptions setProgressListener(ProgressListener progressListener) {
        this.progressListener = progressListener;
        return this;
    }
}
