package dev.cse4j.core.implementation;

import java.security.Provider;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the region ciphers come from: the JDK's providers, the Amazon Corretto Crypto Provider (ACCP) when it is on
 * the class path and works, or a given JCA provider. Hands out one {@link GcmEngine} per thread. Every choice yields
 * identical bytes; they differ only in speed (ACCP is native code: about twice the JDK 17's warm speed, and at full
 * speed from its first call).
 *
 * <p>The default, {@link #defaultProvider()}, follows the system property {@value #PROPERTY}: {@code auto} (the
 * default: ACCP when available, else the JDK), {@code jdk}, or {@code corretto} (ACCP, or fail).
 */
public final class CryptoProvider {
    /** System property choosing {@link #defaultProvider()}: {@code auto} (default), {@code jdk} or {@code corretto}. */
    public static final String PROPERTY = "cse4j.crypto.provider";

    private static final CryptoProvider JDK = new CryptoProvider(null, "JDK default");

    private final Provider provider;
    private final String name;
    private final ThreadLocal<GcmEngine> gcm;

    private CryptoProvider(Provider provider, String name) {
        this.provider = provider;
        this.name = name;
        this.gcm = ThreadLocal.withInitial(() -> new JdkGcmEngine(provider));
    }

    /** The JDK's own providers (SunJCE for AES). */
    public static CryptoProvider jdk() {
        return JDK;
    }

    /**
     * The Amazon Corretto Crypto Provider, if it is on the class path, its native library loads on this platform,
     * and it passes its self-tests and an identical-bytes check against the JDK; looked up once per JVM.
     */
    public static Optional<CryptoProvider> corretto() {
        return Optional.ofNullable(Corretto.PROVIDER);
    }

    /** Why {@link #corretto()} is empty, or empty if it is not. */
    public static Optional<String> correttoUnavailableReason() {
        return Optional.ofNullable(Corretto.LOADED.unavailableReason());
    }

    /** The fastest available: {@link #corretto()} if present, else {@link #jdk()}. */
    public static CryptoProvider best() {
        return corretto().orElse(JDK);
    }

    /**
     * The provider chosen by the system property {@value #PROPERTY}: {@code auto} or unset → {@link #best()};
     * {@code jdk} → {@link #jdk()}; {@code corretto} → {@link #corretto()}.
     *
     * @throws IllegalStateException if the property has another value, or is {@code corretto} and ACCP is unavailable
     */
    public static CryptoProvider defaultProvider() {
        String choice = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (choice) {
            case "auto":
            case "":
                return best();
            case "jdk":
                return JDK;
            case "corretto":
                return corretto().orElseThrow(() -> new IllegalStateException(
                    Corretto.LOADED.unavailableReason() + ". -D" + PROPERTY + "=corretto requires it: add "
                        + "software.amazon.cryptools:AmazonCorrettoCryptoProvider with this platform's classifier "
                        + "(e.g. linux-x86_64), or set -D" + PROPERTY + "=auto to fall back to the JDK."));
            default:
                throw new IllegalStateException("System property " + PROPERTY + " is '" + choice + "'; use auto, jdk "
                    + "or corretto.");
        }
    }

    /** A specific JCA provider for AES-GCM. */
    public static CryptoProvider of(Provider provider) {
        Objects.requireNonNull(provider, "provider");
        if (Corretto.PROVIDER != null && provider == Corretto.PROVIDER.provider) {
            return Corretto.PROVIDER;
        }
        return new CryptoProvider(provider, provider.getName());
    }

    /** This thread's AES-GCM engine. */
    public GcmEngine gcm() {
        return gcm.get();
    }

    /** The provider name, for diagnostics: {@code JDK default}, {@code Amazon Corretto Crypto Provider}, or a JCA name. */
    public String name() {
        return name;
    }

    /** The JCA provider, or empty for the JDK's default providers. */
    public Optional<Provider> jcaProvider() {
        return Optional.ofNullable(provider);
    }

    @Override
    public String toString() {
        return "CryptoProvider[" + name + "]";
    }

    /** Looks ACCP up on first use only, so a JVM that never asks for it never loads it. */
    private static final class Corretto {
        static final CorrettoCryptoProvider LOADED = CorrettoCryptoProvider.load(CryptoProvider.class.getClassLoader());
        static final CryptoProvider PROVIDER = LOADED.provider() == null ? null
            : new CryptoProvider(LOADED.provider(), "Amazon Corretto Crypto Provider");
    }
}
