package dev.cse4j.blob.implementation;

import com.azure.core.util.ProgressListener;
import com.azure.core.util.ProgressReporter;
import com.azure.storage.blob.models.ParallelTransferOptions;

/**
 * The sizes of one transfer, from the caller's {@link ParallelTransferOptions} and the region length, with the
 * Azure SDK's meanings and its defaults but one: block size 4 MiB, one Put Blob request up to 256 MiB, and
 * {@value #DEFAULT_MAX_CONCURRENCY} blocks in flight (the SDK's 8, see {@link #DEFAULT_MAX_CONCURRENCY}). The
 * transfer unit is always whole regions: an upload block (and a download chunk) holds {@link #regionsPerBlock}
 * regions, i.e. {@code regionsPerBlock × R} plaintext bytes, so every block can be encrypted (or decrypted) on its
 * own, on any thread.
 *
 * <p>Memory of a transfer is {@code maxConcurrency} buffers of one block's stored size ({@link BufferPool}; blocks
 * are encrypted and decrypted in place), never the blob size. With a huge region length (up to 1 GiB in protocol
 * 2.1) one block is one region, so memory is {@code maxConcurrency × (R + 28)}.
 *
 * @param blockPlaintextSize plaintext bytes per block or chunk, a multiple of the region length
 * @param maxConcurrency blocks or chunks in flight at once
 * @param maxSingleUploadSize plaintext bytes up to which an upload is one Put Blob request
 * @param progressListener receives plaintext bytes transferred, or {@code null}
 */
public record TransferTuning(long blockPlaintextSize, int maxConcurrency, long maxSingleUploadSize,
    ProgressListener progressListener) {

    /** Default plaintext bytes per block or chunk (rounded down to whole regions, at least one region): 4 MiB. */
    public static final long DEFAULT_BLOCK_SIZE = 4L * 1024 * 1024;
    /**
     * Default blocks or chunks in flight: 4, not the Azure SDK's 8. The plain SDK streams a body between the socket
     * and the file and holds no block, while a chunk here is held whole (its regions verify only once all of it has
     * arrived), so each one in flight costs its buffer. Measured end to end (cse4j-bench {@code e2e.sh}, 1 GiB, one
     * Azurite on loopback, 2 cores): 4 in flight instead of 8 took 15-20 MiB off the peak resident set both ways
     * with the same wall time (uploads wait on the service; downloads stayed faster than the plain SDK's). Set
     * {@code ParallelTransferOptions.setMaxConcurrency} higher for links with a long round trip.
     */
    public static final int DEFAULT_MAX_CONCURRENCY = 4;
    /** Default plaintext bytes up to which an upload of known length is one Put Blob request: 256 MiB. */
    public static final long DEFAULT_MAX_SINGLE_UPLOAD_SIZE = 256L * 1024 * 1024;
    /** The service's limit on the blocks of one blob. */
    public static final int MAX_BLOCKS = 50_000;
    /** The service's limit on one block: 4000 MiB. */
    public static final long MAX_BLOCK_SIZE = 4000L * 1024 * 1024;

    /**
     * @param options the caller's options, or {@code null} for the defaults
     * @param fallback the client's default options, or {@code null}
     * @param regionLength the region length {@code R} (plaintext bytes)
     * @param listener an explicit progress listener, taking precedence over the options' one, or {@code null}
     */
    public static TransferTuning of(ParallelTransferOptions options, ParallelTransferOptions fallback,
        int regionLength, ProgressListener listener) {
        Long blockSize = pick(options == null ? null : options.getBlockSizeLong(),
            fallback == null ? null : fallback.getBlockSizeLong());
        Integer concurrency = pick(options == null ? null : options.getMaxConcurrency(),
            fallback == null ? null : fallback.getMaxConcurrency());
        Long single = pick(options == null ? null : options.getMaxSingleUploadSizeLong(),
            fallback == null ? null : fallback.getMaxSingleUploadSizeLong());
        ProgressListener progress = listener != null ? listener
            : options != null && options.getProgressListener() != null ? options.getProgressListener()
            : null;
        long block = alignToRegions(blockSize == null ? DEFAULT_BLOCK_SIZE : blockSize, regionLength);
        int maxConcurrency = concurrency == null ? DEFAULT_MAX_CONCURRENCY : Math.max(1, concurrency);
        long maxSingle = single == null ? DEFAULT_MAX_SINGLE_UPLOAD_SIZE : Math.max(0, single);
        return new TransferTuning(block, maxConcurrency, maxSingle, progress);
    }

    /** {@code size} rounded down to whole regions, at least one region. */
    public static long alignToRegions(long size, int regionLength) {
        long regions = Math.max(1, size / regionLength);
        long maxRegions = Math.max(1, MAX_BLOCK_SIZE / ((long) regionLength + 28));
        return Math.min(regions, maxRegions) * regionLength;
    }

    /** A reporter for {@link #progressListener()}, or {@code null} without one. */
    public ProgressReporter progressReporter() {
        return progressListener == null ? null : ProgressReporter.withProgressListener(progressListener);
    }

    /** Regions in one block. */
    public long regionsPerBlock(int regionLength) {
        return blockPlaintextSize / regionLength;
    }

    /** This tuning with a block size large enough that {@code length} bytes fit in {@link #MAX_BLOCKS} blocks. */
    public TransferTuning fitting(long length, int regionLength) {
        if (length <= blockPlaintextSize * MAX_BLOCKS) {
            return this;
        }
        long needed = (length + MAX_BLOCKS - 1) / MAX_BLOCKS;
        long block = ((needed + regionLength - 1) / regionLength) * regionLength;
        return new TransferTuning(block, maxConcurrency, maxSingleUploadSize, progressListener);
    }

    private static <T> T pick(T first, T second) {
        return first != null ? first : second;
    }
}
