package dev.cse4j.blob.implementation;

import dev.cse4j.core.IntegrityException;
import dev.cse4j.core.implementation.CbcV1;

import java.util.Arrays;

/**
 * Legacy protocol 1.0 (AES-256-CBC, <b>unauthenticated</b>): chunks of whole 16-byte blocks, each fetched with the
 * block before it as its IV ({@link CbcV1.Range}), so chunks decrypt independently. PKCS#7 padding is removed only by
 * the chunk that reaches the end of the blob, and never for page blobs.
 */
final class CbcDownloadPlan implements DownloadPlan {
    private final CbcV1 cbc;
    private final long encryptedSize;
    private final boolean padded;
    private final long start;
    private final long end;
    private final long base;
    private final long chunkSize;
    private final int chunkCount;

    /**
     * @param offset first plaintext byte wanted
     * @param count plaintext bytes wanted ({@code Long.MAX_VALUE}: to the end)
     * @param chunkSize plaintext bytes per chunk, a multiple of 16
     */
    CbcDownloadPlan(CbcV1 cbc, long encryptedSize, boolean padded, long offset, long count, long chunkSize) {
        if (encryptedSize % CbcV1.BLOCK != 0 || (padded && encryptedSize == 0)) {
            throw new IntegrityException("Legacy 1.0 blob of " + encryptedSize + " bytes is not a whole, non-empty "
                + "number of 16-byte blocks: it was truncated or modified.");
        }
        this.cbc = cbc;
        this.encryptedSize = encryptedSize;
        this.padded = padded;
        this.start = offset;
        this.end = Math.min(encryptedSize, count > Long.MAX_VALUE - offset ? Long.MAX_VALUE : offset + count);
        this.base = offset - offset % CbcV1.BLOCK;
        this.chunkSize = Math.max(CbcV1.BLOCK, chunkSize - chunkSize % CbcV1.BLOCK);
        this.chunkCount = end <= start ? 0 : Math.toIntExact((end - base + this.chunkSize - 1) / this.chunkSize);
    }

    private long chunkStart(int i) {
        return Math.max(start, base + i * chunkSize);
    }

    private long chunkEnd(int i) {
        return Math.min(end, base + (i + 1) * chunkSize);
    }

    private CbcV1.Range range(int i) {
        return CbcV1.Range.plan(chunkStart(i), chunkEnd(i) - chunkStart(i), encryptedSize, padded);
    }

    @Override
    public int chunkCount() {
        return chunkCount;
    }

    @Override
    public long fetchOffset(int i) {
        return range(i).fetchOffset();
    }

    @Override
    public long fetchCount(int i) {
        return range(i).fetchCount();
    }

    @Override
    public long outputOffset(int i) {
        return chunkStart(i) - start;
    }

    @Override
    public Plain decrypt(int i, byte[] buffer, int fetched) {
        CbcV1.Range range = range(i);
        if (fetched != range.fetchCount()) {
            throw new IntegrityException("Read " + fetched + " stored bytes where " + range.fetchCount()
                + " were expected: the blob is shorter than its length says. It was truncated or modified.");
        }
        byte[] iv = range.ivFromData() ? Arrays.copyOfRange(buffer, 0, CbcV1.BLOCK) : cbc.iv();
        int ivLength = range.ivFromData() ? CbcV1.BLOCK : 0;
        byte[] plain = cbc.decrypt(buffer, ivLength, fetched - ivLength, iv, range.removePadding());
        long available = Math.max(0, plain.length - range.skip());
        int length = (int) Math.min(range.take(), available);
        return new Plain(plain, (int) Math.min(range.skip(), plain.length), length);
    }

    @Override
    public long outputLengthHint() {
        return Math.max(0, end - start);
    }
}
