package dev.cse4j.testing;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The formats' primitives done directly with the JDK, independent of cse4j's code: what a test compares cse4j's
 * output with, and what the fuzz targets' oracles re-encrypt with (docs/fuzzing.md).
 */
public final class IndependentCrypto {
    private IndependentCrypto() {
    }

    public static byte[] aesWrap(byte[] kek, byte[] payload) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AESWrap");
        cipher.init(Cipher.WRAP_MODE, new SecretKeySpec(kek, "AES"));
        return cipher.wrap(new SecretKeySpec(payload, "AES"));
    }

    public static byte[] aesUnwrap(byte[] kek, byte[] wrapped) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AESWrap");
        cipher.init(Cipher.UNWRAP_MODE, new SecretKeySpec(kek, "AES"));
        return cipher.unwrap(wrapped, "AES", Cipher.SECRET_KEY).getEncoded();
    }

    /** nonce ‖ AES-256-GCM(plaintext) ‖ tag */
    public static byte[] gcmSeal(byte[] cek, byte[] nonce, byte[] plaintext) throws GeneralSecurityException {
        return gcmSeal(cek, nonce, new byte[0], plaintext);
    }

    /** nonce ‖ AES-256-GCM(plaintext, associated data {@code aad}) ‖ tag */
    public static byte[] gcmSeal(byte[] cek, byte[] nonce, byte[] aad, byte[] plaintext)
        throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(aad);
        byte[] sealed = cipher.doFinal(plaintext);
        byte[] out = Arrays.copyOf(nonce, nonce.length + sealed.length);
        System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
        return out;
    }

    /** Opens nonce(12) ‖ ciphertext ‖ tag(16). */
    public static byte[] gcmOpen(byte[] cek, byte[] region) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"),
            new GCMParameterSpec(128, Arrays.copyOf(region, 12)));
        return cipher.doFinal(region, 12, region.length - 12);
    }

    /** AES-256-CBC of {@code plaintext}, with PKCS#7 padding or (page blobs) none. */
    public static byte[] cbcEncrypt(byte[] cek, byte[] iv, byte[] plaintext, boolean padded)
        throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(padded ? "AES/CBC/PKCS5Padding" : "AES/CBC/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cek, "AES"), new IvParameterSpec(iv));
        return cipher.doFinal(plaintext);
    }

    /** The 2.0 wrap payload: "2.0", five zero bytes, the content key. */
    public static byte[] v2Payload(byte[] cek) {
        byte[] payload = new byte[40];
        payload[0] = '2';
        payload[1] = '.';
        payload[2] = '0';
        System.arraycopy(cek, 0, payload, 8, 32);
        return payload;
    }
}
