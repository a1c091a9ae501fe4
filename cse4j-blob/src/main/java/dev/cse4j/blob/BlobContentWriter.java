package dev.cse4j.blob;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a blob's content to the stream it is given ({@link EncryptedBlobClient#upload(BlobContentWriter,
 * boolean)}): the blob is committed only if {@link #writeTo} returns normally.
 */
@FunctionalInterface
public interface BlobContentWriter {
    /** Writes the content; do not close {@code out}. Throwing discards everything written. */
    void writeTo(OutputStream out) throws IOException;
}
