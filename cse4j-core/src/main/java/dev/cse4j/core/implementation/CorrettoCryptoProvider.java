package dev.cse4j.core.implementation;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Finds the Amazon Corretto Crypto Provider (ACCP, {@code software.amazon.cryptools:AmazonCorrettoCryptoProvider},
 * native AWS-LC code) by reflection, so cse4j has no dependency on it: it is used when it is on the class path and
 * works here. ACCP ships one jar per platform (e.g. classifier {@code linux-x86_64}); elsewhere, or when its native
 * library cannot be loaded, or when it fails its self-tests or does not reproduce the JDK's AES-GCM bytes exactly,
 * it is reported unavailable with the reason, and cse4j uses the JDK. Loading it never throws.
 *
 * <p>Loading ACCP takes 0.5-0.8 s of a JVM's life (measured: 0.3-0.55 s of class initialisation, which loads its 10 MB
 * native library, then 0.17-0.29 s of self-tests), so it happens once per JVM, on first need: {@link #get()} waits
 * for it, {@link #startLoading()} runs it on a daemon thread while the caller carries on (with the JDK, or, in a JVM
 * without C2, waiting for it in {@link AutoGcmEngine}).
 *
 * <p>ACCP has no AES key wrap; cse4j uses it only for AES-GCM regions (key wrapping stays with the JDK).
 */
final class CorrettoCryptoProvider {
    static final String CLASS_NAME = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";

    private static final FutureTask<CorrettoCryptoProvider> LOADING =
        new FutureTask<>(() -> load(CorrettoCryptoProvider.class.getClassLoader()));
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private final Provider provider;
    private final String unavailableReason;

    private CorrettoCryptoProvider(Provider provider, String unavailableReason) {
        this.provider = provider;
        this.unavailableReason = unavailableReason;
    }

    /** The provider if it works, else {@code null} (see {@link #unavailableReason()}). */
    Provider provider() {
        return provider;
    }

    /** Why the provider cannot be used, or {@code null} if it can. */
    String unavailableReason() {
        return unavailableReason;
    }

    /** This JVM's lookup of ACCP; loads it (or waits for {@link #startLoading()} to finish) on first call. */
    static CorrettoCryptoProvider get() {
        LOADING.run(); // no-op if done, or if the background loader is running it (then get() waits)
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return LOADING.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            return unavailable("it failed to start: " + e.getCause()); // load never throws; for the compiler
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts this JVM's lookup of ACCP on a daemon thread, once. */
    static void startLoading() {
        if (!LOADING.isDone() && STARTED.compareAndSet(false, true)) {
            try {
                Thread loader = new Thread(LOADING, "cse4j-corretto-loader");
                loader.setDaemon(true);
                loader.start();
            } catch (RuntimeException | OutOfMemoryError e) {
                // no thread to spare (security manager, thread limit): stay with the JDK; get() still loads ACCP
            }
        }
    }

    /** Whether this JVM's lookup of ACCP has started on a daemon thread ({@link #startLoading()}). */
    static boolean loadStarted() {
        return STARTED.get();
    }

    /** This JVM's lookup of ACCP if it has finished, else {@code null} (without starting it). */
    static CorrettoCryptoProvider getIfDone() {
        return LOADING.isDone() ? get() : null;
    }

    /** Looks for ACCP through {@code loader}; never throws. */
    static CorrettoCryptoProvider load(ClassLoader loader) {
        Class<?> type;
        try {
            type = Class.forName(CLASS_NAME, true, loader);
        } catch (ClassNotFoundException e) {
            return unavailable("it is not on the class path");
        } catch (LinkageError e) {
            return unavailable("its classes failed to load: " + e);
        }
        try {
            Provider provider = (Provider) type.getField("INSTANCE").get(null);
            Object loadingError = type.getMethod("getLoadingError").invoke(provider);
            if (loadingError != null) {
                return unavailable("its native library did not load on " + System.getProperty("os.name") + "/"
                    + System.getProperty("os.arch") + ": " + loadingError);
            }
            type.getMethod("assertHealthy").invoke(provider);
            if (!sameBytesAsJdk(provider)) {
                return unavailable("its AES-GCM output differs from the JDK's");
            }
            return new CorrettoCryptoProvider(provider, null);
        } catch (java.lang.reflect.InvocationTargetException e) {
            return unavailable("it is unhealthy: " + e.getCause());
        } catch (ReflectiveOperationException | GeneralSecurityException | RuntimeException | LinkageError e) {
            return unavailable("it failed to start: " + e);
        }
    }

    private static CorrettoCryptoProvider unavailable(String reason) {
        return new CorrettoCryptoProvider(null, "The Amazon Corretto Crypto Provider is not used: " + reason);
    }

    /** One AES-GCM encryption and decryption checked against SunJCE: identical bytes, or ACCP is not used. */
    private static boolean sameBytesAsJdk(Provider provider) throws GeneralSecurityException {
        byte[] keyBytes = new byte[ContentKey.LENGTH];
        byte[] nonce = new byte[RegionLayout.NONCE_LENGTH];
        byte[] plaintext = new byte[100];
        for (int i = 0; i < plaintext.length; i++) {
            plaintext[i] = (byte) i;
        }
        for (int i = 0; i < keyBytes.length; i++) {
            keyBytes[i] = (byte) (7 * i + 1);
        }
        nonce[0] = 1;
        SecretKeySpec key = new SecretKeySpec(keyBytes, "AES");
        GCMParameterSpec spec = new GCMParameterSpec(RegionLayout.TAG_LENGTH * 8, nonce);
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        jdk.init(Cipher.ENCRYPT_MODE, key, spec);
        byte[] expected = jdk.doFinal(plaintext);
        Cipher accp = Cipher.getInstance("AES/GCM/NoPadding", provider);
        accp.init(Cipher.ENCRYPT_MODE, key, spec);
        byte[] actual = accp.doFinal(plaintext);
        accp.init(Cipher.DECRYPT_MODE, key, spec);
        return Arrays.equals(expected, actual) && Arrays.equals(plaintext, accp.doFinal(expected));
    }
}
