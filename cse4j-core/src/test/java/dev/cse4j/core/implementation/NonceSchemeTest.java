package dev.cse4j.core.implementation;

import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.IntegrityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Data written with the Python and .NET nonce sequences reads; mixing sequences does not. */
class NonceSchemeTest {
    private static final int R = 16;

    @Test
    void nonces_matchEachSdksDocumentedLayout() {
        assertThat(nonce(NonceScheme.JAVA, 0)).isEqualTo("000000000000000000000000");
        assertThat(nonce(NonceScheme.JAVA, 1)).isEqualTo("000000000000000100000000");
        assertThat(nonce(NonceScheme.JAVA, 0x0102030405060708L)).isEqualTo("010203040506070800000000");
        assertThat(nonce(NonceScheme.PYTHON, 1)).isEqualTo("000000000000000000000001");
        assertThat(nonce(NonceScheme.PYTHON, 0x0102030405060708L)).isEqualTo("000000000102030405060708");
        assertThat(nonce(NonceScheme.DOTNET, 0)).isEqualTo("000000000100000000000000");
        assertThat(nonce(NonceScheme.DOTNET, 0x0102030405060707L)).isEqualTo("000000000807060504030201");
    }

    @Test
    void regionZero_cannotTellJavaFromPython() {
        byte[] zero = new byte[12];
        assertThat(NonceScheme.matching(0, zero, 0))
            .isEqualTo((1 << NonceScheme.JAVA.ordinal()) | (1 << NonceScheme.PYTHON.ordinal()));
    }

    @ParameterizedTest
    @EnumSource(NonceScheme.class)
    void dataWrittenWithEachScheme_decryptsWholeAndRanged(NonceScheme scheme) throws Exception {
        byte[] plaintext = RegionCryptoTest.random(100, scheme.ordinal());
        Envelope envelope = Envelope.seal(TestKeys.settings(), EncryptionProtocol.V2_1, R, EncryptionData.FULL_BLOB);
        byte[] stored = encryptWith(envelope, plaintext, i -> scheme);
        assertThat(Regions.decryptAll(envelope.regionDecryptor(), stored)).isEqualTo(plaintext);

        RegionLayout layout = envelope.layout();
        for (int offset = 0; offset < 100; offset += 9) {
            RegionLayout.RegionRange range = layout.rangeFor(offset, 23, 100);
            assertThat(Regions.decryptRange(envelope.regionDecryptor(), stored, range))
                .isEqualTo(Arrays.copyOfRange(plaintext, offset, Math.min(100, offset + 23)));
        }
    }

    @Test
    void schemesMixedWithinOneObject_throwIntegrityException() throws Exception {
        byte[] plaintext = RegionCryptoTest.random(100, 3);
        Envelope envelope = Envelope.seal(TestKeys.settings(), EncryptionProtocol.V2_1, R, EncryptionData.FULL_BLOB);
        // Regions 0-2 Python, 3+ .NET: each region is authentic, but the sequence is not one writer's.
        byte[] stored = encryptWith(envelope, plaintext, i -> i < 3 ? NonceScheme.PYTHON : NonceScheme.DOTNET);
        assertThatThrownBy(() -> Regions.decryptAll(envelope.regionDecryptor(), stored))
            .isInstanceOf(IntegrityException.class).hasMessageContaining("Region 3 is out of order");
        // Java then Python: region 0 is ambiguous, region 1 decides.
        byte[] javaThenPython = encryptWith(envelope, plaintext, i -> i < 2 ? NonceScheme.JAVA : NonceScheme.PYTHON);
        assertThatThrownBy(() -> Regions.decryptAll(envelope.regionDecryptor(), javaThenPython))
            .isInstanceOf(IntegrityException.class).hasMessageContaining("Region 2 is out of order");
    }

    @Test
    void rangedReadStartingLater_checksNoncesFromItsFirstRegion() {
        byte[] plaintext = RegionCryptoTest.random(100, 4);
        Envelope envelope = Envelope.seal(TestKeys.settings(), EncryptionProtocol.V2_1, R, EncryptionData.FULL_BLOB);
        byte[] stored = Regions.encryptAll(envelope.regionEncryptor(), plaintext);
        int l = R + 28;
        // Region 4 served where region 3 was asked for.
        byte[] wrongRegion = Arrays.copyOfRange(stored, 4 * l, 5 * l);
        assertThatThrownBy(() -> Regions.decryptFrom(envelope.regionDecryptor(), 3, wrongRegion))
            .isInstanceOf(IntegrityException.class).hasMessageContaining("Region 3 is out of order");
    }

    private interface SchemeChoice {
        NonceScheme forRegion(long index);
    }

    /** Encrypts as another SDK would: same layout, that SDK's nonce for each region. */
    private static byte[] encryptWith(Envelope envelope, byte[] plaintext, SchemeChoice choice) throws Exception {
        RegionLayout layout = envelope.layout();
        byte[] out = new byte[(int) layout.encryptedLength(plaintext.length)];
        int written = 0;
        for (long i = 0; i < layout.regionCount(plaintext.length); i++) {
            int len = (int) Math.min(R, plaintext.length - i * R);
            choice.forRegion(i).write(i, out, written);
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, envelope.key().secretKey(), new GCMParameterSpec(128, out, written, 12));
            written += 12 + gcm.doFinal(plaintext, (int) (i * R), len, out, written + 12);
        }
        return out;
    }

    private static String nonce(NonceScheme scheme, long index) {
        byte[] n = new byte[12];
        scheme.write(index, n, 0);
        assertThat(scheme.matches(index, n, 0)).isTrue();
        return HexFormat.of().formatHex(n);
    }
}
