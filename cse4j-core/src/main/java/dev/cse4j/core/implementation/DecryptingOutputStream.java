package dev.cse4j.core.implementation;

import dev.cse4j.core.IntegrityException;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Takes protocol 2.x encrypted data and writes its plaintext to a sink, each region verified (order and tag) before
 * any of it is written. {@link #close()} decrypts the last, partial region and closes the sink; data that ends inside
 * a region fails there with an {@link IntegrityException}. Memory is one region.
 *
 * <p>For a ranged read the written data starts at region {@code firstRegion}; {@code skip} plaintext bytes are
 * dropped and at most {@code length} bytes are written.
 */
public final class DecryptingOutputStream extends OutputStream {
    private final OutputStream sink;
    private final RegionDecryptor decryptor;
    private final byte[] encrypted;
    private final byte[] plain;
    private int filled;
    private long nextRegion;
    private long skip;
    private long remaining;
    private boolean closed;

    /** The whole object, from region 0. */
    public DecryptingOutputStream(OutputStream sink, RegionDecryptor decryptor) {
        this(sink, decryptor, 0, 0, Long.MAX_VALUE);
    }

    public DecryptingOutputStream(OutputStream sink, RegionDecryptor decryptor, long firstRegion, long skip,
        long length) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.decryptor = Objects.requireNonNull(decryptor, "decryptor");
        if (firstRegion < 0 || skip < 0 || length < 0) {
            throw new IllegalArgumentException("firstRegion, skip and length must not be negative");
        }
        this.nextRegion = firstRegion;
        this.skip = skip;
        this.remaining = length;
        this.encrypted = new byte[(int) decryptor.layout().encryptedRegionLength()];
        this.plain = new byte[decryptor.layout().regionDataLength()];
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
            int n = Math.min(len, encrypted.length - filled);
            System.arraycopy(b, off, encrypted, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == encrypted.length) {
                emitRegion();
            }
        }
    }

    private void emitRegion() throws IOException {
        int n = decryptor.decryptRegion(nextRegion++, encrypted, 0, filled, plain, 0);
        filled = 0;
        int dropped = (int) Math.min(skip, n);
        skip -= dropped;
        int out = (int) Math.min(n - dropped, remaining);
        if (out > 0) {
            sink.write(plain, dropped, out);
            remaining -= out;
        }
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
        sink.flush();
    }

    /**
     * Decrypts the last region and closes the sink.
     *
     * @throws IntegrityException if the data ended inside a region
     */
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
            java.util.Arrays.fill(plain, (byte) 0);
            sink.close();
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("Stream closed");
        }
    }
}
