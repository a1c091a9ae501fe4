package dev.cse4j.core.implementation;

import dev.cse4j.core.IntegrityException;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reads protocol 2.x encrypted data from a source stream and yields its plaintext. Each region is verified (order
 * and tag) before any of its bytes are returned. Memory is one batch of regions whatever the length of the data.
 *
 * <p>For a ranged read the source starts at region {@code firstRegion}; {@code skip} plaintext bytes of it are
 * dropped and at most {@code length} bytes are returned.
 *
 * <p>A source that ends inside a region fails with an {@link IntegrityException}. A source that ends after a whole
 * region cannot be told from a complete one: protocol 2.x does not record the number of regions.
 */
public final class DecryptingInputStream extends InputStream {
    private static final int BATCH_BYTES = 64 * 1024;

    private final InputStream source;
    private final RegionDecryptor decryptor;
    private final int encryptedRegionLength;
    private final byte[] encrypted;
    private final byte[] plain;
    private long nextRegion;
    private long skip;
    private long remaining;
    private int position;
    private int limit;
    private boolean sourceDone;
    private boolean closed;

    /** The whole object, from region 0. */
    public DecryptingInputStream(InputStream source, RegionDecryptor decryptor) {
        this(source, decryptor, 0, 0, Long.MAX_VALUE);
    }

    /**
     * @param source stored bytes starting at region {@code firstRegion}
     * @param skip plaintext bytes to drop from the first region
     * @param length plaintext bytes to return at most ({@code Long.MAX_VALUE}: to the end)
     */
    public DecryptingInputStream(InputStream source, RegionDecryptor decryptor, long firstRegion, long skip,
        long length) {
        this.source = Objects.requireNonNull(source, "source");
        this.decryptor = Objects.requireNonNull(decryptor, "decryptor");
        if (firstRegion < 0 || skip < 0 || length < 0) {
            throw new IllegalArgumentException("firstRegion, skip and length must not be negative");
        }
        this.nextRegion = firstRegion;
        this.skip = skip;
        this.remaining = length;
        this.encryptedRegionLength = (int) decryptor.layout().encryptedRegionLength();
        int regionsPerBatch = Math.max(1, BATCH_BYTES / encryptedRegionLength);
        this.encrypted = new byte[Math.multiplyExact(regionsPerBatch, encryptedRegionLength)];
        this.plain = new byte[regionsPerBatch * decryptor.layout().regionDataLength()];
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
        if (remaining == 0) {
            return -1;
        }
        while (position == limit) {
            if (!fill()) {
                return -1;
            }
        }
        int n = (int) Math.min(Math.min(len, limit - position), remaining);
        System.arraycopy(plain, position, b, off, n);
        position += n;
        remaining -= n;
        return n;
    }

    @Override
    public int available() throws IOException {
        ensureOpen();
        return (int) Math.min(limit - position, remaining);
    }

    /** Decrypts the next batch of regions; false at the end of the source. */
    private boolean fill() throws IOException {
        if (sourceDone) {
            return false;
        }
        int n = StreamReads.readFully(source, encrypted, 0, encrypted.length);
        if (n < encrypted.length) {
            sourceDone = true;
        }
        int plainLength = 0;
        for (int pos = 0; pos < n; pos += encryptedRegionLength) {
            int regionLength = Math.min(encryptedRegionLength, n - pos);
            plainLength += decryptor.decryptRegion(nextRegion++, encrypted, pos, regionLength, plain, plainLength);
        }
        int dropped = (int) Math.min(skip, plainLength);
        skip -= dropped;
        position = dropped;
        limit = plainLength;
        return n > 0;
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
            java.util.Arrays.fill(plain, (byte) 0);
            source.close();
        }
    }
}
