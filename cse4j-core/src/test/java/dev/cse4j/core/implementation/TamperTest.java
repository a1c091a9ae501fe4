package dev.cse4j.core.implementation;

import dev.cse4j.core.ClientSideEncryptionException;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptedRegionInfo;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.IntegrityException;
import dev.cse4j.core.KeyResolutionException;
import dev.cse4j.core.KeyWrapException;
import dev.cse4j.core.MalformedEncryptionDataException;
import dev.cse4j.core.WrappedKey;
import dev.cse4j.keys.AesKeyWrapKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every way the stored form of a 2.x object can be tampered with fails with the right exception type, at the level of
 * the envelope and the region decryptor. The same tampering through the read paths users take (download to memory,
 * to a stream, to a file, input streams), with what each path may release, is tested in cse4j-blob's TamperTest.
 */
class TamperTest {
    private static final int R = 16;
    private static final int L = R + 28;
    private static final int N = 5 * R + 3; // six regions, the last one 3 bytes

    private byte[] plaintext;
    private Envelope envelope;
    private byte[] stored;

    @BeforeEach
    void encrypt() {
        plaintext = RegionCryptoTest.random(N, 42);
        envelope = Envelope.seal(TestKeys.settings(), EncryptionProtocol.V2_1, R, EncryptionData.FULL_BLOB);
        stored = Regions.encryptAll(envelope.regionEncryptor(), plaintext);
    }

    @Test
    void untampered_decrypts() {
        assertThat(decryptWith(stored, envelope.data())).isEqualTo(plaintext);
    }

    @ParameterizedTest(name = "region {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void flippedByte_inNonceCiphertextOrTag_throwsIntegrityException(int region) {
        int start = region * L;
        int regionLength = Math.min(L, stored.length - start);
        int[] positions = {start, start + 11, start + 12, start + regionLength - 17, start + regionLength - 16,
            start + regionLength - 1};
        for (int position : positions) {
            byte[] tampered = stored.clone();
            tampered[position] ^= 0x01;
            assertFails(tampered, IntegrityException.class);
        }
    }

    @Test
    void swappedMiddleRegions_throwIntegrityException() {
        byte[] tampered = stored.clone();
        System.arraycopy(stored, 2 * L, tampered, 3 * L, L);
        System.arraycopy(stored, 3 * L, tampered, 2 * L, L);
        assertFails(tampered, IntegrityException.class, "out of order");
    }

    @Test
    void duplicatedRegion_throwsIntegrityException() {
        byte[] tampered = stored.clone();
        System.arraycopy(stored, 2 * L, tampered, 3 * L, L);
        assertFails(tampered, IntegrityException.class, "out of order");
    }

    @Test
    void droppedMiddleRegion_throwsIntegrityException() {
        byte[] tampered = concat(Arrays.copyOfRange(stored, 0, 2 * L), Arrays.copyOfRange(stored, 3 * L, stored.length));
        assertFails(tampered, IntegrityException.class, "out of order");
    }

    @Test
    void regionFromAnotherBlobAtTheSamePosition_failsAuthentication() {
        Envelope other = Envelope.seal(TestKeys.settings(), EncryptionProtocol.V2_1, R, EncryptionData.FULL_BLOB);
        byte[] otherStored = Regions.encryptAll(other.regionEncryptor(), RegionCryptoTest.random(N, 7));
        byte[] tampered = stored.clone();
        System.arraycopy(otherStored, 2 * L, tampered, 2 * L, L);
        assertFails(tampered, IntegrityException.class, "failed authentication");
    }

    @ParameterizedTest(name = "cut to {0} bytes")
    @ValueSource(ints = {1, 27, 28, L + 5, 3 * L - 1, 5 * L + 20})
    void truncatedMidRegion_throwsIntegrityException(int length) {
        byte[] tampered = Arrays.copyOf(stored, length);
        assertFails(tampered, IntegrityException.class);
    }

