package dev.cse4j.core.implementation;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reads plaintext from a source stream and yields the protocol 2.x encrypted form, region after region. Memory is
 * one batch of regions (one region, or as many small regions as fit in 64 KiB) whatever the length of the source;
 * the source's length need not be known. An empty source yields nothing (an empty body).
 */
public final class EncryptingInputStream extends InputStream {
    private static final int BATCH_BYTES = 64 * 1024;

    private final InputStream source;
    private final RegionEncryptor encryptor;
    private final int regionDataLength;
    private final int encryptedRegionLength;
    private final byte[] buffer;
    private long nextRegion;
    private long plaintextBytes;
    private int position;
    private int limit;
    private boolean sourceDone;
    private boolean closed;

    public EncryptingInputStream(InputStream source, RegionEncryptor encryptor) {
        this.source = Objects.requireNonNull(source, "source");
        this.encryptor = Objects.requireNonNull(encryptor, "encryptor");
        this.regionDataLength = encryptor.layout().regionDataLength();
        this.encryptedRegionLength = (int) encryptor.layout().encryptedRegionLength();
        int regionsPerBatch = Math.max(1, BATCH_BYTES / encryptedRegionLength);
        this.buffer = new byte[Math.multiplyExact(regionsPerBatch, encryptedRegionLength)];
    }

    /** Plaintext bytes consumed from the source so far. */
    public long plaintextBytes() {
        return plaintextBytes;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        if (len == 0) {
            return 0;
        }
        if (position == limit && !fill()) {
            return -1;
        }
        int n = Math.min(len, limit - position);
        System.arraycopy(buffer, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() throws IOException {
        ensureOpen();
        return limit - position;
    }

    /** Encrypts the next batch of regions into the buffer; false at the end. */
    private boolean fill() throws IOException {
        position = 0;
        limit = 0;
        while (!sourceDone && limit + encryptedRegionLength <= buffer.length) {
            int plainOffset = limit + RegionLayout.NONCE_LENGTH;
            int n = StreamReads.readFully(source, buffer, plainOffset, regionDataLength);
            if (n < regionDataLength) {
                sourceDone = true;
                if (n == 0) {
                    break;
                }
            }
            limit += encryptor.encryptRegion(nextRegion++, buffer, plainOffset, n, buffer, limit);
            plaintextBytes += n;
        }
        return limit > 0;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("Stream closed");
        }
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            source.close();
        }
    }
}
