package dev.cse4j.keys;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;

/**
 * A plain, independent implementation of RSAES-OAEP (RFC 8017 §7.1) on raw RSA ({@link BigInteger#modPow}), with an
 * empty label and a chosen hash and MGF1 hash. It checks the JCA-based keys from outside: if they used another MGF1
 * hash than they claim, this decoder would fail.
 */
final class Oaep {
    private final String hash;
    private final String mgf1Hash;

    Oaep(String hash, String mgf1Hash) {
        this.hash = hash;
        this.mgf1Hash = mgf1Hash;
    }

    byte[] encrypt(RSAPublicKey key, byte[] message, byte[] seed) {
        int k = length(key.getModulus());
        int hLen = digest(hash).getDigestLength();
        byte[] db = new byte[k - hLen - 1];
        System.arraycopy(digest(hash).digest(), 0, db, 0, hLen);
        db[db.length - message.length - 1] = 1;
        System.arraycopy(message, 0, db, db.length - message.length, message.length);
        byte[] maskedDb = xor(db, mgf1(seed, db.length));
        byte[] maskedSeed = xor(seed, mgf1(maskedDb, hLen));
        byte[] em = new byte[k];
        System.arraycopy(maskedSeed, 0, em, 1, hLen);
        System.arraycopy(maskedDb, 0, em, 1 + hLen, maskedDb.length);
        return toBytes(new BigInteger(1, em).modPow(key.getPublicExponent(), key.getModulus()), k);
    }

    byte[] decrypt(RSAPrivateKey key, byte[] ciphertext) {
        int k = length(key.getModulus());
        int hLen = digest(hash).getDigestLength();
        byte[] em = toBytes(new BigInteger(1, ciphertext).modPow(key.getPrivateExponent(), key.getModulus()), k);
        if (em[0] != 0) {
            throw new IllegalStateException("OAEP decoding error: first byte is not zero");
        }
        byte[] maskedSeed = Arrays.copyOfRange(em, 1, 1 + hLen);
        byte[] maskedDb = Arrays.copyOfRange(em, 1 + hLen, k);
        byte[] seed = xor(maskedSeed, mgf1(maskedDb, hLen));
        byte[] db = xor(maskedDb, mgf1(seed, maskedDb.length));
        if (!Arrays.equals(Arrays.copyOf(db, hLen), digest(hash).digest())) {
            throw new IllegalStateException("OAEP decoding error: label hash differs (wrong hash or MGF1 hash)");
        }
        int i = hLen;
        while (i < db.length && db[i] == 0) {
            i++;
        }
        if (i == db.length || db[i] != 1) {
            throw new IllegalStateException("OAEP decoding error: no 0x01 separator");
        }
        return Arrays.copyOfRange(db, i + 1, db.length);
    }

    private byte[] mgf1(byte[] seed, int length) {
        byte[] mask = new byte[length];
        int done = 0;
        for (int counter = 0; done < length; counter++) {
            MessageDigest md = digest(mgf1Hash);
            md.update(seed);
            md.update(new byte[] {(byte) (counter >>> 24), (byte) (counter >>> 16), (byte) (counter >>> 8),
                (byte) counter});
            byte[] block = md.digest();
            int n = Math.min(block.length, length - done);
            System.arraycopy(block, 0, mask, done, n);
            done += n;
        }
        return mask;
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    private static int length(BigInteger modulus) {
        return (modulus.bitLength() + 7) / 8;
    }

    private static byte[] toBytes(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }

    private static MessageDigest digest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
