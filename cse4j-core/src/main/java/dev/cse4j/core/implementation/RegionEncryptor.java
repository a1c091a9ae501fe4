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
        checkRegion(index, len);
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

    private void checkRegion(long index, int len) {
        if (len < 0 || len > layout.regionDataLength()) {
            throw new IllegalArgumentException("A region holds 0 to " + layout.regionDataLength() + " bytes, not "
                + len);
        }
        if (index < 0) {
            throw new IllegalArgumentException("Region index must not be negative: " + index);
        }
    }

    /**
     * Encrypts regions slice by slice, one region at a time, for a caller that never holds a whole region (an
     * upload that encrypts into a file as it reads). It has an AES-GCM engine of its own, so its calls may run on any
     * thread, one at a time.
     */
    public Slicing slicing() {
        return new Slicing(provider.newGcm());
    }

    /**
     * Regions encrypted slice by slice: {@link #begin} writes a region's nonce, {@link #update} encrypts its
     * plaintext in order, {@link #finish} writes the rest and its tag. What is written, in order, is the stored
     * region {@link #encryptRegion} makes of the same plaintext ({@code nonce ‖ ciphertext ‖ tag}, {@code len + 28}
     * bytes). Not thread-safe: one call at a time (calls ordered by the caller may run on different threads).
     */
    public final class Slicing {
        private final GcmEngine engine;
        private int left = -1;

        private Slicing(GcmEngine engine) {
            this.engine = engine;
        }

        /**
         * Starts region {@code index} of {@code len} plaintext bytes (at most {@code R}): writes its nonce at
         * {@code out[outOff]}.
         *
         * @return bytes written, 12
         * @throws IllegalStateException if the previous region was not finished
         */
        public int begin(long index, int len, byte[] out, int outOff) {
            checkRegion(index, len);
            if (left >= 0) {
                throw new IllegalStateException("The previous region was not finished");
            }
            NonceScheme.JAVA.write(index, out, outOff);
            engine.sealStart(key.secretKey(), out, outOff, null, len);
            left = len;
            return RegionLayout.NONCE_LENGTH;
        }

        /**
         * Encrypts the region's next {@code len} plaintext bytes into {@code out[outOff]} ({@code out} needs room
         * for {@code len + 15} bytes). In place (same array and offset) only where every slice of the region before
         * the last is whole 16-byte blocks.
         *
         * @return bytes written: {@code len}, or up to 15 more or fewer where a slice before or this one was not a
         *     multiple of 16 bytes (give slices of multiples of 16 but the region's last, and each writes {@code len})
         * @throws IllegalStateException if no region was begun, or this is more plaintext than it was begun with
         */
        public int update(byte[] in, int inOff, int len, byte[] out, int outOff) {
            if (len < 0 || len > left) {
                throw new IllegalStateException("The region was begun with " + left + " plaintext bytes still to "
                    + "come, not " + len + (left < 0 ? " (no region was begun)" : ""));
            }
            left -= len;
            return engine.sealUpdate(in, inOff, len, out, outOff);
        }

        /**
         * Whether {@link #update} returns each slice's ciphertext at once (but a partial last block). False where the
         * provider holds all of it until the region's end (SunPKCS11 does): then {@link #update} writes nothing and
         * {@link #finish} the region's whole ciphertext and tag, so give a region in one slice, into a buffer with
         * room for {@code len + 28} bytes.
         */
        public boolean streams() {
            return engine.streamsSeal();
        }

        /**
         * Ends the region: writes its last ciphertext bytes (under 16; all of them where not {@link #streams()}) and
         * its tag at {@code out[outOff]}.
         *
         * @return bytes written, 16 to 31 where {@link #streams()}, else the region's plaintext length + 16
         * @throws IllegalStateException if the region had fewer plaintext bytes than it was begun with
         */
        public int finish(byte[] out, int outOff) {
            if (left != 0) {
                throw new IllegalStateException(left < 0 ? "No region was begun" : "The region still lacks " + left
                    + " of the plaintext bytes it was begun with");
            }
            left = -1;
            return engine.sealFinish(out, outOff);
        }
    }
}
