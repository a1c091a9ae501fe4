package dev.cse4j.core.implementation;

import dev.cse4j.core.IntegrityException;

import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.IvParameterSpec;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Legacy protocol 1.0: AES-256-CBC with PKCS#7 padding (none for page blobs), one IV per object (docs/formats.md §5).
 *
 * <p><b>Unauthenticated.</b> Nothing detects modified ciphertext except, sometimes, a padding error at the very end;
 * blocks can be flipped, spliced and truncated at block boundaries without any error. Reading 1.0 is therefore an
 * explicit opt-in, and decrypted bytes are released as they are decrypted: there is nothing to verify first.
 */
public final class CbcV1 {
    public static final int BLOCK = 16;

    private final ContentKey key;
    private final byte[] iv;

    CbcV1(ContentKey key, byte[] iv) {
        this.key = Objects.requireNonNull(key, "key");
        if (iv == null || iv.length != BLOCK) {
            throw new IllegalArgumentException("A CBC IV has 16 bytes");
        }
        this.iv = iv.clone();
    }

    /** CBC with the given key and IV (e.g. a derived per-property IV of a legacy table entity). */
    public static CbcV1 of(ContentKey key, byte[] iv) {
        return new CbcV1(key, iv);
    }

    /** Encrypts with PKCS#7 padding: {@code 16·(⌊n/16⌋+1)} bytes. Legacy writes only. */
    public byte[] encryptLegacy(byte[] plaintext) {
        try {
            return cipher(Cipher.ENCRYPT_MODE, iv, true).doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC encryption failed", e);
        }
    }

    /**
     * Decrypts a whole object.
     *
     * @param padded {@code false} for page blobs, which are not padded
     * @throws IntegrityException if the length is not a multiple of 16, the padding is invalid, or it is empty and
     *     padded
     */
    public byte[] decrypt(byte[] ciphertext, boolean padded) {
        return decrypt(ciphertext, 0, ciphertext.length, iv, padded);
    }

    /**
     * Decrypts {@code len} bytes with an explicit IV (the block before a ranged read).
     *
     * @throws IntegrityException if the length is not a multiple of 16, the padding is invalid, or a padded
     *     ciphertext is empty (PKCS#7 always adds a block; the JDK would return nothing for it)
     */
    public byte[] decrypt(byte[] ciphertext, int off, int len, byte[] rangeIv, boolean padded) {
        if (padded && len == 0) {
            throw new IntegrityException("Legacy 1.0 ciphertext is empty, but a padded ciphertext has at least one "
                + "16-byte block: the stored data was truncated or modified.");
        }
        try {
            return cipher(Cipher.DECRYPT_MODE, rangeIv, padded).doFinal(ciphertext, off, len);
        } catch (IllegalBlockSizeException e) {
            throw new IntegrityException("Legacy 1.0 ciphertext of " + len + " bytes is not a whole number of "
                + "16-byte blocks: the stored data was truncated or modified.", e);
        } catch (BadPaddingException e) {
            throw paddingFailure(e);
        }
    }

    /** The IV this object was encrypted with (a copy). */
    public byte[] iv() {
        return iv.clone();
    }

    /**
     * The plaintext length of a padded object of {@code encryptedLength} bytes, from its last stored bytes: the last
     * 32 bytes (the last block and the one before it, which is its IV), or the only 16 when the object is one block.
     */
    public long plaintextLength(long encryptedLength, byte[] tail) {
        if (encryptedLength < BLOCK || encryptedLength % BLOCK != 0) {
            throw new IntegrityException("Legacy 1.0 blob of " + encryptedLength + " bytes is not a whole, non-empty "
                + "number of 16-byte blocks: it was truncated or modified.");
        }
        boolean oneBlock = encryptedLength == BLOCK;
        if (tail.length != (oneBlock ? BLOCK : 2 * BLOCK)) {
            throw new IllegalArgumentException("Need the last " + (oneBlock ? BLOCK : 2 * BLOCK) + " bytes");
        }
        byte[] lastIv = oneBlock ? iv : Arrays.copyOfRange(tail, 0, BLOCK);
        byte[] last = decrypt(tail, tail.length - BLOCK, BLOCK, lastIv, true);
        return encryptedLength - BLOCK + last.length;
    }

    private Cipher cipher(int mode, byte[] rangeIv, boolean padded) {
        try {
            Cipher cipher = Cipher.getInstance(padded ? "AES/CBC/PKCS5Padding" : "AES/CBC/NoPadding");
            cipher.init(mode, key.secretKey(), new IvParameterSpec(rangeIv));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC is not available", e);
        }
    }

    private static IntegrityException paddingFailure(Throwable cause) {
        return new IntegrityException("Legacy 1.0 decryption failed its padding check: the content key is wrong or "
            + "the stored data was modified. (Protocol 1.0 is unauthenticated; consider re-encrypting as 2.x.)",
            cause);
    }

    /**
     * What to fetch for plaintext bytes {@code [offset, offset + count)} of a 1.0 object of {@code encryptedLength}
     * stored bytes (docs/formats.md §5.3): whole blocks, plus the block before the range as its IV.
     *
     * @param fetchOffset first stored byte to request
     * @param fetchCount stored bytes to request (0: nothing to read)
     * @param ivFromData whether the first fetched block is the IV (else the object's IV applies)
     * @param skip plaintext bytes to drop after decrypting
     * @param take plaintext bytes wanted (fewer if the object ends first)
     * @param removePadding whether the fetch reaches the end of a padded object
     */
    public record Range(long fetchOffset, long fetchCount, boolean ivFromData, long skip, long take,
        boolean removePadding) {

        public static Range plan(long offset, long count, long encryptedLength, boolean padded) {
            if (offset < 0 || count < 0) {
                throw new IllegalArgumentException("offset and count must not be negative");
            }
            long blockStart = offset - offset % BLOCK;
            if (count == 0 || blockStart >= encryptedLength) {
                return new Range(0, 0, false, 0, 0, false);
            }
            boolean ivFromData = blockStart > 0;
            long fetchStart = ivFromData ? blockStart - BLOCK : 0;
            long lastByte = count > Long.MAX_VALUE - offset ? Long.MAX_VALUE : offset + count - 1;
            long fetchEnd = Math.min(lastByte - lastByte % BLOCK + BLOCK - 1, encryptedLength - 1);
            return new Range(fetchStart, fetchEnd - fetchStart + 1, ivFromData, offset - blockStart, count,
                padded && fetchEnd == encryptedLength - 1);
        }
    }
}
