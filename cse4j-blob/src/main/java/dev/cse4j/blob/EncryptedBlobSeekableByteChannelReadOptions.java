package dev.cse4j.blob;

import com.azure.storage.blob.models.BlobRequestConditions;

/**
 * Options of {@link EncryptedBlobClient#openSeekableByteChannelRead(EncryptedBlobSeekableByteChannelReadOptions)}.
 * Defaults: reads of 4 MiB (as the Azure SDK's channel), 2 of them cached, no read-ahead. Memory is at most
 * {@code (cachedReads + 1) × read size}.
 */
public final class EncryptedBlobSeekableByteChannelReadOptions {
    /** Default plaintext bytes per read from the service: 4 MiB. */
    public static final long DEFAULT_READ_SIZE = 4L * 1024 * 1024;
    /** Default reads kept: 2. */
    public static final int DEFAULT_CACHED_READS = 2;

    private BlobRequestConditions requestConditions;
    private long readSizeInBytes = DEFAULT_READ_SIZE;
    private int cachedReads = DEFAULT_CACHED_READS;
    private boolean readAhead;

    public BlobRequestConditions getRequestConditions() {
        return requestConditions;
    }

    /** Conditions on the version opened (its properties are read once; every read then fetches that version). */
    public EncryptedBlobSeekableByteChannelReadOptions setRequestConditions(BlobRequestConditions requestConditions) {
        this.requestConditions = requestConditions;
        return this;
    }

    public long getReadSizeInBytes() {
        return readSizeInBytes;
    }

    /**
     * Plaintext bytes fetched (and authenticated) per request, rounded down to whole regions, at least one region
     * (default 4 MiB). Small values suit random access (e.g. one region of a 2.1 blob with small regions), large ones
     * sequential reads.
     */
    public EncryptedBlobSeekableByteChannelReadOptions setReadSizeInBytes(long readSizeInBytes) {
        if (readSizeInBytes < 1) {
            throw new IllegalArgumentException("readSizeInBytes must be positive: " + readSizeInBytes);
        }
        this.readSizeInBytes = readSizeInBytes;
        return this;
    }

    public int getCachedReads() {
        return cachedReads;
    }

    /** How many fetched reads are kept for later reads (default 2, at least 1). */
    public EncryptedBlobSeekableByteChannelReadOptions setCachedReads(int cachedReads) {
        if (cachedReads < 1) {
            throw new IllegalArgumentException("cachedReads must be at least 1: " + cachedReads);
        }
        this.cachedReads = cachedReads;
        return this;
    }

    public boolean isReadAhead() {
        return readAhead;
    }

    /** Whether reading on from where the previous read ended fetches the next read in the background. */
    public EncryptedBlobSeekableByteChannelReadOptions setReadAhead(boolean readAhead) {
        this.readAhead = readAhead;
        return this;
    }
}
