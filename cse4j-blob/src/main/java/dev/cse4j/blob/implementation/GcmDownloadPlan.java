package dev.cse4j.blob.implementation;

import dev.cse4j.core.IntegrityException;
import dev.cse4j.core.implementation.RegionDecryptor;
import dev.cse4j.core.implementation.RegionLayout;

/**
 * Protocol 2.x: chunks of whole regions. Regions {@code [firstRegion, endRegion)} are fetched,
 * {@code regionsPerChunk} per chunk; of their plaintext, {@code skip} bytes are dropped at the start and
 * {@code length} bytes are kept. One {@link RegionDecryptor} (one unwrapped key, one region order check) serves every
 * chunk, from any thread; each chunk is decrypted in place ({@link RegionSlots}).
 */
final class GcmDownloadPlan implements DownloadPlan {
    private final RegionDecryptor decryptor;
    private final RegionLayout layout;
    private final long encryptedSize;
    private final long firstRegion;
    private final long endRegion;
    private final long skip;
    private final long length;
    private final long regionsPerChunk;
    private final int chunkCount;

    GcmDownloadPlan(RegionDecryptor decryptor, long encryptedSize, long firstRegion, long regionCount, long skip,
        long length, long regionsPerChunk) {
        this.decryptor = decryptor;
        this.layout = decryptor.layout();
        this.encryptedSize = encryptedSize;
        this.firstRegion = firstRegion;
        this.endRegion = firstRegion + regionCount;
        this.skip = skip;
        this.length = length;
        this.regionsPerChunk = Math.max(1, regionsPerChunk);
        this.chunkCount = Math.toIntExact((regionCount + this.regionsPerChunk - 1) / this.regionsPerChunk);
    }

    /**
     * The whole blob: every stored region, including the single empty region that Microsoft's Java SDK writes for
     * an empty blob (so that region is authenticated too).
     */
    static GcmDownloadPlan whole(RegionDecryptor decryptor, long encryptedSize, long plaintextLength,
        long regionsPerChunk) {
        long regions = (encryptedSize + decryptor.layout().encryptedRegionLength() - 1)
            / decryptor.layout().encryptedRegionLength();
        return new GcmDownloadPlan(decryptor, encryptedSize, 0, regions, 0, plaintextLength, regionsPerChunk);
    }

    /** Plaintext bytes {@code [offset, offset + count)}, clipped at the end of the blob. */
    static GcmDownloadPlan range(RegionDecryptor decryptor, long encryptedSize, long plaintextLength, long offset,
        long count, long regionsPerChunk) {
        RegionLayout.RegionRange range = decryptor.layout().rangeFor(offset, count, plaintextLength);
        return new GcmDownloadPlan(decryptor, encryptedSize, range.firstRegion(), range.regionCount(), range.skip(),
            range.length(), regionsPerChunk);
    }

    @Override
    public int chunkCount() {
        return chunkCount;
    }

    private long chunkFirstRegion(int i) {
        return firstRegion + i * regionsPerChunk;
    }

    private long chunkEndRegion(int i) {
        return Math.min(endRegion, chunkFirstRegion(i) + regionsPerChunk);
    }

    @Override
    public long fetchOffset(int i) {
        return layout.encryptedOffset(chunkFirstRegion(i));
    }

    @Override
    public long fetchCount(int i) {
        return Math.min(encryptedSize, layout.encryptedOffset(chunkEndRegion(i))) - fetchOffset(i);
    }

    /** Plaintext offset of chunk {@code i}'s first region, relative to the first region of the plan. */
    private long chunkPlainStart(int i) {
        return (chunkFirstRegion(i) - firstRegion) * layout.regionDataLength();
    }

    @Override
    public long outputOffset(int i) {
        return Math.max(0, chunkPlainStart(i) - skip);
    }

    @Override
    public Plain decrypt(int i, byte[] buffer, int fetched) {
        long expected = fetchCount(i);
        if (fetched != expected) {
            java.util.Arrays.fill(buffer, 0, fetched, (byte) 0);
            throw new IntegrityException("Read " + fetched + " stored bytes where " + expected + " were expected: the "
                + "blob is shorter than its length says. It was truncated or modified.");
        }
        int written = RegionSlots.decrypt(decryptor, chunkFirstRegion(i), buffer, fetched);
        long start = chunkPlainStart(i);
        long from = Math.max(skip, start);
        long to = Math.min(skip + length, start + written);
        return new Plain(buffer, (int) Math.min(from - start, written), (int) Math.max(0, to - from));
    }

    @Override
    public long outputLengthHint() {
        return length;
    }
}