    @Test
    void emptyRegionAppendedOrInserted_throwsIntegrityException() {
        byte[] empty = new byte[28];
        envelope.regionEncryptor().encryptRegion(6, new byte[0], 0, 0, empty, 0);
        byte[] lastWhole = Arrays.copyOf(stored, 5 * L);
        assertFails(concat(lastWhole, empty), IntegrityException.class);
    }

    @Test
    void wrongKeyMaterialUnderTheSameId_throwsKeyWrapException() {
        byte[] otherKek = TestKeys.kekBytes();
        otherKek[0] ^= 1;
        EncryptionSettings wrong = EncryptionSettings.of(ClientSideEncryptionOptions.builder()
            .key(AesKeyWrapKey.of(TestKeys.KEK_ID, otherKek), "A256KW").build());
        assertThatThrownBy(() -> Envelope.open(wrong, envelope.data(), "x"))
            .isInstanceOf(KeyWrapException.class)
            .hasMessageContaining(TestKeys.KEK_ID);
    }

    @Test
    void wrongKeyId_throwsKeyResolutionException() {
        EncryptionSettings other = EncryptionSettings.of(ClientSideEncryptionOptions.builder()
            .key(AesKeyWrapKey.of("other", TestKeys.kekBytes()), "A256KW").build());
        assertThatThrownBy(() -> Envelope.open(other, envelope.data(), "x"))
            .isInstanceOf(KeyResolutionException.class)
            .hasMessageContaining("local:kek1").hasMessageContaining("other");
    }

    @Test
    void wrappedKeyPrefix21_withMetadataSaying20_throwsIntegrityException() {
        // 4 MiB regions, the only length 2.0 metadata may name: only the key binding tells the versions apart
        EncryptionData data = Envelope.seal(TestKeys.settings(), EncryptionProtocol.V2_1, 4 * 1024 * 1024, null)
            .data();
        EncryptionData downgraded = EncryptionData.parse(data.toJsonString().replace("\"2.1\"", "\"2.0\""));
        assertThat(downgraded.protocol()).isEqualTo(EncryptionProtocol.V2_0);
        assertThatThrownBy(() -> Envelope.open(TestKeys.settings(), downgraded, "x"))
            .isInstanceOf(IntegrityException.class)
            .hasMessageContaining("metadata says 2.0").hasMessageContaining("wrapped for protocol 2.1");
    }

    @Test
    void wrappedKeyPrefix20_withMetadataSaying21_throwsIntegrityException() {
        Envelope v20 = Envelope.seal(TestKeys.settings(), EncryptionProtocol.V2_0, 4 * 1024 * 1024, null);
        EncryptionData upgraded = EncryptionData.parse(v20.data().toJsonString().replace("\"2.0\"", "\"2.1\""));
        assertThatThrownBy(() -> Envelope.open(TestKeys.settings(), upgraded, "x"))
            .isInstanceOf(IntegrityException.class).hasMessageContaining("wrapped for protocol 2.0");
    }

    @Test
    void metadataDowngradedTo10_isRefusedOrDetected() {
        EncryptionData v1 = EncryptionData.forLegacyV1(envelope.data().wrappedContentKey(), new byte[16],
            envelope.data().keyWrappingMetadata(), EncryptionData.FULL_BLOB);
        assertThatThrownBy(() -> Envelope.open(TestKeys.settings(), v1, "x"))
            .isInstanceOf(EncryptionPolicyException.class);
        EncryptionSettings allowV1 = EncryptionSettings.of(TestKeys.builder().allowUnauthenticatedV1Reads(true).build());
        assertThatThrownBy(() -> Envelope.open(allowV1, v1, "x"))
            .isInstanceOf(IntegrityException.class).hasMessageContaining("downgrade");
    }

