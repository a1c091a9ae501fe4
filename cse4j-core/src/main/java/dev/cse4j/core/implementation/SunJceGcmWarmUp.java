package dev.cse4j.core.implementation;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Brings the JDK's own AES-GCM (the SunJCE provider) to compiled speed before the first large region, once per JVM.
 *
 * <p>Why (measured on JDK 17, see {@code cse4j-bench/README.md}): SunJCE's GCM is fast only where the JIT's C2
 * compiler has compiled the methods that call its two intrinsics ({@code GHASH.update} → {@code processBlocks} and
 * {@code GCTR.update} → {@code CounterMode.implCrypt}). Until then each byte goes through the interpreted or
 * C1-compiled Java fallbacks at 3-50 MB/s, and C2 compiles a method only after about 5,000 calls: with 4 MiB
 * regions (64 calls of 64 KiB each) that is the first ~350 MiB, about 10 s of a cold JVM, and a first 4 MiB region
 * alone takes ~0.5 s to encrypt. Many tiny GCM operations through the same methods reach those call counts in
 * ~0.1-0.3 s, after which 4 MiB regions run at full speed from the first one.
 *
 * <p>How: once SunJCE engines have been given {@link #TRIGGER} bytes in this JVM (one large region, or many small
 * ones), {@link #ensureWarm} runs rounds of small encryptions (fed in several {@code update} calls, with partial blocks) and decryptions on the
 * calling thread until a 16 KiB probe runs at compiled speed (≥ {@value #FAST_BYTES_PER_MICROSECOND} bytes/µs both
 * ways), or for at most {@value #BUDGET_MILLIS} ms. A JVM whose GCM is already compiled passes the first probe and
 * pays ~20 µs. Small work (a few queue messages or table values, a 1 KB blob) never triggers it; a cold first
 * MiB costs about as much as the warm-up does, so from there on it pays for itself. Other threads that meet a
 * large call meanwhile wait for it instead of competing for the CPU with cold code.
 *
 * <p>The warm-up encrypts zeros under a fixed throwaway key with its own {@link Cipher}; it touches no caller data
 * and keeps nothing. Failing is harmless: the JVM simply stays cold.
 */
final class SunJceGcmWarmUp {
    /** Bytes through SunJCE's AES-GCM in this JVM that trigger the warm-up. */
    static final int TRIGGER = 1024 * 1024;
    static final int BUDGET_MILLIS = 1500;
    static final int FAST_BYTES_PER_MICROSECOND = 600;
    private static final int ROUND = 200;
    private static final int PROBE = 16 * 1024;
    private static final int TAG_BITS = RegionLayout.TAG_LENGTH * 8;

    private static final Object LOCK = new Object();
    private static final AtomicLong BYTES = new AtomicLong();
    private static volatile boolean done;

    private final Cipher cipher;
    private final SecretKeySpec key = new SecretKeySpec(new byte[ContentKey.LENGTH], "AES");
    private final byte[] plain = new byte[PROBE];
    private final byte[] sealed = new byte[PROBE + RegionLayout.TAG_LENGTH];
    private final byte[] opened = new byte[PROBE];
    private long counter;

    private SunJceGcmWarmUp(Cipher cipher) {
        this.cipher = cipher;
    }

    /** Called before each SunJCE AES-GCM call of {@code length} bytes: warms up once {@link #TRIGGER} is reached. */
    static void beforeCall(Provider provider, int length) {
        if (!done && BYTES.addAndGet(length) >= TRIGGER) {
            ensureWarm(provider);
        }
    }

    /** Warms up SunJCE's AES-GCM unless that already happened in this JVM; see the class comment. */
    static void ensureWarm(Provider provider) {
        if (done) {
            return;
        }
        synchronized (LOCK) {
            if (done) {
                return;
            }
            try {
                new SunJceGcmWarmUp(Cipher.getInstance("AES/GCM/NoPadding", provider)).run();
            } catch (GeneralSecurityException | RuntimeException e) {
                // Best effort only: the real operation reports any genuine problem with this provider.
            } finally {
                done = true;
            }
        }
    }

    /** Whether the warm-up has run (or been tried) in this JVM. */
    static boolean isDone() {
        return done;
    }

    private void run() throws GeneralSecurityException {
        long deadline = System.nanoTime() + BUDGET_MILLIS * 1_000_000L;
        while (!probeIsFast() && System.nanoTime() < deadline) {
            for (int i = 0; i < ROUND; i++) {
                // 1 KiB minus 0..15 bytes: several update calls, and a partial last block every time but one in 16.
                roundTrip(1024 - (i & 15), 256);
            }
        }
    }

    private boolean probeIsFast() throws GeneralSecurityException {
        long start = System.nanoTime();
        int sealedLength = seal(PROBE, PROBE);
        long sealedAt = System.nanoTime();
        open(sealedLength);
        long end = System.nanoTime();
        long fastNanos = PROBE * 1000L / FAST_BYTES_PER_MICROSECOND;
        return sealedAt - start <= fastNanos && end - sealedAt <= fastNanos;
    }

    private void roundTrip(int length, int slice) throws GeneralSecurityException {
        open(seal(length, slice));
    }

    /** Encrypts the first {@code length} bytes of {@link #plain} in {@code slice}-byte updates under a fresh nonce. */
    private int seal(int length, int slice) throws GeneralSecurityException {
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce(++counter)));
        int written = 0;
        for (int pos = 0; pos < length; pos += slice) {
            written += cipher.update(plain, pos, Math.min(slice, length - pos), sealed, written);
        }
        return written + cipher.doFinal(sealed, written);
    }

    private void open(int sealedLength) throws GeneralSecurityException {
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce(counter)));
        cipher.doFinal(sealed, 0, sealedLength, opened, 0);
    }

    private static byte[] nonce(long counter) {
        byte[] nonce = new byte[RegionLayout.NONCE_LENGTH];
        NonceScheme.JAVA.write(counter, nonce, 0);
        return nonce;
    }
}
