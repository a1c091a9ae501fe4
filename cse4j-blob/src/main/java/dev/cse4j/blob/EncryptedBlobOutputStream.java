package dev.cse4j.blob;

import com.azure.storage.blob.models.BlockBlobItem;
import dev.cse4j.blob.implementation.StreamingUpload;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Writes a block blob encrypted, as the caller writes ({@link EncryptedBlobClient#getBlobOutputStream}): the
 * plaintext is cut into blocks of whole regions, encrypted and staged on transfer threads while the caller goes
 * on writing, and nothing is visible in the blob until {@link #close()} commits the blocks together with the
 * metadata, {@code encryptiondata} and the integrity record (one request, so the blob never exists without them).
 * Memory: about {@code maxConcurrency × block size} plus a 1 MiB hand-off buffer, whatever the amount written.
 *
 * <p>All or nothing:
 * <ul>
 *   <li>{@link #close()} commits. If a write failed before (the upload failed: the service refused a block, the
 *       key could not be used…), close commits nothing and throws.</li>
 *   <li>{@link #abort()} discards everything written: nothing is committed, the blob keeps its previous content
 *       (or stays absent). Call it when your own code fails while writing — or use
 *       {@link EncryptedBlobClient#upload(BlobContentWriter, boolean)}, which does so for you. Note that closing
 *       the stream, as try-with-resources does also when an exception is thrown, <em>commits</em> what was written
 *       so far, as every {@code OutputStream} of the Azure SDK does.</li>
 * </ul>
 * Blocks staged before an abort or failure are never committed; the service discards uncommitted blocks. Not
 * thread-safe (one writer), like other output streams.
 */
public final class EncryptedBlobOutputStream extends OutputStream {
    private enum State { OPEN, FAILED, ABORTED, COMMITTED }

    private final StreamingUpload upload;
    private State state = State.OPEN;
    private IOException failure;
    private BlockBlobItem item;

    EncryptedBlobOutputStream(StreamingUpload upload) {
        this.upload = Objects.requireNonNull(upload, "upload");
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        try {
            upload.write(b, off, len);
        } catch (IOException e) {
            fail(e);
            throw e;
        }
    }

    /**
     * Does nothing: data is uploaded as whole blocks fill, and committed only by {@link #close()} (a flush cannot
     * make part of an encrypted blob visible).
     */
    @Override
    public void flush() throws IOException {
        ensureOpen();
    }

    /**
     * Commits: waits for the last blocks, then writes the block list (or the whole blob) with the metadata and
     * integrity record. Idempotent once committed.
     *
     * @throws IOException if the upload failed now or earlier (then nothing was committed), or the stream was
     *     aborted
     */
    @Override
    public void close() throws IOException {
        switch (state) {
            case COMMITTED:
                return;
            case ABORTED:
                throw new IOException("The stream was aborted; nothing was committed.");
            case FAILED:
                throw new IOException("The upload failed; nothing was committed: " + failure.getMessage(), failure);
            default:
                break;
        }
        try {
            item = upload.finish().getValue();
            state = State.COMMITTED;
        } catch (RuntimeException | Error e) {
            state = State.FAILED;
            failure = new IOException("The upload failed; nothing was committed: " + e.getMessage(), e);
            throw failure;
        }
    }

    /**
     * Discards everything written and commits nothing: the blob keeps its previous content. Waits until the
     * transfer threads have stopped. Does nothing once committed or aborted.
     */
    public void abort() {
        if (state == State.OPEN) {
            state = State.ABORTED;
            upload.abort("The writer aborted the upload; nothing is committed.");
        }
    }

    /** The committed blob's ETag and time, once {@link #close()} succeeded; {@code null} before. */
    public BlockBlobItem getBlockBlobItem() {
        return item;
    }

    private void fail(IOException e) {
        if (state == State.OPEN) {
            state = State.FAILED;
            failure = e;
            upload.abort("The upload failed; nothing is committed.");
        }
    }

    private void ensureOpen() throws IOException {
        if (state != State.OPEN) {
            throw new IOException(state == State.FAILED ? "The upload failed; nothing was committed: "
                + failure.getMessage() : "The stream is " + (state == State.ABORTED ? "aborted" : "closed"), failure);
        }
    }
}
