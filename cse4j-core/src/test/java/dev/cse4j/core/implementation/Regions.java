package dev.cse4j.core.implementation;

import java.util.Arrays;

/**
 * Whole objects and ranges of protocol 2.x data through {@link RegionEncryptor} and {@link RegionDecryptor}, in
 * memory: the region loop a blob client runs, without a service. Test code only; the clients' own loops are tested
 * in cse4j-blob and cse4j-queue.
 */
final class Regions {
    private Regions() {
    }

    /** {@code n + ⌈n/R⌉·28} stored bytes of {@code plaintext} (empty for empty plaintext). */
    static byte[] encryptAll(RegionEncryptor encryptor, byte[] plaintext) {
        RegionLayout layout = encryptor.layout();
        int r = layout.regionDataLength();
        byte[] out = new byte[Math.toIntExact(layout.encryptedLength(plaintext.length))];
        int written = 0;
        for (int i = 0; i * (long) r < plaintext.length; i++) {
            written += encryptor.encryptRegion(i, plaintext, i * r, Math.min(r, plaintext.length - i * r), out,
                written);
        }
        return out;
    }

    /** The plaintext of a whole stored object (its length checked first, as a blob client does). */
    static byte[] decryptAll(RegionDecryptor decryptor, byte[] stored) {
        decryptor.layout().plaintextLength(stored.length);
        return decryptFrom(decryptor, 0, stored);
    }

    /** The plaintext of {@code range}, fetched from {@code stored} as the service would (clipped at its end). */
    static byte[] decryptRange(RegionDecryptor decryptor, byte[] stored, RegionLayout.RegionRange range) {
        if (range.length() == 0) {
            return new byte[0];
        }
        RegionLayout layout = decryptor.layout();
        long from = layout.encryptedOffset(range.firstRegion());
        long to = Math.min(stored.length, layout.encryptedOffset(range.firstRegion() + range.regionCount()));
        byte[] fetched = Arrays.copyOfRange(stored, (int) from, (int) to);
        byte[] plain = decryptFrom(decryptor, range.firstRegion(), fetched);
        return Arrays.copyOfRange(plain, (int) range.skip(), (int) (range.skip() + range.length()));
    }

    /** Decrypts whole fetched regions, the first of which is region {@code firstRegion}. */
    static byte[] decryptFrom(RegionDecryptor decryptor, long firstRegion, byte[] fetched) {
        long regionLength = decryptor.layout().encryptedRegionLength();
        byte[] out = new byte[fetched.length];
        int written = 0;
        long index = firstRegion;
        int pos = 0;
        while (pos < fetched.length) {
            int length = (int) Math.min(regionLength, fetched.length - pos);
            written += decryptor.decryptRegion(index++, fetched, pos, length, out, written);
            pos += length;
        }
        return Arrays.copyOf(out, written);
    }
}
