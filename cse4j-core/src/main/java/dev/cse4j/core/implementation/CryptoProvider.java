package dev.cse4j.core.implementation;

import java.security.Provider;
import java.util.Objects;

/**
 * Where the region ciphers come from: the JDK's default providers, or a given JCA provider. Hands out one
 * {@link GcmEngine} per thread.
 */
public final class CryptoProvider {
    private static final CryptoProvider JDK = new CryptoProvider(null);

    private final Provider provider;
    private final ThreadLocal<GcmEngine> gcm;

    private CryptoProvider(Provider provider) {
        this.provider = provider;
        this.gcm = ThreadLocal.withInitial(() -> new JdkGcmEngine(provider));
    }

    /** The JDK's default providers (SunJCE for AES). */
    public static CryptoProvider jdk() {
        return JDK;
    }

    /** A specific JCA provider for AES-GCM. */
    public static CryptoProvider of(Provider provider) {
        return new CryptoProvider(Objects.requireNonNull(provider, "provider"));
    }

    /** This thread's AES-GCM engine. */
    public GcmEngine gcm() {
        return gcm.get();
    }

    /** The provider name, for diagnostics. */
    public String name() {
        return provider == null ? "JDK default" : provider.getName();
    }

    @Override
    public String toString() {
        return "CryptoProvider[" + name() + "]";
    }
}
