package dev.cse4j.core.implementation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every engine (the JDK's, and the Amazon Corretto Crypto Provider's, which is on this module's test class path)
 * yields exactly the bytes of a one-shot SunJCE AES-GCM call, opens what any other engine sealed, and releases no
 * plaintext when authentication fails.
 */
class GcmEngineTest {
    private static final int SLICE = JdkGcmEngine.SLICE;
    private static final byte[] NONCE = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

    /** The JDK, auto, and ACCP where its test dependency (classifier linux-x86_64) runs; elsewhere it must be absent. */
    static List<CryptoProvider> providers() {
        if (!CryptoProviderTest.correttoRunsHere()) {
            assertThat(CryptoProvider.corretto()).isEmpty();
            return List.of(CryptoProvider.jdk(), CryptoProvider.auto());
        }
        assertThat(CryptoProvider.corretto()).as("%s", CryptoProvider.correttoUnavailableReason()).isPresent();
        return List.of(CryptoProvider.jdk(), CryptoProvider.auto(), CryptoProvider.corretto().orElseThrow());
    }

    static Stream<Arguments> lengthsPerProvider() {
        int[] lengths = {0, 1, 15, 16, 17, SLICE - 1, SLICE, SLICE + 1, 3 * SLICE + 5,
            SunJceGcmWarmUp.TRIGGER + 3};
        return providers().stream().flatMap(p -> Arrays.stream(lengths).mapToObj(n -> Arguments.of(p, n)));
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("lengthsPerProvider")
    void seal_matchesOneShotSunJce_andOpensWithEveryEngine(CryptoProvider provider, int n) throws Exception {
        byte[] plaintext = random(n, n);
        for (byte[] aad : new byte[][] {null, random(13, 7)}) {
            SecretKey key = ContentKey.generate().secretKey();
            byte[] sealed = new byte[n + 16];
            int written = provider.gcm().seal(key, NONCE, 0, aad, plaintext, 0, n, sealed, 0);

            assertThat(written).isEqualTo(n + 16);
            assertThat(sealed).as("aad=%s", aad != null).isEqualTo(sunJceOneShot(key, aad, plaintext));
            for (CryptoProvider opener : providers()) {
                byte[] opened = new byte[n];
                assertThat(opener.gcm().open(key, NONCE, 0, aad, sealed, 0, sealed.length, opened, 0)).isEqualTo(n);
                assertThat(opened).as("opened by %s", opener).isEqualTo(plaintext);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void seal_inPlaceAtTheSameOffset_equalsSealingFromAnotherArray(CryptoProvider provider) throws Exception {
        SecretKey key = ContentKey.generate().secretKey();
        int n = 2 * SLICE + 7;
        byte[] plaintext = random(n, 1);
        byte[] buffer = new byte[5 + n + 16];
        System.arraycopy(plaintext, 0, buffer, 5, n);

        provider.gcm().seal(key, NONCE, 0, null, buffer, 5, n, buffer, 5);

        assertThat(Arrays.copyOfRange(buffer, 5, 5 + n + 16)).isEqualTo(sunJceOneShot(key, null, plaintext));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void open_anyTamperedByte_throwsAeadBadTag_andWritesNoPlaintext(CryptoProvider provider) throws Exception {
        SecretKey key = ContentKey.generate().secretKey();
        int n = SLICE + 100;
        byte[] plaintext = random(n, 2);
        byte[] aad = random(20, 3);
        byte[] sealed = sunJceOneShot(key, aad, plaintext);
        for (int position : new int[] {0, SLICE, n - 1, n, n + 15}) {
            byte[] tampered = sealed.clone();
            tampered[position] ^= 0x10;
            assertOpenFailsWithoutPlaintext(provider, key, aad, tampered, n);
        }
        byte[] otherAad = aad.clone();
        otherAad[0] ^= 1;
        assertOpenFailsWithoutPlaintext(provider, key, otherAad, sealed, n);
        assertOpenFailsWithoutPlaintext(provider, key, null, sealed, n);
        assertOpenFailsWithoutPlaintext(provider, ContentKey.generate().secretKey(), aad, sealed, n);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void seal_sameKeyAndNonceTwiceInARow_isRefused(CryptoProvider provider) {
        SecretKey key = ContentKey.generate().secretKey();
        byte[] out = new byte[64];
        provider.gcm().seal(key, NONCE, 0, null, new byte[10], 0, 10, out, 0);

        assertThatThrownBy(() -> provider.gcm().seal(key, NONCE, 0, null, new byte[10], 0, 10, out, 0))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("AES-GCM encryption failed");
    }

    @Test
    void jdkEngine_largeCall_hasWarmedUpSunJce_andStillYieldsTheSameBytes() throws Exception {
        SecretKey key = ContentKey.generate().secretKey();
        byte[] plaintext = random(SunJceGcmWarmUp.TRIGGER, 4);
        byte[] sealed = new byte[plaintext.length + 16];

        CryptoProvider.jdk().gcm().seal(key, NONCE, 0, null, plaintext, 0, plaintext.length, sealed, 0);

        assertThat(SunJceGcmWarmUp.isDone()).isTrue();
        assertThat(sealed).isEqualTo(sunJceOneShot(key, null, plaintext));
    }

    @Test
    void jdkEngine_usesSunJce_correttoEngine_usesAccp() {
        assertThat(((JdkGcmEngine) CryptoProvider.jdk().gcm()).provider().getName()).isEqualTo("SunJCE");
        CryptoProvider.corretto().ifPresent(corretto -> assertThat(((JdkGcmEngine) corretto.gcm()).provider()
            .getName()).isEqualTo("AmazonCorrettoCryptoProvider"));
    }

    @Test
    void autoEngine_onceCorrettoIsLoaded_usesIt_elseTheJdk() {
        CryptoProvider.preloadCorretto();
        CorrettoCryptoProvider.get(); // waits for that load (or finds ACCP missing)

        JdkGcmEngine engine = (JdkGcmEngine) new AutoGcmEngine().engineFor(1);

        assertThat(engine.provider().getName())
            .isEqualTo(CryptoProviderTest.correttoRunsHere() ? "AmazonCorrettoCryptoProvider" : "SunJCE");
    }

    /**
     * ACCP may finish loading while a region is sealed slice by slice on an auto engine (another unit's one-shot call
     * switches the engine in between): the region is finished on the engine it started on, and its bytes are those
     * of one whole-region call.
     */
    @Test
    void autoEngine_correttoLoadedMidRegion_finishesTheRegionOnTheEngineItStartedOn() throws Exception {
        CorrettoCryptoProvider accp = CorrettoCryptoProvider.get();
        java.util.concurrent.atomic.AtomicReference<CorrettoCryptoProvider> loaded =
            new java.util.concurrent.atomic.AtomicReference<>();
        AutoGcmEngine auto = new AutoGcmEngine(loaded::get);
        SecretKey key = ContentKey.generate().secretKey();
        byte[] plaintext = random(3 * SLICE + 5, 11);
        byte[] sealed = new byte[plaintext.length + 16];

        auto.sealStart(key, NONCE, 0, null, plaintext.length);
        int written = auto.sealUpdate(plaintext, 0, SLICE, sealed, 0);
        loaded.set(accp);
        byte[] other = new byte[10 + 16];
        auto.seal(key, new byte[12], 0, null, new byte[10], 0, 10, other, 0);
        String switchedTo = ((JdkGcmEngine) auto.engineFor(1)).provider().getName();
        written += auto.sealUpdate(plaintext, SLICE, plaintext.length - SLICE, sealed, written);
        written += auto.sealFinish(sealed, written);

        assertThat(switchedTo)
            .isEqualTo(CryptoProviderTest.correttoRunsHere() ? "AmazonCorrettoCryptoProvider" : "SunJCE");
        assertThat(written).isEqualTo(sealed.length);
        assertThat(sealed).isEqualTo(sunJceOneShot(key, null, plaintext));
        Cipher sunJce = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        sunJce.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, new byte[12]));
        assertThat(sunJce.doFinal(other)).isEqualTo(new byte[10]);
    }

    @Test
    void autoExpectingLargeWork_loadsCorretto_inTheBackground() throws Exception {
        assertThat(CryptoProvider.jdk().expectWork(Long.MAX_VALUE)).as("the JDK never loads ACCP").isFalse();
        assertThat(CryptoProvider.auto().expectWork(AutoGcmEngine.TRIGGER - 1L)).as("too little work").isFalse();

        assertThat(CryptoProvider.auto().expectWork(AutoGcmEngine.TRIGGER)).isTrue();

        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (CorrettoCryptoProvider.getIfDone() == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(CorrettoCryptoProvider.getIfDone()).as("the background load finished").isNotNull();
        assertThat(((JdkGcmEngine) new AutoGcmEngine().engineFor(1)).provider().getName())
            .isEqualTo(CryptoProviderTest.correttoRunsHere() ? "AmazonCorrettoCryptoProvider" : "SunJCE");
    }

    private static void assertOpenFailsWithoutPlaintext(CryptoProvider provider, SecretKey key, byte[] aad,
        byte[] sealed, int n) {
        byte[] out = new byte[n + 8];
        Arrays.fill(out, (byte) 0x5A);
        assertThatThrownBy(() -> provider.gcm().open(key, NONCE, 0, aad, sealed, 0, sealed.length, out, 4))
            .isInstanceOf(AEADBadTagException.class);
        for (byte b : out) {
            // untouched (0x5A) or cleared (0): random plaintext would show other values
            assertThat(b).isIn((byte) 0x5A, (byte) 0);
        }
    }

    static byte[] sunJceOneShot(SecretKey key, byte[] aad, byte[] plaintext) throws Exception {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, NONCE));
        if (aad != null) {
            cipher.updateAAD(aad);
        }
        return cipher.doFinal(plaintext);
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
