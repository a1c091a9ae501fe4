package dev.cse4j.blob;

import com.azure.core.util.ProgressListener;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.ParallelTransferOptions;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of {@link EncryptedBlobClient#downloadStreamWithResponse(java.io.OutputStream,
 * EncryptedBlobDownloadStreamOptions, java.time.Duration, com.azure.core.util.Context)}.
 */
public final class EncryptedBlobDownloadStreamOptions {
    private BlobRange range;
    private BlobRequestConditions requestConditions;
    private ParallelTransferOptions parallelTransferOptions;
    private ProgressListener progressListener;
    private Duration noProgressTimeout = EncryptedBlobDownloadToFileOptions.DEFAULT_NO_PROGRESS_TIMEOUT;

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

    public Duration getNoProgressTimeout() {
        return noProgressTimeout;
    }

    /**
     * The longest the download may go without receiving a byte from the service (default
     * {@link EncryptedBlobDownloadToFileOptions#DEFAULT_NO_PROGRESS_TIMEOUT}, 60 s): a request that gets no response,
     * or no byte of its body, for that long (its retries included) is cancelled and the download fails with an
     * {@link java.io.UncheckedIOException} wrapping a {@link java.net.SocketTimeoutException}, whose message says so.
     * A slow service that keeps sending is not stopped. Independent of the HTTP client's own timeouts.
     *
     * @throws IllegalArgumentException if not positive
     */
    public EncryptedBlobDownloadStreamOptions setNoProgressTimeout(Duration noProgressTimeout) {
        Objects.requireNonNull(noProgressTimeout, "noProgressTimeout");
        if (noProgressTimeout.isZero() || noProgressTimeout.isNegative()) {
            throw new IllegalArgumentException("noProgressTimeout must be positive, not " + noProgressTimeout + ".");
        }
        this.noProgressTimeout = noProgressTimeout;
        return this;
    }
}
