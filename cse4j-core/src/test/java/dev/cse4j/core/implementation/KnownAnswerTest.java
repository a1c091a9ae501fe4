package dev.cse4j.core.implementation;

import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.testing.KnownAnswerVector;
import dev.cse4j.testing.TestData;
import dev.cse4j.testing.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Blobs written by Microsoft's SDKs decrypt to the recorded plaintext, and their metadata parses exactly. */
class KnownAnswerTest {
    private static final EncryptionSettings SETTINGS = EncryptionSettings.of(TestKeys.builder().allowUnauthenticatedV1Reads(true).build());

    static Stream<KnownAnswerVector> blobVectors() {
        return Stream.concat(Vectors.list(Vectors.JAVA_SDK).stream(),
            Stream.of(Vectors.load(Vectors.JAVA8_LEGACY_SDK, "blob-v1-17bytes")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blobVectors")
    void vector_decryptsToRecordedPlaintext(KnownAnswerVector vector) {
        assertThat(vector.kekBytes()).isEqualTo(TestKeys.kekBytes());
        EncryptionData data = EncryptionData.parse(vector.encryptionDataJson());
        assertThat(data.toJsonString()).as("re-serialised metadata").isEqualTo(vector.encryptionDataJson());
        assertThat(data.wrappedContentKey().keyId()).isEqualTo(vector.kekId());
        assertThat(data.wrappedContentKey().algorithm()).isEqualTo(vector.kekAlgorithm());
        assertThat(data.encryptionMode()).isEqualTo(EncryptionData.FULL_BLOB);

        Envelope envelope = Envelope.open(SETTINGS, data, vector.id());
        byte[] raw = vector.rawBytes();
        byte[] plaintext;
        if (data.protocol() == EncryptionProtocol.V1_0) {
            plaintext = envelope.cbc().decrypt(raw, true);
            assertThat(CbcV1Test.decryptRange(envelope.cbc(), raw, 0, Long.MAX_VALUE, true)).isEqualTo(plaintext);
        } else {
            plaintext = Regions.decryptAll(envelope.regionDecryptor(), raw);
        }
        assertThat((long) plaintext.length).isEqualTo(vector.plaintextLength());
        assertThat(TestData.sha256Hex(plaintext)).isEqualTo(vector.plaintextSha256());
    }

    @Test
    void javaV2Metadata_parsesExactly() {
        KnownAnswerVector vector = Vectors.load(Vectors.JAVA_SDK, "v2_1-region16-100bytes");
        EncryptionData data = EncryptionData.parse(vector.encryptionDataJson());
        assertThat(data.protocol()).isEqualTo(EncryptionProtocol.V2_1);
        assertThat(data.encryptedRegionInfo().dataLength()).isEqualTo(16);
        assertThat(data.encryptedRegionInfo().nonceLength()).isEqualTo(12);
        assertThat(data.contentEncryptionIv()).isNull();
        assertThat(data.encryptionLibrary()).isEqualTo("JavaTrack212.33.1");
        assertThat(data.wrappedContentKey().encryptedKey()).isEqualTo(
            Base64.getDecoder().decode("WNZyvpifBdntwEdNf1Qf60bkHfzN+CDsxzCUWAXM8OA0+h6kbbUEYFsij2dzftls"));
    }

    @Test
    void javaV2EmptyBlob_isOneEmptyRegionOf28Bytes() {
        KnownAnswerVector vector = Vectors.load(Vectors.JAVA_SDK, "v2-empty");
        assertThat(vector.rawBytes()).hasSize(28);
        assertThat(new RegionLayout(4 * 1024 * 1024).plaintextLength(28)).isZero();
    }

    @Test
    void v2_1Vector_hasJavaNoncesAndEveryRangeDecrypts() {
        KnownAnswerVector vector = Vectors.load(Vectors.JAVA_SDK, "v2_1-region16-100bytes");
        EncryptionData data = EncryptionData.parse(vector.encryptionDataJson());
        Envelope envelope = Envelope.open(SETTINGS, data, vector.id());
        byte[] raw = vector.rawBytes();
        byte[] plaintext = vector.plaintext();
        RegionLayout layout = envelope.layout();
        for (long i = 0; i < layout.regionCount(plaintext.length); i++) {
            int at = (int) layout.encryptedOffset(i);
            assertThat(NonceScheme.JAVA.matches(i, raw, at)).as("region %d nonce", i).isTrue();
        }
        for (int offset = 0; offset < plaintext.length; offset += 7) {
            for (int count = 1; offset + count <= plaintext.length; count += 5) {
                RegionLayout.RegionRange range = layout.rangeFor(offset, count, plaintext.length);
                assertThat(Regions.decryptRange(envelope.regionDecryptor(), raw, range))
                    .isEqualTo(Arrays.copyOfRange(plaintext, offset, offset + count));
            }
        }
    }

    @Test
    void legacyV1Vector_everyRangeDecrypts() {
        KnownAnswerVector vector = Vectors.load(Vectors.JAVA8_LEGACY_SDK, "blob-v1-17bytes");
        EncryptionData data = EncryptionData.parse(vector.encryptionDataJson());
        Envelope envelope = Envelope.open(SETTINGS, data, vector.id());
        byte[] raw = vector.rawBytes();
        byte[] plaintext = vector.plaintext();
        assertThat(envelope.cbc().plaintextLength(raw.length, Arrays.copyOfRange(raw, raw.length - 32, raw.length)))
            .isEqualTo(plaintext.length);
        for (int offset = 0; offset <= plaintext.length; offset++) {
            for (int count = 0; count <= plaintext.length + 1; count++) {
                assertThat(CbcV1Test.decryptRange(envelope.cbc(), raw, offset, count, true))
                    .as("offset %d count %d", offset, count)
                    .isEqualTo(Arrays.copyOfRange(plaintext, Math.min(offset, plaintext.length),
                        Math.min(offset + count, plaintext.length)));
            }
        }
    }
}
