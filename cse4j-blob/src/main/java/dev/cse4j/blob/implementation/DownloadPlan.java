package dev.cse4j.blob.implementation;

/**
 * How one download (the whole blob or a range) is cut into chunks that can be fetched and decrypted independently:
 * whole regions for protocol 2.x, whole CBC blocks plus the block before them (their IV) for 1.0, plain byte ranges
 * for unencrypted blobs. Chunk {@code i}'s plaintext goes at {@link #outputOffset(int)} of the output, so chunks may
 * complete in any order; only the last chunk may yield fewer bytes than the others (the end of the data).
 */
public interface DownloadPlan {
    /** Chunks to fetch; 0 when there is nothing to read. */
    int chunkCount();

    /** First stored byte of chunk {@code i}. */
    long fetchOffset(int i);

    /** Stored bytes of chunk {@code i}, never past the end of the blob. */
    long fetchCount(int i);

    /** Position of chunk {@code i}'s plaintext in the output. */
    long outputOffset(int i);

    /**
     * Verifies and decrypts chunk {@code i} from its stored bytes, the first {@code fetched} bytes of
     * {@code buffer}, which it may overwrite (protocol 2.x decrypts in place).
     *
     * @return the plaintext: in {@code buffer}, or in an array of its own (protocol 1.0)
     * @throws dev.cse4j.core.IntegrityException if the bytes are not authentic; nothing of the chunk is returned,
     *     and none of its plaintext is left in {@code buffer}
     */
    Plain decrypt(int i, byte[] buffer, int fetched);

    /** Plaintext bytes of the download if known before reading it (protocol 1.0: an upper bound). */
    long outputLengthHint();

    /** Stored bytes of the largest chunk: the size of a buffer that holds any chunk. */
    default int maxFetchCount() {
        long max = 0;
        for (int i = 0; i < chunkCount(); i++) {
            max = Math.max(max, fetchCount(i));
        }
        return Math.toIntExact(max);
    }

    /** A chunk's plaintext: {@code length} bytes at {@code offset} of {@code bytes}. */
    record Plain(byte[] bytes, int offset, int length) {
        /**
         * Zeroes the plaintext once it has been handed on, if it is in an array of its own; plaintext in the
         * transfer's {@code buffer} is zeroed when the transfer's {@link BufferPool} closes.
         */
        void wipeUnless(byte[] buffer) {
            if (bytes != buffer) {
                java.util.Arrays.fill(bytes, (byte) 0);
            }
        }
    }
}
