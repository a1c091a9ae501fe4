package dev.cse4j.bench.crypto;

import dev.cse4j.core.implementation.ContentKey;
import dev.cse4j.core.implementation.CryptoProvider;
import dev.cse4j.core.implementation.NonceScheme;
import dev.cse4j.core.implementation.RegionDecryptor;
import dev.cse4j.core.implementation.RegionEncryptor;
import dev.cse4j.core.implementation.RegionLayout;
import dev.cse4j.core.implementation.RegionOrderCheck;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Random;

/**
 * One region's worth of AES-256-GCM work, the unit both {@link RegionCryptoBenchmark} (warm) and {@link ColdStart}
 * (cold) time: cse4j's {@link RegionEncryptor}/{@link RegionDecryptor}, or the provider's raw {@link Cipher} fed in
 * one call or in 64 KiB slices. Not thread-safe: one instance per thread.
 *
 * <p>Encryption writes region {@code 0, 1, 2, ...} (a fresh nonce each time, as the JDK requires). Decryption
 * verifies and decrypts the same sealed region every time: the same work as the regions of a real object.
 */
public final class RegionWork {
    /** Protocol 2.0's region: 4 MiB. */
    public static final int REGION = 4 * 1024 * 1024;
    static final int SLICE = 64 * 1024;

    /** What does the work. */
    public enum Impl {
        /** cse4j's {@code RegionEncryptor} / {@code RegionDecryptor} (nonce, order check, engine). */
        CSE4J,
        /** {@code Cipher.doFinal} on the whole region. */
        RAW_ONE_CALL,
        /** {@code Cipher.update} in 64 KiB slices, then {@code doFinal}. */
        RAW_SLICES
    }

    /** Which way. */
    public enum Op {
        ENCRYPT,
        DECRYPT
    }

    private final Impl impl;
    private final Op op;
    private final int length;
    private final byte[] plaintext;
    private final byte[] sealed;
    private final byte[] out;
    private final ContentKey key;
    private final RegionEncryptor encryptor;
    private final RegionDecryptor decryptor;
    private final Cipher cipher;
    private long index;

    /**
     * @param provider {@code jdk}, {@code auto} or {@code corretto} (see {@link #provider(String)}; {@code auto}
     *     with {@link Impl#CSE4J} only)
     * @param key the content key
     * @param sealed for {@link Op#DECRYPT}: region 0 as stored ({@code nonce ‖ ciphertext ‖ tag}) under {@code key},
     *     e.g. from {@link #sealRegionZero}; ignored for encryption
     * @param length plaintext bytes per region
     */
    public RegionWork(String provider, Impl impl, Op op, ContentKey key, byte[] sealed, int length) {
        this.impl = impl;
        this.op = op;
        this.length = length;
        this.key = key;
        this.plaintext = op == Op.ENCRYPT ? plaintext(length) : null;
        this.sealed = op == Op.DECRYPT ? sealed : null;
        if (op == Op.DECRYPT && sealed.length != length + RegionLayout.OVERHEAD) {
            throw new IllegalArgumentException("sealed region of " + sealed.length + " bytes, expected "
                + (length + RegionLayout.OVERHEAD));
        }
        this.out = new byte[length + RegionLayout.OVERHEAD];
        CryptoProvider crypto = provider(provider);
        if (impl != Impl.CSE4J && crypto == CryptoProvider.auto()) {
            throw new IllegalArgumentException("auto is cse4j's choice; raw Cipher work needs jdk or corretto");
        }
        RegionLayout layout = new RegionLayout(length);
        this.encryptor = impl == Impl.CSE4J && op == Op.ENCRYPT ? new RegionEncryptor(key, layout, crypto) : null;
        this.decryptor = impl == Impl.CSE4J && op == Op.DECRYPT
            ? new RegionDecryptor(key, layout, crypto, RegionOrderCheck.strict()) : null;
        this.cipher = impl == Impl.CSE4J ? null : rawCipher(crypto);
    }

    /**
     * {@code jdk} → the JDK's providers; {@code auto} → {@link CryptoProvider#auto()} (the JDK until ACCP is
     * loaded); {@code corretto} → ACCP, or an exception saying why it is unavailable.
     */
    public static CryptoProvider provider(String name) {
        switch (name) {
            case "jdk":
                return CryptoProvider.jdk();
            case "auto":
                return CryptoProvider.auto();
            case "corretto":
                return CryptoProvider.corretto().orElseThrow(() -> new IllegalStateException(
                    CryptoProvider.correttoUnavailableReason().orElse("Corretto is unavailable")));
            default:
                throw new IllegalArgumentException("provider is jdk, auto or corretto, not " + name);
        }
    }

    /**
     * Region 0 of an object as cse4j stores it (Java nonce sequence: 12 zero bytes, then ciphertext and tag) under
     * {@code key}, made by one raw SunJCE call so that preparing it hardly touches the JIT state being measured.
     */
    public static byte[] sealRegionZero(ContentKey key, int length) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
            cipher.init(Cipher.ENCRYPT_MODE, key.secretKey(), new GCMParameterSpec(128, nonce(0)));
            byte[] sealed = new byte[length + RegionLayout.OVERHEAD];
            cipher.doFinal(plaintext(length), 0, length, sealed, RegionLayout.NONCE_LENGTH);
            return sealed;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The benchmark plaintext: pseudo-random bytes (seeded; encryption speed does not depend on them). */
    public static byte[] plaintext(int length) {
        byte[] data = new byte[length];
        new Random(length).nextBytes(data);
        return data;
    }

    /** Processes one region. @return bytes written (for a blackhole) */
    public int run() {
        try {
            if (impl == Impl.CSE4J) {
                return op == Op.ENCRYPT ? encryptor.encryptRegion(index++, plaintext, 0, length, out, 0)
                    : decryptor.decryptRegion(0, sealed, 0, sealed.length, out, 0);
            }
            if (op == Op.ENCRYPT) {
                cipher.init(Cipher.ENCRYPT_MODE, key.secretKey(), new GCMParameterSpec(128, nonce(index++)));
                return feed(plaintext, 0, length);
            }
            cipher.init(Cipher.DECRYPT_MODE, key.secretKey(),
                new GCMParameterSpec(128, sealed, 0, RegionLayout.NONCE_LENGTH));
            return feed(sealed, RegionLayout.NONCE_LENGTH, sealed.length - RegionLayout.NONCE_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The output of the last {@link #run()}: plaintext, or the sealed region (cse4j: {@code nonce ‖ ciphertext ‖
     * tag}; raw: {@code ciphertext ‖ tag}, nonce of region {@code 0, 1, 2, ...} as cse4j would write it).
     */
    public byte[] output() {
        return out;
    }

    private int feed(byte[] in, int off, int len) throws GeneralSecurityException {
        if (impl == Impl.RAW_ONE_CALL) {
            return cipher.doFinal(in, off, len, out, 0);
        }
        int written = 0;
        for (int pos = 0; pos < len; pos += SLICE) {
            written += cipher.update(in, off + pos, Math.min(SLICE, len - pos), out, written);
        }
        return written + cipher.doFinal(out, written);
    }

    private static Cipher rawCipher(CryptoProvider crypto) {
        try {
            Provider provider = crypto.jcaProvider().orElse(null);
            return provider == null ? Cipher.getInstance("AES/GCM/NoPadding", "SunJCE")
                : Cipher.getInstance("AES/GCM/NoPadding", provider);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] nonce(long index) {
        byte[] nonce = new byte[RegionLayout.NONCE_LENGTH];
        NonceScheme.JAVA.write(index, nonce, 0);
        return nonce;
    }
}