    @Test
    void v1KeyPresentedAs20_throwsIntegrityException() {
        Envelope v1 = Envelope.sealLegacyV1(TestKeys.settings(), null);
        EncryptionData claimed = EncryptionData.forV2(EncryptionProtocol.V2_0, v1.data().wrappedContentKey(),
            EncryptedRegionInfo.ofDataLength(4 * 1024 * 1024), v1.data().keyWrappingMetadata(), null);
        assertThatThrownBy(() -> Envelope.open(TestKeys.settings(), claimed, "x"))
            .isInstanceOf(IntegrityException.class).hasMessageContaining("no version prefix");
    }

    @Test
    void editedEncryptedKey_throwsKeyWrapException() {
        byte[] wrapped = envelope.data().wrappedContentKey().encryptedKey();
        wrapped[5] ^= 0x20;
        EncryptionData edited = envelope.data().withWrappedContentKey(
            new WrappedKey(TestKeys.KEK_ID, wrapped, "A256KW"));
        assertThatThrownBy(() -> Envelope.open(TestKeys.settings(), edited, "x")).isInstanceOf(KeyWrapException.class);
    }

    @Test
    void editedAlgorithm_throwsKeyWrapException() {
        EncryptionData edited = envelope.data().withWrappedContentKey(new WrappedKey(TestKeys.KEK_ID,
            envelope.data().wrappedContentKey().encryptedKey(), "A128KW"));
        assertThatThrownBy(() -> Envelope.open(TestKeys.settings(), edited, "x")).isInstanceOf(KeyWrapException.class);
    }

    @ParameterizedTest(name = "DataLength {0}")
    @ValueSource(ints = {17, 32, 64, 4 * 1024 * 1024})
    void editedRegionLength_throwsIntegrityException(int dataLength) {
        EncryptionData edited = EncryptionData.parse(envelope.data().toJsonString()
            .replace("\"DataLength\":16", "\"DataLength\":" + dataLength));
        Envelope opened = Envelope.open(TestKeys.settings(), edited, "x");
        assertThatThrownBy(() -> Regions.decryptAll(opened.regionDecryptor(), stored))
            .isInstanceOf(IntegrityException.class);
    }

    @Test
    void editedNonceLength_throwsMalformedEncryptionData() {
        assertThatThrownBy(() -> EncryptionData.parse(envelope.data().toJsonString()
            .replace("\"NonceLength\":12", "\"NonceLength\":16")))
            .isInstanceOf(MalformedEncryptionDataException.class);
    }

    @Test
    void swappedRegions_withInsecureOptIn_decryptTheSwappedData() {
        byte[] tampered = stored.clone();
        System.arraycopy(stored, 2 * L, tampered, 3 * L, L);
        System.arraycopy(stored, 3 * L, tampered, 2 * L, L);
        EncryptionSettings insecure = EncryptionSettings.of(TestKeys.builder().allowMisorderedRegions(true).build());
        Envelope opened = Envelope.open(insecure, envelope.data(), "x");
        byte[] expected = plaintext.clone();
        System.arraycopy(plaintext, 2 * R, expected, 3 * R, R);
        System.arraycopy(plaintext, 3 * R, expected, 2 * R, R);
        assertThat(Regions.decryptAll(opened.regionDecryptor(), tampered)).isEqualTo(expected);
    }

    private byte[] decryptWith(byte[] data, EncryptionData metadata) {
        return Regions.decryptAll(Envelope.open(TestKeys.settings(), metadata, "x").regionDecryptor(), data);
    }

    /** Decrypting fails with {@code type}, and the message names what happened (by default: the stored data). */
    private void assertFails(byte[] tampered, Class<? extends ClientSideEncryptionException> type,
        String... messageParts) {
        Envelope opened = Envelope.open(TestKeys.settings(), envelope.data(), "x");
        String[] parts = messageParts.length == 0 ? new String[] {"stored data"} : messageParts;
        assertThatThrownBy(() -> Regions.decryptAll(opened.regionDecryptor(), tampered))
            .isInstanceOf(type).hasMessageContainingAll(parts);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
