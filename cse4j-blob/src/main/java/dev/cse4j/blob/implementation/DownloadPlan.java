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
     * Verifies and decrypts chunk {@code i} from its stored bytes.
     *
     * @throws dev.cse4j.core.IntegrityException if the bytes are not authentic; nothing of the chunk is returned
     */
    Plain decrypt(int i, byte[] fetched);

    /** Plaintext bytes of the download if known before reading it (protocol 1.0: an upper bound). */
    long outputLengthHint();

    /** A chunk's plaintext: {@code length} bytes at {@code offset} of {@code bytes}. */
    record Plain(byte[] bytes, int offset, int length) {
        static final Plain EMPTY = new Plain(new byte[0], 0, 0);

        /** Zeroes the buffer once the plaintext has been handed on. */
        void wipe() {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
    }
}
