package dev.cse4j.blob;

import com.azure.core.util.BinaryData;
import com.azure.core.util.ProgressListener;
import com.azure.storage.blob.models.AccessTier;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.ParallelTransferOptions;
import dev.cse4j.blob.implementation.PlaintextSource;
import reactor.core.publisher.Flux;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;

/**
 * Options of {@link EncryptedBlobClient#uploadWithResponse} and {@link EncryptedBlobAsyncClient#uploadWithResponse}:
 * the data (a {@link BinaryData}, a stream of known or unknown length, or a {@link Flux} of buffers of unknown
 * length) and what to store with it.
 *
 * <p>Metadata, tags, headers and tier are written in the same request that creates the blob (Put Blob or Put Block
 * List), together with the {@code encryptiondata} entry; metadata may not contain a key {@code encryptiondata} (in
 * any case). Metadata, tags and headers are <b>not encrypted</b>. Conditions work as in the Azure SDK: set
 * {@code If-None-Match: *} to refuse overwriting an existing blob.
 */
public final class EncryptedBlobUploadOptions {
    private final BinaryData data;
    private final InputStream dataStream;
    private final Flux<ByteBuffer> dataFlux;
    private final Long length;
    private BlobHttpHeaders headers;
    private Map<String, String> metadata;
    private Map<String, String> tags;
    private AccessTier tier;
    private BlobRequestConditions requestConditions;
    private ParallelTransferOptions parallelTransferOptions;
    private ProgressListener progressListener;

    /** Uploads {@code data}; its length is used when known. */
    public EncryptedBlobUploadOptions(BinaryData data) {
        this.data = Objects.requireNonNull(data, "data");
        this.dataStream = null;
        this.dataFlux = null;
        this.length = data.getLength();
    }

    /** Uploads a stream of unknown length, read to its end (memory stays bounded by the block size). */
    public EncryptedBlobUploadOptions(InputStream data) {
        this.data = null;
        this.dataStream = Objects.requireNonNull(data, "data");
        this.dataFlux = null;
        this.length = null;
    }

    /**
     * Uploads the buffers {@code data} publishes, of unknown length, to its end: they are requested one at a time
     * as blocks need them, so memory stays bounded by the blocks in flight (the buffers are read, never modified).
     */
    public EncryptedBlobUploadOptions(Flux<ByteBuffer> data) {
        this.data = null;
        this.dataStream = null;
        this.dataFlux = Objects.requireNonNull(data, "data");
        this.length = null;
    }

    /** Uploads exactly {@code length} bytes of a stream; fewer is an error. */
    public EncryptedBlobUploadOptions(InputStream data, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative: " + length);
        }
        this.data = null;
        this.dataStream = Objects.requireNonNull(data, "data");
        this.dataFlux = null;
        this.length = length;
    }

    public BinaryData getData() {
        return data;
    }

    public InputStream getDataStream() {
        return dataStream;
    }

    public Flux<ByteBuffer> getDataFlux() {
        return dataFlux;
    }

    /** The data as the upload reads it: a stream is read where it may block, a {@link Flux} as it publishes. */
    PlaintextSource source() {
        return dataFlux != null ? PlaintextSource.of(dataFlux)
            : PlaintextSource.of(data != null ? data.toStream() : dataStream);
    }

    /** The plaintext length, or {@code null} if unknown. */
    public Long getLength() {
        return length;
    }

    public BlobHttpHeaders getHeaders() {
        return headers;
    }

    /** Content type and the like, stored unencrypted. A content MD5 set here describes nothing the service checks. */
    public EncryptedBlobUploadOptions setHeaders(BlobHttpHeaders headers) {
        this.headers = headers;
        return this;
    }

    public Map<String, String> getMetadata() {
        return metadata;
    }

    /** User metadata, stored unencrypted beside {@code encryptiondata}. */
    public EncryptedBlobUploadOptions setMetadata(Map<String, String> metadata) {
        this.metadata = metadata;
        return this;
    }

    public Map<String, String> getTags() {
        return tags;
    }

    /** Blob index tags, stored unencrypted. */
    public EncryptedBlobUploadOptions setTags(Map<String, String> tags) {
        this.tags = tags;
        return this;
    }

    public AccessTier getTier() {
        return tier;
    }

    public EncryptedBlobUploadOptions setTier(AccessTier tier) {
        this.tier = tier;
        return this;
    }

    public BlobRequestConditions getRequestConditions() {
        return requestConditions;
    }

    /** Conditions of the request that creates the blob; the lease id is sent with every staged block too. */
    public EncryptedBlobUploadOptions setRequestConditions(BlobRequestConditions requestConditions) {
        this.requestConditions = requestConditions;
        return this;
    }

    public ParallelTransferOptions getParallelTransferOptions() {
        return parallelTransferOptions;
    }

    /**
     * Block size (plaintext bytes, rounded down to whole regions), blocks in flight, and the size up to which the
     * upload is a single request; unset values come from the client's defaults.
     */
    public EncryptedBlobUploadOptions setParallelTransferOptions(ParallelTransferOptions parallelTransferOptions) {
        this.parallelTransferOptions = parallelTransferOptions;
        return this;
    }

    public ProgressListener getProgressListener() {
        return progressListener;
    }

    /** Receives the plaintext bytes uploaded so far (takes precedence over the transfer options' listener). */
    public EncryptedBlobUploadOptions setProgressListener(ProgressListener progressListener) {
        this.progressListener = progressListener;
        return this;
    }
}
