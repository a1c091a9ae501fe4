package dev.cse4j.core.implementation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.parallel.Isolated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Isolated("it sets cse4j.crypto.provider, which every client built meanwhile would read")
class CryptoProviderTest {
    /** This module's test class path carries ACCP's linux-x86_64 jar. */
    static boolean correttoRunsHere() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        return os.contains("linux") && ("amd64".equals(arch) || "x86_64".equals(arch));
    }

    @Test
    void corretto_isAvailableWhereItsNativeLibraryRuns_elseReportsWhy() {
        if (correttoRunsHere()) {
            assertThat(CryptoProvider.corretto()).isPresent();
            assertThat(CryptoProvider.correttoUnavailableReason()).isEmpty();
            assertThat(CryptoProvider.corretto().orElseThrow().name()).isEqualTo("AmazonCorrettoCryptoProvider");
            assertThat(CryptoProvider.corretto().orElseThrow().jcaProvider().orElseThrow().getName())
                .isEqualTo("AmazonCorrettoCryptoProvider");
        } else {
            assertThat(CryptoProvider.corretto()).isEmpty();
            assertThat(CryptoProvider.correttoUnavailableReason().orElseThrow()).contains("native library");
        }
    }

    @Test
    void jdkAndAuto_nameThemselves_withoutAJcaProvider() {
        assertThat(CryptoProvider.jdk().name()).isEqualTo("JDK default");
        assertThat(CryptoProvider.auto().name()).startsWith("auto");
        assertThat(CryptoProvider.jdk().jcaProvider()).isEmpty();
        assertThat(CryptoProvider.auto().jcaProvider()).isEmpty();
    }

    @Test
    void defaultProvider_followsTheSystemProperty() {
        String saved = System.getProperty(CryptoProvider.PROPERTY);
        try {
            System.clearProperty(CryptoProvider.PROPERTY);
            assertThat(CryptoProvider.defaultProvider()).isSameAs(CryptoProvider.auto());
            assertThat(TestKeys.settings().cryptoProvider())
                .isSameAs(CryptoProvider.auto());
            System.setProperty(CryptoProvider.PROPERTY, " Auto ");
            assertThat(CryptoProvider.defaultProvider()).isSameAs(CryptoProvider.auto());
            System.setProperty(CryptoProvider.PROPERTY, "jdk");
            assertThat(CryptoProvider.defaultProvider()).isSameAs(CryptoProvider.jdk());
            assertThat(TestKeys.settings().cryptoProvider())
                .isSameAs(CryptoProvider.jdk());
            System.setProperty(CryptoProvider.PROPERTY, "corretto");
            if (correttoRunsHere()) {
                assertThat(CryptoProvider.defaultProvider()).isSameAs(CryptoProvider.corretto().orElseThrow());
            } else {
                assertThatThrownBy(CryptoProvider::defaultProvider).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("=auto to fall back");
            }
            System.setProperty(CryptoProvider.PROPERTY, "bouncycastle");
            assertThatThrownBy(CryptoProvider::defaultProvider).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'bouncycastle'").hasMessageContaining("auto, jdk or corretto");
        } finally {
            if (saved == null) {
                System.clearProperty(CryptoProvider.PROPERTY);
            } else {
                System.setProperty(CryptoProvider.PROPERTY, saved);
            }
        }
    }

    @Test
    void load_whenTheClassIsMissing_isUnavailable_withoutThrowing() throws IOException {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            CorrettoCryptoProvider loaded = CorrettoCryptoProvider.load(empty);

            assertThat(loaded.provider()).isNull();
            assertThat(loaded.unavailableReason()).contains("not on the class path");
        }
    }

    @Test
    void load_whenTheNativeLibraryIsMissing_isUnavailable_withoutThrowing(@TempDir Path dir) throws Exception {
        // ACCP's own jar minus its native library (and signature): what a platform without a matching library sees
        Path withoutNative = dir.resolve("accp-without-native.jar");
        copyJarWithout(accpJar(), withoutNative, "libamazonCorrettoCryptoProvider", "META-INF/");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {withoutNative.toUri().toURL()},
            ClassLoader.getPlatformClassLoader())) {
            CorrettoCryptoProvider loaded = CorrettoCryptoProvider.load(loader);

            assertThat(loaded.provider()).isNull();
            assertThat(loaded.unavailableReason()).contains("native library did not load");
        }
    }

    private static Path accpJar() throws Exception {
        Class<?> accp = Class.forName(CorrettoCryptoProvider.CLASS_NAME);
        return Path.of(accp.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static void copyJarWithout(Path source, Path target, String... excludedPrefixes) throws IOException {
        try (JarFile in = new JarFile(source.toFile());
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(target))) {
            Enumeration<JarEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                boolean excluded = false;
                for (String prefix : excludedPrefixes) {
                    excluded |= entry.getName().startsWith(prefix) || entry.getName().contains("/" + prefix);
                }
                if (excluded) {
                    continue;
                }
                out.putNextEntry(new JarEntry(entry.getName()));
                try (InputStream data = in.getInputStream(entry)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
        }
    }
}
