package dev.cse4j.core.implementation;

import dev.cse4j.core.IntegrityException;

import javax.crypto.AEADBadTagException;
import java.util.Objects;

/**
 * Verifies and decrypts the regions of one protocol 2.x object (or one ranged read of it). Before decrypting, each
 * region's stored nonce is checked against its position ({@link RegionOrderCheck}); then its tag is verified, and
 * only then is its plaintext written. Thread-safe: any thread may decrypt any region.
 */
public final class RegionDecryptor {
    private final ContentKey key;
    private final RegionLayout layout;
    private final CryptoProvider provider;
    private final RegionOrderCheck orderCheck;

    public RegionDecryptor(ContentKey key, RegionLayout layout, CryptoProvider provider,
        RegionOrderCheck orderCheck) {
        this.key = Objects.requireNonNull(key, "key");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.provider = Objects.requireNonNull(provider, "provider");
        this.orderCheck = Objects.requireNonNull(orderCheck, "orderCheck");
    }

    public RegionLayout layout() {
        return layout;
    }

    /**
     * Decrypts region {@code index} stored as {@code encryptedLength} bytes at {@code in[inOff]} into
     * {@code out[outOff]}.
     *
     * @return plaintext bytes written, {@code encryptedLength - 28}
     * @throws IntegrityException if the region is too short or too long, out of order, or fails authentication;
     *     nothing is written to {@code out} then
     */
    public int decryptRegion(long index, byte[] in, int inOff, int encryptedLength, byte[] out, int outOff) {
        if (encryptedLength < RegionLayout.OVERHEAD) {
            throw new IntegrityException("Region " + index + " is cut short: " + encryptedLength + " bytes, at least "
                + RegionLayout.OVERHEAD + " needed. The stored data was truncated or corrupted.");
        }
        if (encryptedLength == RegionLayout.OVERHEAD && index != 0) {
            throw new IntegrityException("Region " + index + " is empty; only an empty object is stored as one empty "
                + "region. The stored data was modified.");
        }
        if (encryptedLength > layout.encryptedRegionLength()) {
            throw new IntegrityException("Region " + index + " has " + encryptedLength + " bytes, more than the "
                + layout.encryptedRegionLength() + " of a " + layout.regionDataLength() + "-byte region. The "
                + "stored data or its region length was modified.");
        }
        orderCheck.verify(index, in, inOff);
        try {
            return provider.gcm().open(key.secretKey(), in, inOff, null, in, inOff + RegionLayout.NONCE_LENGTH,
                encryptedLength - RegionLayout.NONCE_LENGTH, out, outOff);
        } catch (AEADBadTagException e) {
            throw new IntegrityException("Region " + index + " failed authentication (AES-GCM tag mismatch): the "
                + "stored data was modified, truncated, or belongs to another object or key. No plaintext of it was "
                + "returned.", e);
        }
    }
}
