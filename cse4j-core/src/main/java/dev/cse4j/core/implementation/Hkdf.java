package dev.cse4j.core.implementation;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * HKDF with HMAC-SHA256 (RFC 5869): {@link #extract} a pseudorandom key from input keying material and a salt, then
 * {@link #expand} it into output keys, each bound to its own {@code info} label so that keys for different uses are
 * independent. Output of at most 32 bytes (one HMAC block) per label is all cse4j needs, and all this class offers.
 */
public final class Hkdf {
    /** HMAC-SHA256 output length, and the length of every key this class derives. */
    public static final int LENGTH = 32;
    private static final String HMAC = "HmacSHA256";

    private Hkdf() {
    }

    /** {@code PRK = HMAC-SHA256(key = salt, data = ikm)} (RFC 5869 §2.2). */
    public static byte[] extract(byte[] salt, byte[] ikm) {
        return hmac(salt, ikm);
    }

    /**
     * {@code OKM = T(1) = HMAC-SHA256(PRK, info ‖ 0x01)} (RFC 5869 §2.3 with {@code L = 32}).
     *
     * @param info the label of the key's use, as UTF-8
     */
    public static byte[] expand(byte[] prk, String info) {
        byte[] label = info.getBytes(StandardCharsets.UTF_8);
        byte[] input = Arrays.copyOf(label, label.length + 1);
        input[label.length] = 1;
        return hmac(prk, input);
    }

    /** HMAC-SHA256 of {@code data} under {@code key}. */
    public static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }
}
