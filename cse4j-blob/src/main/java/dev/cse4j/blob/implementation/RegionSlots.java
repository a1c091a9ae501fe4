package dev.cse4j.blob.implementation;

import dev.cse4j.core.implementation.RegionDecryptor;
import dev.cse4j.core.implementation.RegionEncryptor;
import dev.cse4j.core.implementation.RegionLayout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Whole regions of a protocol 2.x blob in one buffer, in their stored layout: region {@code k} of the buffer takes
 * {@code [k·(R+28), k·(R+28) + len + 28)}, with its plaintext at {@code k·(R+28) + 12}. Plaintext is read straight
 * into those slots and encrypted in place, and stored regions are decrypted in place, so a block or chunk needs one
 * buffer and no copy beyond the I/O itself.
 */
final class RegionSlots {
    private RegionSlots() {
    }

    /** Buffer bytes for {@code plaintextLength} bytes of whole regions (the stored length; 0 for none). */
    static int storedLength(RegionLayout layout, long plaintextLength) {
        return Math.toIntExact(layout.encryptedLength(plaintextLength));
    }

    /**
     * Reads up to {@code max} plaintext bytes from {@code in} into the slots of {@code buffer}, fewer only where
     * {@code in} ends, in reads of at most {@link Transfers#IO_SLICE} bytes (a file's stream copies each read through
     * a direct buffer of its size, which the reading thread keeps).
     *
     * @return the bytes read
     */
    static int read(InputStream in, RegionLayout layout, byte[] buffer, int max) {
        int regionLength = layout.regionDataLength();
        int read = 0;
        try {
            for (int slot = RegionLayout.NONCE_LENGTH; read < max; slot += regionLength + RegionLayout.OVERHEAD) {
                int want = Math.min(regionLength, max - read);
                int got = 0;
                for (int n = -1; got < want && n != 0; got += n) {
                    n = in.readNBytes(buffer, slot + got, Math.min(Transfers.IO_SLICE, want - got));
                }
                read += got;
                if (got < want) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the data to upload failed", e);
        }
        return read;
    }

    /**
     * Copies plaintext from {@code src} into the slots of {@code buffer}, continuing at plaintext position
     * {@code filled} and stopping at {@code max} or when {@code src} has no more bytes.
     *
     * @return the plaintext bytes now in the slots
     */
    static int put(ByteBuffer src, RegionLayout layout, byte[] buffer, int filled, int max) {
        int regionLength = layout.regionDataLength();
        int storedRegion = regionLength + RegionLayout.OVERHEAD;
        while (filled < max && src.hasRemaining()) {
            int inRegion = filled % regionLength;
            int n = Math.min(Math.min(regionLength - inRegion, max - filled), src.remaining());
            src.get(buffer, (filled / regionLength) * storedRegion + RegionLayout.NONCE_LENGTH + inRegion, n);
            filled += n;
        }
        return filled;
    }

    /**
     * Encrypts in place the {@code plaintextLength} bytes {@link #read} put in {@code buffer}, the first being
     * region {@code firstRegion} of the blob.
     *
     * @return the stored bytes now at the start of {@code buffer}
     */
    static int encrypt(RegionEncryptor encryptor, long firstRegion, byte[] buffer, int plaintextLength) {
        int regionLength = encryptor.layout().regionDataLength();
        int stored = 0;
        long region = firstRegion;
        for (int done = 0; done < plaintextLength; done += regionLength) {
            int length = Math.min(regionLength, plaintextLength - done);
            stored += encryptor.encryptRegion(region++, buffer, stored + RegionLayout.NONCE_LENGTH, length, buffer,
                stored);
        }
        return stored;
    }

    /**
     * Verifies and decrypts in place the {@code storedLength} bytes at the start of {@code buffer}, the first being
     * region {@code firstRegion} of the blob, and moves the plaintext together at the start of {@code buffer}. On
     * failure the buffer is zeroed, so no plaintext of it is left.
     *
     * @return the plaintext bytes
     * @throws dev.cse4j.core.IntegrityException if a region is not authentic
     */
    static int decrypt(RegionDecryptor decryptor, long firstRegion, byte[] buffer, int storedLength) {
        int storedRegion = (int) decryptor.layout().encryptedRegionLength();
        int plain = 0;
        long region = firstRegion;
        try {
            for (int pos = 0; pos < storedLength; pos += storedRegion) {
                int length = decryptor.decryptRegion(region++, buffer, pos, Math.min(storedRegion, storedLength - pos),
                    buffer, pos + RegionLayout.NONCE_LENGTH);
                System.arraycopy(buffer, pos + RegionLayout.NONCE_LENGTH, buffer, plain, length);
                plain += length;
            }
        } catch (RuntimeException e) {
            Arrays.fill(buffer, 0, storedLength, (byte) 0);
            throw e;
        }
        return plain;
    }
}
