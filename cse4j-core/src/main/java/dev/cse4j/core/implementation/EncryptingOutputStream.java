package dev.cse4j.core.implementation;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Takes plaintext and writes its protocol 2.x encrypted form to a sink, a region at a time. {@link #close()} encrypts
 * the last, partial region and closes the sink; nothing written means an empty body. Memory is one region.
 */
public final class EncryptingOutputStream extends OutputStream {
    private final OutputStream sink;
    private final RegionEncryptor encryptor;
    private final int regionDataLength;
    private final byte[] buffer;
    private int filled;
    private long nextRegion;
    private boolean closed;

    public EncryptingOutputStream(OutputStream sink, RegionEncryptor encryptor) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.encryptor = Objects.requireNonNull(encryptor, "encryptor");
        this.regionDataLength = encryptor.layout().regionDataLength();
        this.buffer = new byte[(int) encryptor.layout().encryptedRegionLength()];
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        while (len > 0) {
            int n = Math.min(len, regionDataLength - filled);
            System.arraycopy(b, off, buffer, RegionLayout.NONCE_LENGTH + filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == regionDataLength) {
                emitRegion();
            }
        }
    }

    private void emitRegion() throws IOException {
        int n = encryptor.encryptRegion(nextRegion++, buffer, RegionLayout.NONCE_LENGTH, filled, buffer, 0);
        filled = 0;
        sink.write(buffer, 0, n);
    }

    /** Flushes the sink; a partial region stays buffered until more data or {@link #close()}. */
    @Override
    public void flush() throws IOException {
        ensureOpen();
        sink.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            if (filled > 0) {
                emitRegion();
            }
        } finally {
            closed = true;
            java.util.Arrays.fill(buffer, (byte) 0);
            sink.close();
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("Stream closed");
        }
    }
}
