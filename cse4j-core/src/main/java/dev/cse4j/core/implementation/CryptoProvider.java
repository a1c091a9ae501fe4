package dev.cse4j.core.implementation;

import java.security.Provider;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where the region ciphers come from: the JDK's providers, the Amazon Corretto Crypto Provider (ACCP) when it is on
 * the class path and works, or a given JCA provider. Hands out one {@link GcmEngine} per thread. Every choice yields
 * identical bytes; they differ only in speed (ACCP is native code, about 1.3-2× the JDK 17's warm speed and at full
 * speed from its first call, but it takes 0.5-0.8 s to load; see {@code cse4j-bench/README.md}).
 *
 * <p>The default, {@link #defaultProvider()}, follows the system property {@value #PROPERTY}: {@code auto} (the
 * default, {@link #auto()}), {@code jdk}, or {@code corretto}.
 */
public final class CryptoProvider {
    /** System property choosing {@link #defaultProvider()}: {@code auto} (default), {@code jdk} or {@code corretto}. */
    public static final String PROPERTY = "cse4j.crypto.provider";

    private static final CryptoProvider JDK = new CryptoProvider(null, "JDK default", () -> new JdkGcmEngine(null));
    private static final CryptoProvider AUTO = new CryptoProvider(null, "auto (Amazon Corretto Crypto Provider once "
        + "loaded, else JDK)", AutoGcmEngine::new);

    private final Provider provider;
    private final String name;
    private final Supplier<GcmEngine> engines;
    private final ThreadLocal<GcmEngine> gcm;

    private CryptoProvider(Provider provider, String name, Supplier<GcmEngine> engines) {
        this.provider = provider;
        this.name = name;
        this.engines = engines;
        this.gcm = ThreadLocal.withInitial(engines);
    }

    /** The JDK's own providers (SunJCE for AES). */
    public static CryptoProvider jdk() {
        return JDK;
    }

    /**
     * The JDK at first, then the Amazon Corretto Crypto Provider as soon as it is loaded, if it is available: its
     * loading starts in the background once 4 GiB have been processed in this JVM, or when that much work is announced
     * ({@link #expectWork}) or asked for ({@link #preloadCorretto()}), so smaller work never pays for it; in a JVM
     * without the JIT's optimizing compiler, it is loaded and used after the first 8 MiB, or from the start of work
     * of that size announced (see {@link AutoGcmEngine}).
     */
    public static CryptoProvider auto() {
        return AUTO;
    }

    /**
     * The bytes of AES-GCM work in this JVM after which {@link #auto()} uses the Amazon Corretto Crypto Provider
     * where it is available: 4 GiB, or 8 MiB in a JVM without the JIT's optimizing compiler (e.g.
     * {@code -XX:TieredStopAtLevel=1}), where the JDK's AES-GCM stays slow (see {@link AutoGcmEngine}). Asks the JVM
     * which it is, once.
     */
    public static long autoCorrettoThreshold() {
        return OptimizingJit.available() ? AutoGcmEngine.TRIGGER : AutoGcmEngine.WITHOUT_OPTIMIZING_JIT;
    }

    /**
     * Whether this JVM's JIT has its optimizing compiler (C2), without which the JDK's AES-GCM stays at 20-50 MB/s
     * (e.g. {@code -XX:TieredStopAtLevel=1}); asks the JVM once.
     */
    public static boolean optimizingJit() {
        return OptimizingJit.available();
    }

    /**
     * Why large AES-GCM work in this JVM ran slowly, if it did: the JVM has no optimizing JIT compiler, and
     * {@link #auto()} tried the Amazon Corretto Crypto Provider for it and could not use it (the reason is in the
     * text). Empty otherwise; loads nothing.
     */
    public static Optional<String> slowWithoutOptimizingJit() {
        CorrettoCryptoProvider accp = CorrettoCryptoProvider.getIfDone();
        if (accp == null || accp.provider() != null || OptimizingJit.available()) {
            return Optional.empty();
        }
        return Optional.of("this JVM has no optimizing JIT compiler, where the JDK's AES-GCM runs at 20-50 MB/s, and "
            + "the Amazon Corretto Crypto Provider could not be used (" + accp.unavailableReason() + ")");
    }

    /**
     * Starts loading the Amazon Corretto Crypto Provider on a daemon thread now, so that {@link #auto()} switches to
     * it sooner: for callers that know large work is coming (e.g. a command about to upload a big file). In a JVM
     * without the JIT's optimizing compiler, {@link #auto()}'s calls then wait for it (except on threads that must not
     * block) rather than run the JDK's slow AES-GCM meanwhile. Does nothing if loading has started already; never
     * throws.
     */
    public static void preloadCorretto() {
        CorrettoCryptoProvider.startLoading();
    }

    /**
     * Announces about {@code bytes} of AES-GCM work with this provider (e.g. a transfer of known length, before it
     * starts): for {@link #auto()}, work past {@link #autoCorrettoThreshold()} starts loading the Amazon Corretto
     * Crypto Provider now, alongside the transfer's first requests (in a JVM without the optimizing JIT compiler, the
     * work's calls then wait for it instead of running in the JDK meanwhile; see {@link AutoGcmEngine}). Does nothing
     * for other providers or less work; never throws.
     *
     * @return whether ACCP's load was started (or found started) for it
     */
    public boolean expectWork(long bytes) {
        return this == AUTO && AutoGcmEngine.expect(bytes);
    }

    /**
     * The Amazon Corretto Crypto Provider, if it is on the class path, its native library loads on this platform,
     * and it passes its self-tests and an identical-bytes check against the JDK. The first call loads it (0.5-0.8 s),
     * once per JVM.
     */
    public static Optional<CryptoProvider> corretto() {
        return Optional.ofNullable(Corretto.PROVIDER);
    }

    /** Why {@link #corretto()} is empty, or empty if it is not. Loads ACCP like {@link #corretto()}. */
    public static Optional<String> correttoUnavailableReason() {
        return Optional.ofNullable(CorrettoCryptoProvider.get().unavailableReason());
    }

    /**
     * The provider chosen by the system property {@value #PROPERTY}: {@code auto} or unset → {@link #auto()};
     * {@code jdk} → {@link #jdk()}; {@code corretto} → {@link #corretto()}, which must be available.
     *
     * @throws IllegalStateException if the property has another value, or is {@code corretto} and ACCP is unavailable
     */
    public static CryptoProvider defaultProvider() {
        String choice = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (choice) {
            case "auto":
            case "":
                return AUTO;
            case "jdk":
                return JDK;
            case "corretto":
                return corretto().orElseThrow(() -> new IllegalStateException(
                    CorrettoCryptoProvider.get().unavailableReason() + ". -D" + PROPERTY + "=corretto requires it: "
                        + "add software.amazon.cryptools:AmazonCorrettoCryptoProvider with this platform's "
                        + "classifier (e.g. linux-x86_64), or set -D" + PROPERTY + "=auto to fall back to the JDK."));
            default:
                throw new IllegalStateException("System property " + PROPERTY + " is '" + choice + "'; use auto, jdk "
                    + "or corretto.");
        }
    }

    /** A specific JCA provider for AES-GCM. */
    public static CryptoProvider of(Provider provider) {
        Objects.requireNonNull(provider, "provider");
        return new CryptoProvider(provider, provider.getName(), () -> new JdkGcmEngine(provider));
    }

    /** This thread's AES-GCM engine. */
    public GcmEngine gcm() {
        return gcm.get();
    }

    /**
     * An AES-GCM engine of its own, for work that spans calls and may move between threads (one call at a time):
     * a region sealed slice by slice ({@link RegionEncryptor#slicing()}).
     */
    GcmEngine newGcm() {
        return engines.get();
    }

    /** The provider name, for diagnostics: {@code JDK default}, {@code auto (...)}, or a JCA provider's name. */
    public String name() {
        return name;
    }

    /** The JCA provider, or empty for the JDK's default providers and for {@link #auto()}. */
    public Optional<Provider> jcaProvider() {
        return Optional.ofNullable(provider);
    }

    @Override
    public String toString() {
        return "CryptoProvider[" + name + "]";
    }

    /** Loads ACCP on first use only, so a JVM that never asks for it never loads it. */
    private static final class Corretto {
        static final CryptoProvider PROVIDER = CorrettoCryptoProvider.get().provider() == null ? null
            : of(CorrettoCryptoProvider.get().provider());
    }
}
