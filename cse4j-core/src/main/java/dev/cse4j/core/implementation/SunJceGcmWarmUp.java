package dev.cse4j.core.implementation;

import com.azure.core.util.logging.ClientLogger;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Brings the JDK's own AES-GCM (the SunJCE provider) to compiled speed before large data goes through it, once per
 * JVM.
 *
 * <p>Why (JDK 17, measured with {@code cse4j-bench}): SunJCE's GCM is fast only in code that the JIT's C2 compiler
 * has compiled around its two intrinsics ({@code GHASH.processBlocks} and {@code CounterMode.implCrypt}); until then
 * every byte runs through their Java fallbacks at 20-50 MB/s. C2 compiles a method after thousands of calls, and
 * large calls make few calls: raw 4 MiB {@code doFinal} calls stay at ~30 MB/s for the first ~85 s (about 2.5 GB),
 * 64 KiB {@code update} slices for the first ~350 MiB, and a cold first 4 MiB region alone takes ~0.5 s to encrypt.
 * Small operations through the same methods make those calls in a fraction of a second.
 *
 * <p>How: once {@link #TRIGGER} bytes have gone through SunJCE engines in this JVM (one large region, or many small
 * ones), {@link #ensureWarm} runs on the calling thread: (1) rounds of 1 KiB encryptions (in several {@code update}
 * calls, mostly with a partial last block) and decryptions, until a 16 KiB round trip runs at compiled speed
 * (≥ {@value #FAST_BYTES_PER_MICROSECOND} bytes/µs each way); (2) round trips shaped like a region (64 KiB updates;
 * over 64 KiB to decrypt, where SunJCE's decryption takes its own path for large inputs) until one of those is as
 * fast. At most {@value #BUDGET_MILLIS} ms in all; measured 0.2-0.35 s on a 2-core VM, after which 4 MiB regions run
 * at full speed (~1.7 GB/s there) from the first one. A JVM whose GCM is already compiled passes both probes at once.
 * Small work (a 1 KB blob, a few messages) never triggers it, and a cold first MiB costs about as much as the whole
 * warm-up. Threads that reach the trigger meanwhile wait for it rather than compete for the CPU with cold code.
 *
 * <p>Limit: newer JDKs (measured: 25) decrypt inputs over 1 MiB through yet another path that this does not reach;
 * there 4 MiB regions decrypt at ~200 MB/s for the first few seconds (still ~5× the raw JDK's cold speed).
 *
 * <p>A JVM without the optimizing compiler ({@link OptimizingJit}) never compiles the intrinsics, so there the warm-up
 * would only burn its whole budget: it is skipped ({@link AutoGcmEngine} moves such a JVM's large work to ACCP, and
 * warns where ACCP cannot be used).
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
    private static final int SMALL_PROBE = 16 * 1024;
    private static final int SLICE = JdkGcmEngine.SLICE;
    /** Over SunJCE's 64 KiB threshold for splitting decryption ({@code GaloisCounterMode.TRIGGERLEN}). */
    private static final int LARGE_PROBE = SLICE + 1024;
    private static final int TAG_BITS = RegionLayout.TAG_LENGTH * 8;

    private static final ClientLogger LOGGER = new ClientLogger(SunJceGcmWarmUp.class);
    private static final Object LOCK = new Object();
    private static final AtomicLong BYTES = new AtomicLong();
    private static volatile boolean done;

    private final Cipher cipher;
    private final SecretKeySpec key = new SecretKeySpec(new byte[ContentKey.LENGTH], "AES");
    private final byte[] plain = new byte[LARGE_PROBE];
    private final byte[] sealed = new byte[LARGE_PROBE + RegionLayout.TAG_LENGTH];
    private final byte[] opened = new byte[LARGE_PROBE];
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
                if (OptimizingJit.available()) {
                    new SunJceGcmWarmUp(Cipher.getInstance("AES/GCM/NoPadding", provider)).run();
                } else {
                    LOGGER.atVerbose().log("AES-GCM warm-up skipped: this JVM has no optimizing JIT compiler (C2)");
                }
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
        // 1. Cheap: many 1 KiB operations get the methods that every size shares compiled.
        while (!isFast(SMALL_PROBE, SMALL_PROBE) && System.nanoTime() < deadline) {
            for (int i = 0; i < ROUND; i++) {
                roundTrip(1024 - (i & 15), 256);
            }
        }
        // 2. SunJCE decrypts inputs over 64 KiB in parts, calling methods that phase 1 may have compiled only inside
        //    its small-size callers; region-shaped round trips until that path is fast too (usually at once).
        while (!isFast(LARGE_PROBE, SLICE) && System.nanoTime() < deadline) {
            for (int i = 0; i < ROUND / 25; i++) {
                roundTrip(LARGE_PROBE, SLICE);
            }
        }
    }

    /** Whether sealing and opening {@code length} bytes, fed in {@code slice}-byte updates, runs at compiled speed. */
    private boolean isFast(int length, int slice) throws GeneralSecurityException {
        long start = System.nanoTime();
        int sealedLength = seal(length, slice);
        long sealedAt = System.nanoTime();
        open(sealedLength);
        long end = System.nanoTime();
        long fastNanos = length * 1000L / FAST_BYTES_PER_MICROSECOND;
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
