package dev.cse4j.blob.implementation;

import com.azure.core.http.rest.Response;
import com.azure.core.util.ProgressReporter;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.specialized.BlockBlobAsyncClient;

import java.io.IOException;
import java.util.concurrent.Future;

/**
 * An upload fed by writes: the {@link ParallelRegionUploader} reads what the caller writes through a {@link Pipe} (as
 * it reads any stream of unknown length, on {@code boundedElastic}), so blocks are encrypted and staged while
 * the caller writes, and the commit (Put Block List, or Put Blob for data that fits the pool) with the metadata and
 * integrity record happens only on {@link #finish()}. {@link #abort()} ends the data with a failure instead: the
 * uploader stops before its commit, so the blob stays as it was (staged blocks are never committed; the service
 * discards them). Memory: the uploader's pool ({@code maxConcurrency} blocks) and the pipe.
 */
public final class StreamingUpload {
    /** Bytes the caller may write ahead of the uploader. */
    static final int PIPE_CAPACITY = 1024 * 1024;

    private final Pipe pipe = new Pipe(PIPE_CAPACITY);
    private final UploadEnvelope envelope;
    private final Future<Response<BlockBlobItem>> upload;

    private StreamingUpload(BlockBlobAsyncClient blockBlob, UploadEnvelope envelope, TransferTuning tuning,
        ProgressReporter progress, BlobWrite write) {
        this.envelope = envelope;
        ParallelRegionUploader uploader = new ParallelRegionUploader(blockBlob, envelope.regionEncryptor(), tuning,
            progress, null);
        BlobWrite completed = envelope.complete(write);
        this.upload = uploader.upload(PlaintextSource.of(pipe.source()), -1, completed)
            .doOnError(pipe::readerFailed).toFuture();
    }

    /** Starts the uploader; the envelope is closed when the upload ends. */
    public static StreamingUpload start(BlockBlobAsyncClient blockBlob, UploadEnvelope envelope, TransferTuning tuning,
        ProgressReporter progress, BlobWrite write) {
        try {
            return new StreamingUpload(blockBlob, envelope, tuning, progress, write);
        } catch (RuntimeException e) {
            envelope.close();
            throw e;
        }
    }

    /**
     * Hands bytes to the uploader, waiting while it is {@link #PIPE_CAPACITY} bytes behind.
     *
     * @throws IOException if the upload failed (its failure is the cause)
     */
    public void write(byte[] b, int off, int len) throws IOException {
        pipe.write(b, off, len);
    }

    /** Ends the data and waits for the commit. */
    public Response<BlockBlobItem> finish() {
        pipe.finish();
        try {
            return Transfers.await(upload);
        } finally {
            release();
        }
    }

    /** Fails the data: waits until the uploader has stopped, having committed nothing. */
    public void abort(String why) {
        pipe.abort(why);
        try {
            Transfers.await(upload);
        } catch (RuntimeException | Error expected) {
            // the uploader failed on the aborted pipe, before any commit
        } finally {
            release();
        }
    }

    private void release() {
        pipe.wipe();
        envelope.close();
    }
}
