package dev.cse4j.core.implementation;

import dev.cse4j.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JVM without the JIT's optimizing compiler ({@code -XX:TieredStopAtLevel=1}, as {@code bin/cse4j} starts on
 * linux-x86_64) is told apart from one with it, and there {@link CryptoProvider#auto()} moves to the Amazon Corretto
 * Crypto Provider after the first 8 MiB (or from the first call of work announced that large) while the JDK's
 * warm-up, which cannot succeed there, is skipped with a warning. Each case runs {@link Child} in a JVM of its own
 * with the options under test.
 */
class OptimizingJitTest {
    @Test
    void available_inThisDefaultJvm() {
        assertThat(OptimizingJit.available()).isTrue();
        assertThat(CryptoProvider.optimizingJit()).isTrue();
        assertThat(CryptoProvider.autoCorrettoThreshold()).isEqualTo(AutoGcmEngine.TRIGGER);
    }

    @Test
    void c1Only_autoMovesToCorrettoWithTheCallThatCrosses8MiB_andYieldsTheJdksBytes() throws Exception {
        List<String> out = child("-XX:TieredStopAtLevel=1", "auto");

        assertThat(out).contains("optimizing false", "threshold " + AutoGcmEngine.WITHOUT_OPTIMIZING_JIT,
            "same bytes true");
        assertThat(out).containsSubsequence("engine before SunJCE", "engine after 1 MiB SunJCE", "engine after 8 MiB "
            + (CryptoProviderTest.correttoRunsHere() ? "AmazonCorrettoCryptoProvider" : "SunJCE"));
    }

    @Test
    void c1Only_onANonBlockingThread_autoDoesNotWaitForCorretto_butSwitchesOnceItHasLoaded() throws Exception {
        List<String> out = child("-XX:TieredStopAtLevel=1", "auto-nonblocking");

        assertThat(out).contains("same bytes true", "engine on the non-blocking thread after 8 MiB SunJCE");
        assertThat(out).contains("engine once loaded "
            + (CryptoProviderTest.correttoRunsHere() ? "AmazonCorrettoCryptoProvider" : "SunJCE"));
    }

    @Test
    void c1Only_workOf8MiBAnnounced_autoUsesCorrettoFromTheFirstCall() throws Exception {
        List<String> out = child("-XX:TieredStopAtLevel=1", "announced");

        assertThat(out).contains("too little announced false", "announced true", "same bytes true");
        assertThat(out).contains("engine after announced 1 MiB "
            + (CryptoProviderTest.correttoRunsHere() ? "AmazonCorrettoCryptoProvider" : "SunJCE"));
    }

    @Test
    void c1Only_workAnnouncedAndSealedOnANonBlockingThread_underBlockHound_neverBlocks() throws Exception {
        List<String> out = child(List.of("-XX:TieredStopAtLevel=1", "-XX:+AllowRedefinitionToAddDeleteMethods"),
            "announced-nonblocking", Map.of());

        assertThat(out).contains("announced true", "sealed without blocking", "same bytes true");
        assertThat(out).contains("engine once loaded "
            + (CryptoProviderTest.correttoRunsHere() ? "AmazonCorrettoCryptoProvider" : "SunJCE"));
    }

    @Test
    void withC2_workOf8MiBAnnounced_autoStaysWithTheJdk() throws Exception {
        List<String> out = child("-XX:TieredStopAtLevel=4", "announced");

        assertThat(out).contains("too little announced false", "announced false", "same bytes true",
            "engine after announced 1 MiB SunJCE");
    }

    @Test
    void withC2_autoStaysWithTheJdkPast8MiB() throws Exception {
        List<String> out = child("-XX:TieredStopAtLevel=4", "auto");

        assertThat(out).contains("optimizing true", "threshold " + AutoGcmEngine.TRIGGER, "engine after 8 MiB SunJCE",
            "same bytes true");
    }

    @Test
    void c1Only_jdkProvider_skipsTheWarmUp_whichCannotSucceedThere() throws Exception {
        List<String> out = child(List.of("-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug"),
            "jdk", Map.of("AZURE_LOG_LEVEL", "verbose"));

        assertThat(out).contains("optimizing false", "same bytes true", "warmed true");
        assertThat(out).anySatisfy(line -> assertThat(line).contains("AES-GCM warm-up skipped: this JVM has no "
            + "optimizing JIT compiler"));
    }

    @Test
    void interpreterOnly_c1AtEveryLevel_andC1Modes_haveNone_c2Only_has() throws Exception {
        assertThat(child("-Xint", "none")).contains("optimizing false");
        assertThat(child("-XX:TieredStopAtLevel=3", "none")).contains("optimizing false");
        assertThat(child("-XX:CompilationMode=quick-only", "none")).contains("optimizing false");
        assertThat(child("-XX:+NeverActAsServerClassMachine", "none")).contains("optimizing false");
        assertThat(child("-XX:-TieredCompilation", "none")).contains("optimizing true");
        assertThat(child("-XX:TieredStopAtLevel=4", "none")).contains("optimizing true");
    }

    @Test
    void c1Only_throughTheLaunchersAndTheJvmsVariables_orAnArgumentFile_isSeen(@TempDir Path folder)
        throws Exception {
        Path argumentFile = Files.writeString(folder.resolve("jvm.args"), "-XX:TieredStopAtLevel=1\n");

        for (String variable : List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS")) {
            assertThat(child("-Dx=y", "none", Map.of(variable, "-XX:TieredStopAtLevel=1"))).as(variable)
                .contains("optimizing false");
        }
        assertThat(child("@" + argumentFile, "none")).contains("optimizing false");
        assertThat(child("-Dx=y", "none", Map.of("JAVA_TOOL_OPTIONS", "-Xmx256m"))).contains("optimizing true");
    }

    @Test
    void mayLimitTheJit_onlyWhenAnOptionNamesTheJitOrComesFromElsewhere() {
        UnaryOperator<String> none = name -> null;
        String plain = String.join("\0", "java", "-Xmx1g", "-cp", "a.jar:b.jar", "app.Main", "--flag");

        assertThat(OptimizingJit.mayLimitTheJit(plain, none)).isFalse();
        assertThat(OptimizingJit.mayLimitTheJit(null, none)).as("unknown command line").isTrue();
        assertThat(OptimizingJit.mayLimitTheJit(plain, name -> name.equals("JDK_JAVA_OPTIONS") ? "-Xmx1g" : null))
            .isTrue();
        for (String option : List.of("-XX:TieredStopAtLevel=1", "-XX:-TieredCompilation", "-Xint",
            "-XX:CompilationMode=quick-only", "-XX:+NeverActAsServerClassMachine", "-XX:Flags=.hotspotrc",
            "-XX:VMOptionsFile=jvm.opts", "@jvm.args", "-XX:-UseCompiler")) {
            assertThat(OptimizingJit.mayLimitTheJit(plain.replace("-Xmx1g", option), none)).as(option).isTrue();
        }
    }

    /** Runs {@link Child} with {@code jvmOption} and {@code mode}; returns its stdout and stderr lines. */
    private static List<String> child(String jvmOption, String mode) throws IOException, InterruptedException {
        return child(jvmOption, mode, Map.of());
    }

    private static List<String> child(String jvmOption, String mode, Map<String, String> environment)
        throws IOException, InterruptedException {
        return child(List.of(jvmOption), mode, environment);
    }

    private static List<String> child(List<String> jvmOptions, String mode, Map<String, String> environment)
        throws IOException, InterruptedException {
        Map<String, String> quiet = new HashMap<>(Map.of("AZURE_LOG_LEVEL", "warning"));
        quiet.putAll(environment);
        ChildJvm.Result result = ChildJvm.run(jvmOptions, Child.class, List.of(mode), quiet, Duration.ofSeconds(60),
            process -> { });
        assertThat(result.exitCode()).as(String.join("\n", result.output())).isZero();
        return result.output();
    }

    /**
     * Prints whether its JVM has the optimizing compiler and auto's threshold; with {@code auto} or {@code jdk}, seals
     * 1 MiB (the JDK's warm-up trigger), then with {@code auto} 7 MiB more (the call that reaches 8 MiB), and prints
     * the engine after each, whether every call's bytes are SunJCE's, and whether the JDK's warm-up is done.
     */
    static final class Child {
        public static void main(String[] args) throws Exception {
            if (args[0].equals("announced-nonblocking")) {
                announcedNonBlocking();
                return;
            }
            System.out.println("optimizing " + OptimizingJit.available());
            System.out.println("threshold " + CryptoProvider.autoCorrettoThreshold());
            if (args[0].equals("none")) {
                return;
            }
            if (args[0].equals("auto-nonblocking")) {
                nonBlocking();
                return;
            }
            if (args[0].equals("announced")) {
                announced();
                return;
            }
            GcmEngine engine = (args[0].equals("auto") ? CryptoProvider.auto() : CryptoProvider.jdk()).gcm();
            SecretKey key = ContentKey.generate().secretKey();
            boolean same = true;
            if (engine instanceof AutoGcmEngine auto) {
                System.out.println("engine before " + ((JdkGcmEngine) auto.engineFor(0)).provider().getName());
            }
            for (int mib : engine instanceof AutoGcmEngine ? new int[] {1, 7} : new int[] {1}) {
                byte[] plaintext = new byte[mib << 20];
                Arrays.fill(plaintext, (byte) mib);
                byte[] nonce = new byte[12];
                nonce[0] = (byte) mib;
                byte[] sealed = new byte[plaintext.length + 16];
                engine.seal(key, nonce, 0, null, plaintext, 0, plaintext.length, sealed, 0);
                if (engine instanceof AutoGcmEngine auto) {
                    System.out.println("engine after " + (mib == 1 ? 1 : 8) + " MiB "
                        + ((JdkGcmEngine) auto.engineFor(0)).provider().getName());
                }
                same &= sunJceSeals(key, nonce, plaintext, sealed);
            }
            System.out.println("same bytes " + same);
            System.out.println("warmed " + SunJceGcmWarmUp.isDone());
        }

        /**
         * Announces 1 byte less than {@link AutoGcmEngine#WITHOUT_OPTIMIZING_JIT}, then that much, and prints whether
         * each started Corretto's load; seals 1 MiB and prints the engine that sealed it and whether its bytes are
         * SunJCE's.
         */
        private static void announced() throws Exception {
            long work = AutoGcmEngine.WITHOUT_OPTIMIZING_JIT;
            System.out.println("too little announced " + CryptoProvider.auto().expectWork(work - 1));
            System.out.println("announced " + CryptoProvider.auto().expectWork(work));
            AutoGcmEngine auto = (AutoGcmEngine) CryptoProvider.auto().gcm();
            SecretKey key = ContentKey.generate().secretKey();
            byte[] plaintext = new byte[1 << 20];
            Arrays.fill(plaintext, (byte) 7);
            byte[] nonce = new byte[12];
            byte[] sealed = new byte[plaintext.length + 16];
            GcmEngine first = auto.engineFor(plaintext.length);
            first.seal(key, nonce, 0, null, plaintext, 0, plaintext.length, sealed, 0);
            System.out.println("engine after announced 1 MiB " + ((JdkGcmEngine) first).provider().getName());
            System.out.println("same bytes " + sunJceSeals(key, nonce, plaintext, sealed));
        }

        /**
         * With BlockHound installed (a blocking call on a non-blocking thread throws), announces 8 MiB of work on
         * Reactor's parallel scheduler, as an asynchronous transfer may, before anything in this JVM asked whether it
         * has C2, and seals 1 MiB there; prints that it did not block, then waits for Corretto's load on this thread
         * and prints the auto engine's engine then.
         */
        private static void announcedNonBlocking() throws Exception {
            reactor.blockhound.BlockHound.install();
            AutoGcmEngine auto = (AutoGcmEngine) CryptoProvider.auto().gcm();
            SecretKey key = ContentKey.generate().secretKey();
            byte[] plaintext = new byte[1 << 20];
            byte[] nonce = new byte[12];
            byte[] sealed = new byte[plaintext.length + 16];
            boolean announced = reactor.core.publisher.Mono.fromCallable(() -> {
                boolean started = CryptoProvider.auto().expectWork(AutoGcmEngine.WITHOUT_OPTIMIZING_JIT);
                auto.seal(key, nonce, 0, null, plaintext, 0, plaintext.length, sealed, 0);
                return started;
            }).subscribeOn(reactor.core.scheduler.Schedulers.parallel()).block();
            System.out.println("announced " + announced);
            System.out.println("sealed without blocking");
            CorrettoCryptoProvider.get();
            System.out.println("engine once loaded " + ((JdkGcmEngine) auto.engineFor(0)).provider().getName());
            System.out.println("same bytes " + sunJceSeals(key, nonce, plaintext, sealed));
        }

        /**
         * On Reactor's parallel scheduler (a thread that must not block), takes an auto engine's engine for the call
         * that reaches 8 MiB and seals with it, prints which it was, waits for Corretto's background load, and prints
         * the auto engine's engine then.
         */
        private static void nonBlocking() throws Exception {
            AutoGcmEngine auto = (AutoGcmEngine) CryptoProvider.auto().gcm();
            SecretKey key = ContentKey.generate().secretKey();
            byte[] plaintext = new byte[(int) AutoGcmEngine.WITHOUT_OPTIMIZING_JIT];
            byte[] nonce = new byte[12];
            byte[] sealed = new byte[plaintext.length + 16];
            String after = reactor.core.publisher.Mono.fromCallable(() -> {
                GcmEngine crossing = auto.engineFor(plaintext.length); // the call that reaches 8 MiB
                crossing.seal(key, nonce, 0, null, plaintext, 0, plaintext.length, sealed, 0);
                return ((JdkGcmEngine) crossing).provider().getName();
            }).subscribeOn(reactor.core.scheduler.Schedulers.parallel()).block();
            System.out.println("engine on the non-blocking thread after 8 MiB " + after);
            CorrettoCryptoProvider.get(); // this thread may wait: the background load finishes
            System.out.println("engine once loaded " + ((JdkGcmEngine) auto.engineFor(0)).provider().getName());
            System.out.println("same bytes " + sunJceSeals(key, nonce, plaintext, sealed));
        }

        /** Whether SunJCE seals {@code plaintext} under {@code key} and {@code nonce} (no AAD) into {@code sealed}. */
        private static boolean sunJceSeals(SecretKey key, byte[] nonce, byte[] plaintext, byte[] sealed)
            throws Exception {
            Cipher sunJce = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
            sunJce.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            return Arrays.equals(sealed, sunJce.doFinal(plaintext));
        }
    }
}
