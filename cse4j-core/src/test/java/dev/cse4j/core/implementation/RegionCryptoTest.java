package dev.cse4j.core.implementation;

import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.testing.HoldingGcmProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegionCryptoTest {
    private static final int MIB4 = 4 * 1024 * 1024;

    static Stream<Arguments> sizes() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (int r : new int[] {16, MIB4}) {
            EncryptionProtocol protocol = r == MIB4 ? EncryptionProtocol.V2_0 : EncryptionProtocol.V2_1;
            java.util.Set<Long> distinct = new java.util.TreeSet<>(
                java.util.List.of(0L, 1L, 15L, 16L, 17L, r - 1L, (long) r, r + 1L, 2L * r, 5L * r + 3));
            for (long n : distinct) {
                b.add(Arguments.of(protocol, r, (int) n));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} R={1} n={2}")
    @MethodSource("sizes")
    void encryptAll_hasDocumentedLayout_andRoundTrips(EncryptionProtocol protocol, int r, int n) throws Exception {
        byte[] plaintext = random(n, n);
        Envelope envelope = Envelope.seal(TestKeys.settings(), protocol, r, EncryptionData.FULL_BLOB);
        byte[] encrypted = Regions.encryptAll(envelope.regionEncryptor(), plaintext);

        long regions = (n + r - 1) / r;
        assertThat((long) encrypted.length).isEqualTo(n + regions * 28);
        for (long i = 0; i < regions; i++) {
            int start = (int) (i * (r + 28L));
            int len = (int) Math.min(r, n - i * r);
            byte[] nonce = Arrays.copyOfRange(encrypted, start, start + 12);
            byte[] expectedNonce = new byte[12];
            for (int k = 0; k < 8; k++) {
                expectedNonce[k] = (byte) (i >>> (56 - 8 * k));
            }
            assertThat(nonce).as("Java nonce of region %d", i).isEqualTo(expectedNonce);
            // Each region is plain AES-256-GCM (no AAD) under the content key: decrypt it independently with the JDK.
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, envelope.key().secretKey(), new GCMParameterSpec(128, nonce));
            byte[] region = gcm.doFinal(encrypted, start + 12, len + 16);
            assertThat(region).isEqualTo(Arrays.copyOfRange(plaintext, (int) (i * r), (int) (i * r) + len));
        }

        Envelope opened = Envelope.open(TestKeys.settings(), EncryptionData.parse(envelope.data().toJsonString()), "x");
        assertThat(Regions.decryptAll(opened.regionDecryptor(), encrypted)).isEqualTo(plaintext);
    }

    static Stream<Arguments> slicings() {
        int k = JdkGcmEngine.SLICE;
        // slices of a region, in plaintext bytes; the last one of each is what is left of the region
        int[][] patterns = {{0}, {1}, {16, 0, 16, 1}, {7, 9, 33, 100}, {k, k, 5}, {3 * k + 16, 7}, {100_000, 48, 9_999}};
        return GcmEngineTest.providers().stream().flatMap(p -> Arrays.stream(patterns).map(s -> Arguments.of(p, s)));
    }

    @ParameterizedTest(name = "{0} slices={1}")
    @MethodSource("slicings")
    void slicing_aRegionInAnySlices_writesTheBytesOfWholeRegionEncryption(CryptoProvider provider, int[] slices) {
        int len = Arrays.stream(slices).sum();
        RegionLayout layout = new RegionLayout(Math.max(16, len));
        RegionEncryptor encryptor = new RegionEncryptor(ContentKey.generate(), layout, provider);
        byte[] plaintext = random(len, len);
        // in place, as an upload's spool does, where every slice but the last is whole 16-byte blocks
        boolean inPlace = Arrays.stream(slices, 0, slices.length - 1).allMatch(n -> n % 16 == 0);

        RegionEncryptor.Slicing slicing = encryptor.slicing();
        for (long index = 5; index < 7; index++) { // one Slicing does region after region
            byte[] whole = new byte[len + 28];
            encryptor.encryptRegion(index, plaintext, 0, len, whole, 0);
            byte[] sliced = new byte[len + 28 + 15];
            int at = slicing.begin(index, len, sliced, 0);
            int from = 0;
            for (int n : slices) {
                byte[] in = Arrays.copyOfRange(plaintext, from, from + n + 15);
                byte[] out = inPlace ? in : new byte[n + 15];
                int written = slicing.update(in, 0, n, out, 0);
                System.arraycopy(out, 0, sliced, at, written);
                at += written;
                from += n;
            }
            at += slicing.finish(sliced, at);
            assertThat(at).isEqualTo(len + 28);
            assertThat(Arrays.copyOf(sliced, at)).as("region %d", index).isEqualTo(whole);
        }
    }

    @Test
    void slicing_withAProviderThatHoldsCiphertextUntilTheEnd_saysSo_andOneSliceRegionsAreTheWholeRegionBytes() {
        CryptoProvider holding = CryptoProvider.of(new HoldingGcmProvider());
        int len = 100_003;
        RegionEncryptor encryptor = new RegionEncryptor(ContentKey.generate(), new RegionLayout(len), holding);
        byte[] plaintext = random(len, 3);
        RegionEncryptor.Slicing slicing = encryptor.slicing();
        assertThat(slicing.streams()).isFalse();
        assertThat(new RegionEncryptor(ContentKey.generate(), new RegionLayout(len), CryptoProvider.jdk()).slicing()
            .streams()).as("the JDK's first provider here, SunJCE").isTrue();

        byte[] whole = new byte[len + 28];
        encryptor.encryptRegion(9, plaintext, 0, len, whole, 0);
        byte[] buffer = new byte[len + 28];
        int at = slicing.begin(9, len, buffer, 0);
        System.arraycopy(plaintext, 0, buffer, at, len);
        assertThat(slicing.update(buffer, at, len, buffer, at)).as("nothing before the end").isZero();
        assertThat(slicing.finish(buffer, at)).isEqualTo(len + 16);
        assertThat(buffer).isEqualTo(whole);
    }

    @Test
    void slicing_outOfOrderCalls_areRefused_andTheNextRegionStartsClean() {
        RegionEncryptor encryptor = new RegionEncryptor(ContentKey.generate(), new RegionLayout(64), CryptoProvider.jdk());
        RegionEncryptor.Slicing slicing = encryptor.slicing();
        byte[] buffer = new byte[200];
        assertThatThrownBy(() -> slicing.update(buffer, 0, 1, buffer, 0)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("no region was begun");
        assertThatThrownBy(() -> slicing.finish(buffer, 0)).isInstanceOf(IllegalStateException.class)
            .hasMessage("No region was begun");
        assertThatThrownBy(() -> slicing.begin(0, 65, buffer, 0)).isInstanceOf(IllegalArgumentException.class);

        slicing.begin(0, 32, buffer, 0);
        assertThatThrownBy(() -> slicing.begin(1, 32, buffer, 0)).isInstanceOf(IllegalStateException.class)
            .hasMessage("The previous region was not finished");
        slicing.update(buffer, 12, 16, buffer, 12);
        assertThatThrownBy(() -> slicing.update(buffer, 12, 17, buffer, 12)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("16 plaintext bytes still to come, not 17");
        assertThatThrownBy(() -> slicing.finish(buffer, 28)).isInstanceOf(IllegalStateException.class)
            .hasMessage("The region still lacks 16 of the plaintext bytes it was begun with");
        slicing.update(buffer, 28, 16, buffer, 28);
        assertThat(slicing.finish(buffer, 44)).isEqualTo(16);
        assertThat(slicing.begin(1, 0, buffer, 0)).isEqualTo(12);
        assertThat(slicing.finish(buffer, 12)).isEqualTo(16);
    }

    @Test
    void emptyPlaintext_isAnEmptyBody_andTheJavaSdkSingleEmptyRegionAlsoReads() {
        Envelope envelope = Envelope.seal(TestKeys.settings(), EncryptionProtocol.V2_0, MIB4, null);
        assertThat(Regions.encryptAll(envelope.regionEncryptor(), new byte[0])).isEmpty();

        byte[] oneEmptyRegion = new byte[28];
        envelope.regionEncryptor().encryptRegion(0, new byte[0], 0, 0, oneEmptyRegion, 0);
        assertThat(Regions.decryptAll(envelope.regionDecryptor(), oneEmptyRegion)).isEmpty();
        assertThat(Regions.decryptAll(envelope.regionDecryptor(), new byte[0])).isEmpty();
    }

    @Test
    void everyByteRange_ofSmallBlob_decryptsExactly() {
        int r = 16;
        int n = 100;
        byte[] plaintext = random(n, 99);
        Envelope envelope = Envelope.seal(TestKeys.settings(), EncryptionProtocol.V2_1, r, EncryptionData.FULL_BLOB);
        byte[] encrypted = Regions.encryptAll(envelope.regionEncryptor(), plaintext);
        RegionLayout layout = envelope.layout();
        for (int offset = 0; offset <= n + 2; offset++) {
            for (int count = 0; count <= n + 2 - offset; count++) {
                RegionLayout.RegionRange range = layout.rangeFor(offset, count, n);
                byte[] expected = Arrays.copyOfRange(plaintext, Math.min(offset, n), Math.min(offset + count, n));
                if (range.length() == 0) {
                    assertThat(expected).isEmpty();
                    continue;
                }
                assertThat(Regions.decryptRange(envelope.regionDecryptor(), encrypted, range))
                    .as("offset %d count %d", offset, count).isEqualTo(expected);
            }
        }
    }

    @Test
    void wrappedKey_unwrapsToVersionPrefixAndKey() {
        for (EncryptionProtocol protocol : new EncryptionProtocol[] {EncryptionProtocol.V2_0, EncryptionProtocol.V2_1}) {
            Envelope envelope = Envelope.seal(TestKeys.settings(), protocol,
                protocol == EncryptionProtocol.V2_0 ? MIB4 : 64, null);
            byte[] unwrapped = TestKeys.kek().unwrapKey("A256KW", envelope.data().wrappedContentKey().encryptedKey());
            assertThat(unwrapped).hasSize(40);
            assertThat(new String(unwrapped, 0, 3, StandardCharsets.US_ASCII)).isEqualTo(protocol.wireValue());
            assertThat(Arrays.copyOfRange(unwrapped, 3, 8)).containsOnly(0);
            assertThat(Arrays.copyOfRange(unwrapped, 8, 40)).isEqualTo(envelope.key().bytes());
            assertThat(envelope.data().encryptionLibrary()).startsWith("cse4j ").doesNotContain("Java");
        }
    }

    @Test
    void freshEnvelopes_haveDistinctContentKeys() {
        Envelope a = Envelope.seal(TestKeys.settings(), EncryptionProtocol.V2_0, MIB4, null);
        Envelope b = Envelope.seal(TestKeys.settings(), EncryptionProtocol.V2_0, MIB4, null);
        assertThat(a.key().bytes()).isNotEqualTo(b.key().bytes());
        assertThat(a.data().wrappedContentKey()).isNotEqualTo(b.data().wrappedContentKey());
        assertThat(a.key().toString()).doesNotContain(hex(a.key().bytes()));
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }
}
