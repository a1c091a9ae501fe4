package dev.cse4j.blob.implementation;

import dev.cse4j.core.IntegrityException;

/**
 * An unencrypted blob, read only when the client does not require encryption: plain byte ranges, passed through.
 */
final class PlainDownloadPlan implements DownloadPlan {
    private final long start;
    private final long end;
    private final long chunkSize;
    private final int chunkCount;

    PlainDownloadPlan(long size, long offset, long count, long chunkSize) {
        this.start = Math.min(offset, size);
        this.end = Math.min(size, count > Long.MAX_VALUE - offset ? Long.MAX_VALUE : offset + count);
        this.chunkSize = Math.max(1, chunkSize);
        this.chunkCount = end <= start ? 0 : Math.toIntExact((end - start + this.chunkSize - 1) / this.chunkSize);
    }

    @Override
    public int chunkCount() {
        return chunkCount;
    }

    @Override
    public long fetchOffset(int i) {
        return start + i * chunkSize;
    }

    @Override
    public long fetchCount(int i) {
        return Math.min(end, fetchOffset(i) + chunkSize) - fetchOffset(i);
    }

    @Override
    public long outputOffset(int i) {
        return i * chunkSize;
    }

    @Override
    public Plain decrypt(int i, byte[] buffer, int fetched) {
        if (fetched != fetchCount(i)) {
            throw new IntegrityException("Read " + fetched + " bytes where " + fetchCount(i) + " were "
                + "expected: the blob is shorter than its length says.");
        }
        return new Plain(buffer, 0, fetched);
    }

    @Override
    public long outputLengthHint() {
        return Math.max(0, end - start);
    }
}
