package dev.cse4j.blob;

import com.azure.core.util.ProgressListener;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.ParallelTransferOptions;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of {@link EncryptedBlobClient#downloadToFileWithResponse}. The plaintext is written to a temporary file
 * beside the target and moved into place only when the whole download is verified, so a failed download never
 * leaves partial plaintext behind.
 */
public final class EncryptedBlobDownloadToFileOptions {
    /** The default {@link #getNoProgressTimeout()}: 60 s, as the HTTP client's default response and read timeouts. */
    public static final Duration DEFAULT_NO_PROGRESS_TIMEOUT = Duration.ofSeconds(60);

    private final String filePath;
    private BlobRange range;
    private BlobRequestConditions requestConditions;
    private boolean overwrite;
    private ParallelTransferOptions parallelTransferOptions;
    private ProgressListener progressListener;
    private Duration noProgressTimeout = DEFAULT_NO_PROGRESS_TIMEOUT;

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
    public EncryptedBlobDownloadToFileOptions setNoProgressTimeout(Duration noProgressTimeout) {
        Objects.requireNonNull(noProgressTimeout, "noProgressTimeout");
        if (noProgressTimeout.isZero() || noProgressTimeout.isNegative()) {
            throw new IllegalArgumentException("noProgressTimeout must be positive, not " + noProgressTimeout + ".");
        }
        this.noProgressTimeout = noProgressTimeout;
        return this;
    }
}
