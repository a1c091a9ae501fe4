package dev.cse4j.core.implementation;

import com.azure.core.util.logging.ClientLogger;
import reactor.core.scheduler.Schedulers;

import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * {@link GcmEngine} of {@link CryptoProvider#auto()}: the JDK's, until the Amazon Corretto Crypto Provider (ACCP)
 * is loaded, then ACCP's. Both yield identical bytes, so switching between calls changes nothing but speed.
 *
 * <p>Why not ACCP from the start: loading it costs 0.5-0.8 s of CPU per JVM ({@link CorrettoCryptoProvider}), more
 * than small work (a 1 KB upload) takes in all and more than the JDK's warm-up ({@link SunJceGcmWarmUp}, 0.1-0.3 s);
 * on a 2-core machine a background load even slows the JDK's work 2-4× while it runs (measured). So the load starts
 * on a daemon thread only once {@link #TRIGGER} bytes have gone through auto engines in this JVM, or when a caller
 * announces that much work ({@link CryptoProvider#expectWork}) or asks for it
 * ({@link CryptoProvider#preloadCorretto()}); meanwhile the JDK does the work, and calls switch to ACCP as soon as it
 * is ready. Where ACCP is missing or does not load, the JDK stays.
 *
 * <p>In a JVM without the optimizing JIT compiler ({@link OptimizingJit}) the JDK's AES-GCM stays slow, so there ACCP
 * is loaded and waited for after {@link #WITHOUT_OPTIMIZING_JIT} bytes instead, about the work its load repays, or
 * from the first call once its load has started for work announced or asked for: the JDK's work while ACCP loads
 * would be CPU spent for nothing.
 */
final class AutoGcmEngine implements GcmEngine {
    /**
     * Bytes through auto engines in this JVM (or announced by {@link CryptoProvider#expectWork}) that start loading
     * ACCP: 4 GiB, work where its speed can repay its load. Measured on a 2-core machine without VAES (JDK 17:
     * SunJCE 1.7-2.0 GB/s per core warm, ACCP 2.3-3.2): loading ACCP at 64 MiB made 256 MiB blob transfers cost
     * 0.3-1 s more client CPU and 0.4-0.6 s more wall time than staying with the JDK; at 1 GiB the two were even.
     * Re-measured on a 2-core AMD EPYC with VAES (issue 16), where SunJCE's intrinsics do 4.3-4.7 GB/s and ACCP
     * 15-16 GB/s: ACCP saves about 0.16 s of CPU per GiB there, but loading it at 1 GiB made 1 GiB blob transfers
     * cost 0.4-2.5 s more client CPU (its load, and the JDK's warm-up and compilation, which run anyway until it is
     * ready) and ~5 MiB more peak memory than the JDK alone; so it pays only for several GiB.
     */
    static final long TRIGGER = 4L * 1024 * 1024 * 1024;
    /**
     * Bytes through auto engines in this JVM after which, in a JVM without the optimizing JIT compiler
     * ({@link OptimizingJit}: {@code -XX:TieredStopAtLevel=1}, as the command line runs a command on one object), the
     * call that crosses it, or the first call of work announced that large ({@link #expect}), waits for ACCP and uses
     * it (on a thread that must not block, it starts the load and switches once it is done): there the JDK's AES-GCM
     * never gets faster than 20-50 MB/s, and loading ACCP costs about what the JDK spends on 8 MiB (measured with the
     * command line, 2-core AMD EPYC, 3 runs each, CPU s with ACCP / with the JDK: 1 MiB 1.46 / 1.33, 8 MiB 1.88 / 1.97,
     * 32 MiB 1.53 / 2.14 uploading and 2.09 / 2.74 downloading). Work that stays below it in a JVM's life and is not
     * announced that large (a small blob, some messages or entities) never loads ACCP; the JVM is asked whether it has
     * C2 once, when this much work has gone through or been announced, or ACCP's load has started.
     */
    static final long WITHOUT_OPTIMIZING_JIT = 8L * 1024 * 1024;
    private static final ClientLogger LOGGER = new ClientLogger(AutoGcmEngine.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final AtomicLong BYTES = new AtomicLong();

    /** This JVM's finished lookup of ACCP, or {@code null} while it has not finished (or not started). */
    private final Supplier<CorrettoCryptoProvider> loaded;
    private GcmEngine current = new JdkGcmEngine(null);
    private boolean settled;
    /** The engine of the unit being sealed slice by slice: it stays the same until the unit's end. */
    private GcmEngine sealing;

    AutoGcmEngine() {
        this(CorrettoCryptoProvider::getIfDone);
    }

    /** With {@code loaded} in place of this JVM's lookup of ACCP (tests: ACCP finishing loading at a chosen moment). */
    AutoGcmEngine(Supplier<CorrettoCryptoProvider> loaded) {
        this.loaded = loaded;
    }

    @Override
    public int seal(SecretKey key, byte[] nonce, int nonceOff, byte[] aad, byte[] in, int inOff, int len, byte[] out,
        int outOff) {
        return engineFor(len).seal(key, nonce, nonceOff, aad, in, inOff, len, out, outOff);
    }

    @Override
    public int open(SecretKey key, byte[] nonce, int nonceOff, byte[] aad, byte[] in, int inOff, int len, byte[] out,
        int outOff) throws AEADBadTagException {
        return engineFor(len).open(key, nonce, nonceOff, aad, in, inOff, len, out, outOff);
    }

    @Override
    public void sealStart(SecretKey key, byte[] nonce, int nonceOff, byte[] aad, int len) {
        sealing = engineFor(len);
        sealing.sealStart(key, nonce, nonceOff, aad, len);
    }

    @Override
    public int sealUpdate(byte[] in, int inOff, int len, byte[] out, int outOff) {
        return sealing.sealUpdate(in, inOff, len, out, outOff);
    }

    @Override
    public int sealFinish(byte[] out, int outOff) {
        return sealing.sealFinish(out, outOff);
    }

    /** Whether the engine in use now streams; it only ever changes to ACCP's, which does. */
    @Override
    public boolean streamsSeal() {
        return current.streamsSeal();
    }

    /**
     * Work of about {@code bytes} is coming ({@link CryptoProvider#expectWork}): starts loading ACCP now if that is
     * at least {@link #TRIGGER}, or {@link #WITHOUT_OPTIMIZING_JIT} in a JVM without the optimizing JIT compiler.
     *
     * @return whether ACCP's load was started (or found started) for it
     */
    static boolean expect(long bytes) {
        if (bytes < WITHOUT_OPTIMIZING_JIT || bytes < TRIGGER && OptimizingJit.available()) {
            return false;
        }
        CorrettoCryptoProvider.startLoading();
        return true;
    }

    /**
     * The engine for a call of {@code len} bytes: ACCP's once loaded, else the JDK's. Without the optimizing JIT
     * compiler, a call that crosses {@link #WITHOUT_OPTIMIZING_JIT}, or any call once ACCP's load has started, waits
     * for it (on a thread that must not block, it starts the load and keeps the JDK until then).
     */
    GcmEngine engineFor(int len) {
        if (!settled) {
            CorrettoCryptoProvider accp = loaded.get();
            if (accp != null) {
                settle(accp);
            } else {
                long bytes = BYTES.addAndGet(len);
                if (bytes >= TRIGGER) {
                    CorrettoCryptoProvider.startLoading();
                } else if ((bytes >= WITHOUT_OPTIMIZING_JIT || CorrettoCryptoProvider.loadStarted())
                    && !OptimizingJit.available()) {
                    if (Schedulers.isInNonBlockingThread()) {
                        CorrettoCryptoProvider.startLoading(); // must not wait here: switches once it has loaded
                    } else {
                        settle(CorrettoCryptoProvider.get());
                    }
                }
            }
        }
        return current;
    }

    private void settle(CorrettoCryptoProvider accp) {
        settled = true;
        if (accp.provider() != null) {
            current = new JdkGcmEngine(accp.provider());
        } else if (WARNED.compareAndSet(false, true)) {
            CryptoProvider.slowWithoutOptimizingJit().ifPresent(why -> LOGGER.atWarning()
                .log(() -> "AES-GCM runs slowly: " + why + ". For large data, run with C2."));
        }
    }
}
