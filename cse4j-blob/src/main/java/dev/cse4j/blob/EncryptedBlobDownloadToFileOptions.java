package dev.cse4j.blob;

import com.azure.core.util.ProgressListener;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.ParallelTransferOptions;

import java.util.Objects;

/**
 * Options of {@link EncryptedBlobClient#downloadToFileWithResponse}. The plaintext is written to a temporary file
 * beside the target and moved into place only when the whole download is verified, so a failed download never
 * leaves partial plaintext behind.
 */
public final class EncryptedBlobDownloadToFileOptions {
    private final String filePath;
    private BlobRange range;
    private BlobRequestConditions requestConditions;
    private boolean overwrite;
    private ParallelTransferOptions parallelTransferOptions;
    private ProgressListener progressListener;

    public EncryptedBlobDownloadToFileOptions(String filePath) {
        this.filePath = Objects.requireNonNull(filePath, "filePath");
    }

    public String getFilePath() {
        return filePath;
    }

    public BlobRange getRange() {
        return range;
    }

    /** A plaintext range (offset, count); {@code null} for the whole blob. */
    public EncryptedBlobDownloadToFileOptions setRange(BlobRange range) {
        this.range = range;
        return this;
    }

    public BlobRequestConditions getRequestConditions() {
        return requestConditions;
    }

    public EncryptedBlobDownloadToFileOptions setRequestConditions(BlobRequestConditions requestConditions) {
        this.requestConditions = requestConditions;
        return this;
    }

    public boolean isOverwrite() {
        return overwrite;
    }

    /** Whether to replace an existing file (default false: an existing file is an error). */
    public EncryptedBlobDownloadToFileOptions setOverwrite(boolean overwrite) {
        this.overwrite = overwrite;
        return this;
    }

    public ParallelTransferOptions getParallelTransferOptions() {
        return parallelTransferOptions;
    }

    /** Chunk size (plaintext bytes, rounded to whole regions) and chunks in flight. */
    public EncryptedBlobDownloadToFileOptions setParallelTransferOptions(
        ParallelTransferOptions parallelTransferOptions) {
        this.parallelTransferOptions = parallelTransferOptions;
        return this;
    }

    public ProgressListener getProgressListener() {
        return progressListener;
    }

    /** Receives the plaintext bytes written so far. */
    public EncryptedBlobDownloadToFileOptions setProgressListener(ProgressListener progressListener) {
        this.progressListener = progressListener;
        return this;
    }
}
