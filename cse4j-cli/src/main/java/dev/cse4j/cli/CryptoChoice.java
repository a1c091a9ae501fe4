package dev.cse4j.cli;

import dev.cse4j.core.implementation.CryptoProvider;
import dev.cse4j.core.implementation.TerminalText;

import javax.crypto.Cipher;
import java.security.GeneralSecurityException;
import java.security.Provider;

/**
 * The AES-GCM provider of blob uploads and downloads, and how {@code --version} and {@code --debug} name it.
 * {@code target/cse4j.jar} ships the Amazon Corretto Crypto Provider (ACCP: native AES-GCM, built for linux-x86_64
 * only). Transfers use the library's choice ({@link CryptoProvider#defaultProvider()}): by default {@code auto}, the
 * JDK's provider, with ACCP loaded in the background for transfers of 4 GiB or more, where its speed repays its
 * 0.4-0.8 s load (smaller ones would only pay for it), or, where the JVM runs without the JIT's optimizing compiler
 * (as {@code bin/cse4j} starts a command on one object on linux-x86_64), from the first byte of a transfer of 8 MiB
 * or more and after the first 8 MiB of other work (there the JDK's AES-GCM stays slow, and ACCP's load costs about
 * what the JDK spends on 8 MiB); where ACCP does not load (another platform, a native library that does not load)
 * the JDK does everything, since both produce identical bytes. The system property {@value CryptoProvider#PROPERTY}
 * ({@code jdk}, {@code corretto} or {@code auto}, e.g. {@code CSE4J_JAVA_OPTS=-Dcse4j.crypto.provider=corretto})
 * overrides, as for the library.
 */
final class CryptoChoice {
    private static final String CORRETTO = "AmazonCorrettoCryptoProvider";

    private CryptoChoice() {
    }

    /**
     * The provider blob transfers use, as the system property says (default {@code auto}).
     *
     * @throws CliFailure if the property has an unknown value, or asks for ACCP and ACCP does not work here
     */
    static CryptoProvider forBlobs() {
        try {
            return CryptoProvider.defaultProvider();
        } catch (IllegalStateException e) {
            throw new CliFailure(ExitCode.OTHER, TerminalText.oneLine(e.getMessage()), e);
        }
    }

    /**
     * Checks the choice before a blob transfer and, with {@code --debug}, says it on stderr in one line; the
     * transfer's client keeps the library's default, which is that choice.
     *
     * @throws CliFailure as {@link #forBlobs()}
     */
    static void announce(CliContext context, boolean debug) {
        CryptoProvider chosen = forBlobs();
        if (debug) {
            context.err().println("cse4j: " + describe(chosen));
        }
    }

    /**
     * After a blob transfer: one warning line on stderr if its AES-GCM ran slowly because this JVM has no optimizing
     * JIT compiler (as {@code bin/cse4j} starts a command on one object on linux-x86_64) and the Amazon Corretto
     * Crypto Provider, tried for it, could not be used; it says how to bring the compiler back.
     */
    static void warnIfSlow(CliContext context) {
        CryptoProvider.slowWithoutOptimizingJit().ifPresent(why -> context.err().println(TerminalText.oneLine(
            "cse4j: warning: the transfer's encryption was slow: " + why + ". For large blobs set "
                + "CSE4J_JAVA_OPTS=-XX:TieredStopAtLevel=4.")));
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
        if (chosen == CryptoProvider.auto()) {
            String jdk = "crypto: JDK " + jdkProvider();
            return CryptoProvider.corretto()
                .map(corretto -> jdk + "; " + name(corretto.jcaProvider().orElseThrow())
                    + " for blob transfers of " + size(CryptoProvider.autoCorrettoThreshold()) + " or more")
                .orElseGet(() -> jdk + CryptoProvider.correttoUnavailableReason()
                    .map(why -> " (" + TerminalText.oneLine(why) + ")").orElse("") + withoutC2());
        }
        Provider jca = chosen.jcaProvider().orElse(null);
        if (jca != null) {
            return "crypto: " + name(jca);
        }
        return "crypto: JDK " + jdkProvider() + " (-D" + CryptoProvider.PROPERTY + "=jdk)";
    }

    /** What a JVM without the optimizing JIT compiler means for the JDK's AES-GCM, and how to bring it back. */
    private static String withoutC2() {
        return CryptoProvider.optimizingJit() ? ""
            : "; this JVM has no optimizing JIT compiler, so the JDK's AES-GCM runs at 20-50 MB/s: for large blobs set "
                + "CSE4J_JAVA_OPTS=-XX:TieredStopAtLevel=4";
    }

    /** {@code 4 GiB}, {@code 1 MiB}: the thresholds {@link CryptoProvider#autoCorrettoThreshold()} has. */
    private static String size(long bytes) {
        return bytes % (1L << 30) == 0 ? (bytes >> 30) + " GiB" : (bytes >> 20) + " MiB";
    }

    private static String name(Provider jca) {
        String name = CORRETTO.equals(jca.getName()) ? "Amazon Corretto Crypto Provider" : jca.getName();
        return name + " " + jca.getVersionStr() + " (native AES-GCM)";
    }

    /** The JDK's AES-GCM provider as {@link CryptoProvider#jdk()} finds it, e.g. {@code SunJCE 17}. */
    private static String jdkProvider() {
        try {
            Provider provider = Cipher.getInstance("AES/GCM/NoPadding").getProvider();
            return provider.getName() + " " + provider.getVersionStr();
        } catch (GeneralSecurityException e) {
            return "(no AES-GCM: " + TerminalText.oneLine(e.getMessage()) + ")";
        }
    }
}
