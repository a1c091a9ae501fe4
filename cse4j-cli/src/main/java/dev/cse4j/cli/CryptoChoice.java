package dev.cse4j.cli;

import dev.cse4j.blob.EncryptedBlobClientBuilder;
import dev.cse4j.core.implementation.CryptoProvider;

import javax.crypto.Cipher;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Locale;

/**
 * The AES-GCM provider of blob uploads and downloads. {@code target/cse4j.jar} ships the Amazon Corretto Crypto
 * Provider (ACCP: native AES-GCM, built for linux-x86_64 only). Unless the system property
 * {@value CryptoProvider#PROPERTY} says {@code jdk} or {@code corretto} (e.g.
 * {@code CSE4J_JAVA_OPTS=-Dcse4j.crypto.provider=jdk}), a transfer uses ACCP when it loads here and the JDK's provider
 * otherwise (another platform, a native library that does not load): silently, since both produce identical bytes;
 * {@code --version} and {@code --debug} say which, and why ACCP is not used.
 *
 * <p>A transfer command starts loading ACCP (0.4-0.8 s, once per JVM) on a daemon thread as it starts, alongside the
 * key file and client set-up, and waits for it only when it builds its encrypted client. Queue messages and table
 * entities (at most 64 KiB and 1 MiB) keep the library's default, which stays with the JDK for so little data: loading
 * ACCP would cost more than their crypto.
 */
final class CryptoChoice {
    private static final String CORRETTO = "AmazonCorrettoCryptoProvider";

    private CryptoChoice() {
    }

    /** Starts loading ACCP in the background if a transfer may use it; never throws. */
    static void preload() {
        if (!"jdk".equals(requested())) {
            CryptoProvider.preloadCorretto();
        }
    }

    /**
     * The provider blob transfers use: ACCP if it works here, else the JDK's; or as the system property says.
     *
     * @throws CliFailure if the property has an unknown value, or asks for ACCP and ACCP does not work here
     */
    static CryptoProvider forBlobs() {
        String requested = requested();
        if (requested.isEmpty() || "auto".equals(requested)) {
            return CryptoProvider.corretto().orElse(CryptoProvider.jdk());
        }
        try {
            return CryptoProvider.defaultProvider();
        } catch (IllegalStateException e) {
            throw new CliFailure(ExitCode.OTHER, Failures.oneLine(e.getMessage()), e);
        }
    }

    /**
     * Gives the builder {@link #forBlobs()}; with {@code --debug}, says which on stderr in one line.
     *
     * @throws CliFailure as {@link #forBlobs()}
     */
    static EncryptedBlobClientBuilder apply(EncryptedBlobClientBuilder builder, CliContext context, boolean debug) {
        CryptoProvider chosen = forBlobs();
        if (debug) {
            context.err().println("cse4j: " + describe(chosen));
        }
        return builder.cryptoProvider(chosen.jcaProvider().orElse(null)); // none: the JDK's
    }

    /** One line for {@code --version}: {@code crypto: } and the provider blob transfers use (or why none). */
    static String describe() {
        try {
            return describe(forBlobs());
        } catch (CliFailure e) {
            return "crypto: none, blob transfers fail: " + e.getMessage();
        }
    }

    private static String describe(CryptoProvider chosen) {
        Provider jca = chosen.jcaProvider().orElse(null);
        if (jca != null) {
            String name = CORRETTO.equals(jca.getName()) ? "Amazon Corretto Crypto Provider" : jca.getName();
            return "crypto: " + name + " " + jca.getVersionStr() + " (native AES-GCM)";
        }
        String jdk = "crypto: JDK " + jdkProvider();
        if ("jdk".equals(requested())) {
            return jdk + " (-D" + CryptoProvider.PROPERTY + "=jdk)";
        }
        return jdk + CryptoProvider.correttoUnavailableReason().map(why -> " (" + Failures.oneLine(why) + ")")
            .orElse("");
    }

    /** The JDK's AES-GCM provider as {@link CryptoProvider#jdk()} finds it, e.g. {@code SunJCE 17}. */
    private static String jdkProvider() {
        try {
            Provider provider = Cipher.getInstance("AES/GCM/NoPadding").getProvider();
            return provider.getName() + " " + provider.getVersionStr();
        } catch (GeneralSecurityException e) {
            return "(no AES-GCM: " + Failures.oneLine(e.getMessage()) + ")";
        }
    }

    private static String requested() {
        return System.getProperty(CryptoProvider.PROPERTY, "").trim().toLowerCase(Locale.ROOT);
    }
}
