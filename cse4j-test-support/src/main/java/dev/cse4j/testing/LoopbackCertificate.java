package dev.cse4j.testing;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed TLS certificate for {@code 127.0.0.1} (subject alternative names {@code IP:127.0.0.1} and
 * {@code DNS:localhost}), made once per JVM by the running JDK's own {@code keytool} (an EC P-256 key, valid for two
 * days) in a temporary PKCS #12 file that is read and deleted at once. The JDK has no public API that issues a
 * certificate, and a library that does (Bouncy Castle) would be the largest dependency of this module for one call.
 *
 * <p>{@link #serverContext()} presents the certificate; {@link #clientContext()} trusts it and nothing else, so a
 * client built with it talks only to servers holding this JVM's certificate.
 */
final class LoopbackCertificate {
    private static final String ALIAS = "cse4j-loopback";
    private static LoopbackCertificate instance;

    private final KeyStore keyStore;
    private final char[] password;

    private LoopbackCertificate(KeyStore keyStore, char[] password) {
        this.keyStore = keyStore;
        this.password = password;
    }

    /** The JVM's certificate, made on first use (about half a second: one {@code keytool} run). */
    static synchronized LoopbackCertificate get() {
        if (instance == null) {
            instance = create();
        }
        return instance;
    }

    /** A TLS context that presents the certificate (for servers). */
    SSLContext serverContext() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not build a server TLS context from the loopback certificate: "
                + e.getMessage(), e);
        }
    }

    /** A TLS context that trusts the certificate and nothing else (for clients). */
    SSLContext clientContext() {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry(ALIAS, certificate());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Could not build a client TLS context trusting the loopback certificate: "
                + e.getMessage(), e);
        }
    }

    /** The certificate itself (public). */
    Certificate certificate() {
        try {
            return keyStore.getCertificate(ALIAS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static LoopbackCertificate create() {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        char[] password = HexFormat.of().formatHex(random).toCharArray();
        Path directory = null;
        try {
            directory = Files.createTempDirectory("cse4j-tls");
            Path file = directory.resolve("loopback.p12");
            runKeytool(file, new String(password));
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                store.load(in, password);
            }
            return new LoopbackCertificate(store, password);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not make the loopback TLS certificate: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not read the loopback TLS certificate that keytool made: "
                + e.getMessage(), e);
        } finally {
            deleteQuietly(directory);
        }
    }

    private static void runKeytool(Path file, String password) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = List.of(keytool.toString(), "-genkeypair", "-noprompt",
            "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
            "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
            "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", password, "-keypass", password);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(Redirect.PIPE)
            .start();
        process.getOutputStream().close();
        String output;
        try (InputStream out = process.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(keytool + " did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while " + keytool + " made the loopback certificate", e);
        }
        if (process.exitValue() != 0 || !Files.isRegularFile(file)) {
            throw new IOException(keytool + " failed (exit " + process.exitValue() + "): " + output.strip()
                + ". The tests need the running JDK's keytool.");
        }
    }

    private static void deleteQuietly(Path directory) {
        if (directory == null) {
            return;
        }
        try (var files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException ignored) {
            // a leftover file in the temporary directory holds only a throw-away test certificate
        }
    }
}
