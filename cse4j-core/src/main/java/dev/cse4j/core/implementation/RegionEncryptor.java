package dev.cse4j.core.implementation;

import java.util.Objects;

/**
 * Encrypts the regions of one protocol 2.x object with its content key, writing Java's nonce sequence (region index
 * as 8 bytes big-endian, then 4 zero bytes). Regions are independent, so any thread may encrypt any region; each
 * region index must be encrypted at most once per content key (a second encryption of an index with other
 * plaintext would reuse a nonce).
 */
public final class RegionEncryptor {
    private final ContentKey key;
    private final RegionLayout layout;
    private final CryptoProvider provider;

    public RegionEncryptor(ContentKey key, RegionLayout layout, CryptoProvider provider) {
        this.key = Objects.requireNonNull(key, "key");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.provider = Objects.requireNonNull(provider, "provider");
    }

    public RegionLayout layout() {
        return layout;
    }

    /**
     * Encrypts region {@code index} from {@code len} plaintext bytes (at most {@code R}) into
     * {@code nonce ‖ ciphertext ‖ tag} at {@code out[outOff]} ({@code len + 28} bytes).
     *
     * <p>In place is allowed with the plaintext at {@code out[outOff + 12]}.
     *
     * @return bytes written, {@code len + 28}
     */
    public int encryptRegion(long index, byte[] in, int inOff, int len, byte[] out, int outOff) {
        if (len < 0 || len > layout.regionDataLength()) {
            throw new IllegalArgumentException("A region holds 0 to " + layout.regionDataLength() + " bytes, not "
                + len);
        }
        if (index < 0) {
            throw new IllegalArgumentException("Region index must not be negative: " + index);
        }
        if (out.length - outOff < len + RegionLayout.OVERHEAD) {
            throw new IllegalArgumentException("Output buffer too small for a region of " + len + " bytes");
        }
        if (in == out && inOff < outOff + RegionLayout.NONCE_LENGTH && inOff + len > outOff) {
            throw new IllegalArgumentException("The plaintext overlaps where the nonce goes; for in-place "
                + "encryption put the plaintext at outOff + 12");
        }
        NonceScheme.JAVA.write(index, out, outOff);
        return RegionLayout.NONCE_LENGTH + provider.gcm().seal(key.secretKey(), out, outOff, null, in, inOff, len, out,
            outOff + RegionLayout.NONCE_LENGTH);
    }
}
