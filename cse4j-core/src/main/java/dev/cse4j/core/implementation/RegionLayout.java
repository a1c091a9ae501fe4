package dev.cse4j.core.implementation;

import dev.cse4j.core.EncryptedRegionInfo;
import dev.cse4j.core.IntegrityException;

/**
 * Length arithmetic of protocol 2.x data, and nothing else (docs/formats.md §6.1-§6.4, §6.7).
 *
 * <p>The plaintext is cut into regions of {@code R} bytes (the last may be shorter); each region is stored as
 * {@code nonce(12) ‖ ciphertext(len) ‖ tag(16)} and the regions are concatenated with no header or trailer. So
 * {@code C = n + ⌈n/R⌉·28}: empty plaintext is an empty body. Microsoft's Java SDK writes an empty plaintext as a
 * single empty region (28 bytes) instead; both forms are read.
 */
public final class RegionLayout {
    public static final int NONCE_LENGTH = EncryptedRegionInfo.NONCE_LENGTH;
    public static final int TAG_LENGTH = 16;
    /** Bytes a region adds to its plaintext: nonce and tag. */
    public static final int OVERHEAD = NONCE_LENGTH + TAG_LENGTH;

    private final int regionDataLength;
    private final long encryptedRegionLength;

    public RegionLayout(int regionDataLength) {
        if (regionDataLength < EncryptedRegionInfo.MIN_DATA_LENGTH
            || regionDataLength > EncryptedRegionInfo.MAX_DATA_LENGTH) {
            throw new IllegalArgumentException("Region length must be 16 bytes to 1 GiB, not " + regionDataLength);
        }
        this.regionDataLength = regionDataLength;
        this.encryptedRegionLength = (long) regionDataLength + OVERHEAD;
    }

    public static RegionLayout of(EncryptedRegionInfo info) {
        return new RegionLayout(info.dataLength());
    }

    /** {@code R}: plaintext bytes in every region but the last. */
    public int regionDataLength() {
        return regionDataLength;
    }

    /** {@code R + 28}: stored bytes of a full region. */
    public long encryptedRegionLength() {
        return encryptedRegionLength;
    }

    /** Number of regions holding {@code plaintextLength} bytes: {@code ⌈n/R⌉}. */
    public long regionCount(long plaintextLength) {
        requireNonNegative(plaintextLength, "plaintextLength");
        return (plaintextLength + regionDataLength - 1) / regionDataLength;
    }

    /** Stored length of {@code plaintextLength} bytes: {@code n + ⌈n/R⌉·28}. */
    public long encryptedLength(long plaintextLength) {
        long regions = regionCount(plaintextLength);
        return Math.addExact(plaintextLength, Math.multiplyExact(regions, OVERHEAD));
    }

    /**
     * Plaintext length of {@code encryptedLength} stored bytes.
     *
     * @throws IntegrityException if no plaintext length encrypts to that length (a region cut short)
     */
    public long plaintextLength(long encryptedLength) {
        requireNonNegative(encryptedLength, "encryptedLength");
        long fullRegions = encryptedLength / encryptedRegionLength;
        long rest = encryptedLength % encryptedRegionLength;
        if (rest == 0) {
            return fullRegions * regionDataLength;
        }
        if (rest > OVERHEAD || (rest == OVERHEAD && fullRegions == 0)) {
            return fullRegions * regionDataLength + rest - OVERHEAD;
        }
        throw new IntegrityException("Encrypted length " + encryptedLength + " is impossible with " + regionDataLength
            + "-byte regions: the last region is cut short (" + rest + " bytes, at least " + (OVERHEAD + 1)
            + " needed). The stored data was truncated or corrupted.");
    }

    /** Offset of region {@code index} in the stored data. */
    public long encryptedOffset(long regionIndex) {
        return Math.multiplyExact(regionIndex, encryptedRegionLength);
    }

    /**
     * The regions to fetch for plaintext bytes {@code [offset, offset + count)} of an object of
     * {@code plaintextLength} bytes; the range is clipped at the end of the object.
     */
    public RegionRange rangeFor(long offset, long count, long plaintextLength) {
        requireNonNegative(offset, "offset");
        requireNonNegative(count, "count");
        requireNonNegative(plaintextLength, "plaintextLength");
        long end = Math.min(plaintextLength, offset + Math.min(count, Long.MAX_VALUE - offset));
        if (offset >= end) {
            return new RegionRange(0, 0, 0, 0);
        }
        long first = offset / regionDataLength;
        long last = (end - 1) / regionDataLength;
        return new RegionRange(first, last - first + 1, offset - first * regionDataLength, end - offset);
    }

    private static void requireNonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }

    @Override
    public String toString() {
        return "RegionLayout[R=" + regionDataLength + "]";
    }

    /**
     * A run of whole regions covering a plaintext range (docs/formats.md §6.7): the stored bytes to request are
     * {@link RegionLayout#encryptedOffset(long) encryptedOffset}{@code (firstRegion)} up to the end of region
     * {@code firstRegion + regionCount - 1}; the service clips a request past the end of the blob.
     *
     * @param firstRegion index of the first region
     * @param regionCount regions in the run (0 for an empty range)
     * @param skip plaintext bytes to drop from the start of the first region
     * @param length plaintext bytes of the range
     */
    public record RegionRange(long firstRegion, long regionCount, long skip, long length) {
    }
}
