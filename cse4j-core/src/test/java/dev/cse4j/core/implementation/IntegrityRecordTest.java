package dev.cse4j.core.implementation;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptedRegionInfo;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.IntegrityException;
import dev.cse4j.core.IntegrityRecord;
import dev.cse4j.core.WrappedKey;
import dev.cse4j.keys.AesKeyWrapKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The integrity record against the repository's known-answer vectors (docs/integrity-record-vectors.json, which a
 * second implementation can check too), and every way a record can be edited, moved or contradicted.
 */
class IntegrityRecordTest {
    private static final Path VECTORS = Path.of("..", "docs", "integrity-record-vectors.json");
    private static final HexFormat HEX = HexFormat.of();
    private static final Map<String, Object> DOC = readVectors();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readVectors() {
        try (JsonReader reader = JsonProviders.createReader(Files.readString(VECTORS))) {
            return (Map<String, Object>) reader.readUntyped();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + VECTORS.toAbsolutePath(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(String name) {
        return (Map<String, Object>) DOC.get(name);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> records() {
        return (List<Map<String, Object>>) DOC.get("records");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> invalidRecords() {
        return (List<Map<String, Object>>) DOC.get("invalidRecords");
    }

    private static byte[] hex(Map<String, Object> map, String key) {
        return HEX.parseHex((String) map.get(key));
    }

    private static ContentKey vectorKey() {
        return ContentKey.of(hex(section("keys"), "contentKey"));
    }

    private static EncryptionData data(EncryptionProtocol protocol, int regionLength) {
        return EncryptionData.forV2(protocol, new WrappedKey("k", new byte[48], "A256KW"),
            EncryptedRegionInfo.ofDataLength(regionLength), Map.of(), EncryptionData.FULL_BLOB);
    }

    @Test
    void derivation_matchesVectors() {
        Map<String, Object> derivation = section("derivation");
        Map<String, Object> keys = section("keys");
        assertThat(new String(IntegritySeal.SALT, StandardCharsets.UTF_8)).isEqualTo(derivation.get("salt"));
        assertThat(IntegritySeal.COMMITMENT_LABEL).isEqualTo(derivation.get("commitmentInfo"));
        assertThat(IntegritySeal.MAC_LABEL).isEqualTo(derivation.get("macInfo"));
        byte[] prk = Hkdf.extract(IntegritySeal.SALT, hex(keys, "contentKey"));
        assertThat(prk).isEqualTo(hex(keys, "prk"));
        assertThat(Hkdf.expand(prk, IntegritySeal.COMMITMENT_LABEL)).isEqualTo(hex(keys, "commitment"));
        assertThat(Hkdf.expand(prk, IntegritySeal.MAC_LABEL)).isEqualTo(hex(keys, "macKey"));
    }

    @Test
    void hkdf_matchesRfc5869TestCase1() {
        byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        byte[] prk = Hkdf.extract(HEX.parseHex("000102030405060708090a0b0c"), ikm);
        assertThat(HEX.formatHex(prk))
            .isEqualTo("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
        // T(1) of test case 1 (info f0..f9), the first 32 of its 42 bytes of OKM
        byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");
        byte[] input = java.util.Arrays.copyOf(info, info.length + 1);
        input[info.length] = 1;
        assertThat(HEX.formatHex(Hkdf.hmac(prk, input)))
            .isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf");
    }

    @ParameterizedTest
    @MethodSource("records")
    void seal_writesTheVectorRecord(Map<String, Object> vector) {
        EncryptionProtocol protocol = EncryptionProtocol.fromWireValue((String) vector.get("protocol"));
        int regionLength = ((Number) vector.get("regionLength")).intValue();
        long plaintextLength = ((Number) vector.get("plaintextLength")).longValue();
        try (IntegritySeal seal = IntegritySeal.of(vectorKey())) {
            IntegrityRecord record = seal.seal(data(protocol, regionLength), plaintextLength);
            assertThat(record.toBytes()).isEqualTo(hex(vector, "record"));
            assertThat(record.toMetadataValue()).isEqualTo(vector.get("metadataValue"));
            assertThat(record.mac()).isEqualTo(hex(vector, "mac"));
            assertThat(record.encryptedLength()).isEqualTo(((Number) vector.get("storedLength")).longValue());

            IntegrityRecord parsed = IntegrityRecord.parse((String) vector.get("metadataValue"));
            assertThat(parsed).isEqualTo(record);
            assertThat(parsed.plaintextLength()).isEqualTo(plaintextLength);
            seal.verify(parsed, data(protocol, regionLength), record.encryptedLength(), "vector");
        }
    }

    @ParameterizedTest
    @MethodSource("invalidRecords")
    void parse_invalidVectorRecord_throwsIntegrityException(Map<String, Object> vector) {
        String value = Base64.getEncoder().encodeToString(hex(vector, "record"));
        assertThatThrownBy(() -> IntegrityRecord.parse(value)).isInstanceOf(IntegrityException.class)
            .hasMessageContaining("malformed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not base64!", "AAAA", "ASEB"})
    void parse_garbage_throwsIntegrityException(String value) {
        assertThatThrownBy(() -> IntegrityRecord.parse(value)).isInstanceOf(IntegrityException.class);
    }

    @Test
    void blobVector_unwrapsDecryptsAndVerifies() {
        Map<String, Object> blob = section("blob");
        @SuppressWarnings("unchecked")
        Map<String, String> metadata = (Map<String, String>) blob.get("metadata");
        EncryptionData data = EncryptionData.parse(metadata.get("encryptiondata"));
        EncryptionSettings settings = EncryptionSettings.of(ClientSideEncryptionOptions.builder()
            .key(AesKeyWrapKey.of((String) blob.get("keyId"), hex(blob, "keyEncryptionKey")), "A256KW").build());
        ContentKey key = settings.contentKeys().unwrap(data);
        assertThat(key.bytes()).isEqualTo(hex(blob, "contentKey"));
        byte[] stored = hex(blob, "stored");
        IntegrityRecord record = IntegrityRecord.parse(metadata.get("cse4jintegrity"));
        try (IntegritySeal seal = IntegritySeal.of(key)) {
            seal.verify(record, data, stored.length, "vector blob");
        }
        RegionDecryptor decryptor = new RegionDecryptor(key, RegionLayout.of(data.encryptedRegionInfo()),
            CryptoProvider.jdk(), RegionOrderCheck.strict(NonceScheme.JAVA));
        byte[] plain = new byte[Math.toIntExact(record.plaintextLength())];
        for (int region = 0, in = 0, out = 0; in < stored.length; region++, in += 16 + 28) {
            out += decryptor.decryptRegion(region, stored, in, Math.min(16 + 28, stored.length - in), plain, out);
        }
        assertThat(plain).isEqualTo(hex(blob, "plaintext"));
        assertThat(record.plaintextLength()).isEqualTo(hex(blob, "plaintext").length);
    }

    private static IntegrityRecord sample(ContentKey key) {
        try (IntegritySeal seal = IntegritySeal.of(key)) {
            return seal.seal(data(EncryptionProtocol.V2_1, 16), 40);
        }
    }

    @Test
    void verify_recordOfAnotherContentKey_failsOnTheCommitment() {
        IntegrityRecord other = sample(ContentKey.generate());
        try (IntegritySeal seal = IntegritySeal.of(vectorKey())) {
            assertThatThrownBy(() -> seal.verify(other, data(EncryptionProtocol.V2_1, 16), 40 + 3 * 28, "b"))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("commitment");
        }
    }

    /** Every byte of the authenticated part and of the MAC, flipped: refused by parse or by verify. */
    @Test
    void verify_anyByteEdited_throwsIntegrityException() {
        byte[] good = sample(vectorKey()).toBytes();
        IntStream.range(0, IntegrityRecord.LENGTH).forEach(i -> {
            byte[] edited = good.clone();
            edited[i] ^= 0x01;
            assertThatThrownBy(() -> {
                try (IntegritySeal seal = IntegritySeal.of(vectorKey())) {
                    seal.verify(IntegrityRecord.fromBytes(edited), data(EncryptionProtocol.V2_1, 16), 40 + 3 * 28,
                        "b");
                }
            }).as("byte %d edited", i).isInstanceOf(IntegrityException.class);
        });
    }

    /** Fields edited to other valid values with the MAC left as it was: the MAC refuses each. */
    @Test
    void verify_fieldEditedToAnotherValidValue_failsOnTheMac() {
        IntegrityRecord good = sample(vectorKey());
        IntegrityRecord[] edited = {
            IntegrityRecord.of(EncryptionProtocol.V2_1, 16, 39, good.commitment(), good.mac()),
            IntegrityRecord.of(EncryptionProtocol.V2_1, 16, 41, good.commitment(), good.mac()),
            IntegrityRecord.of(EncryptionProtocol.V2_1, 32, 40, good.commitment(), good.mac()),
            IntegrityRecord.of(EncryptionProtocol.V2_0, EncryptedRegionInfo.V2_0_DATA_LENGTH, 40, good.commitment(),
                good.mac()),
        };
        try (IntegritySeal seal = IntegritySeal.of(vectorKey())) {
            for (IntegrityRecord record : edited) {
                assertThatThrownBy(() -> seal.verify(record, data(record.protocol(), record.regionDataLength()),
                    record.encryptedLength(), "b")).as(record.toString()).isInstanceOf(IntegrityException.class)
                    .hasMessageContaining("MAC");
            }
        }
    }

    @Test
    void verify_metadataContradictingTheRecord_throwsIntegrityException() {
        IntegrityRecord good = sample(vectorKey());
        try (IntegritySeal seal = IntegritySeal.of(vectorKey())) {
            assertThatThrownBy(() -> seal.verify(good, data(EncryptionProtocol.V2_1, 32), good.encryptedLength(), "b"))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("contradicts");
            assertThatThrownBy(() -> seal.verify(good, data(EncryptionProtocol.V2_0,
                EncryptedRegionInfo.V2_0_DATA_LENGTH), good.encryptedLength(), "b"))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("contradicts");
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 44, 87, 88, 40 + 3 * 28 - 1, 40 + 3 * 28 + 1, 40 + 4 * 28})
    void verify_storedLengthOtherThanImplied_throwsIntegrityException(long storedLength) {
        IntegrityRecord good = sample(vectorKey());
        try (IntegritySeal seal = IntegritySeal.of(vectorKey())) {
            assertThatThrownBy(() -> seal.verify(good, data(EncryptionProtocol.V2_1, 16), storedLength, "b"))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("stores " + storedLength + " bytes");
        }
    }

    @Test
    void seal_isBoundToTheContentKeyNotItsWrapping() {
        ContentKey key = ContentKey.generate();
        IntegrityRecord record = sample(key);
        EncryptionData rewrapped = data(EncryptionProtocol.V2_1, 16)
            .withWrappedContentKey(new WrappedKey("other-kek", new byte[40], "RSA-OAEP-256"));
        try (IntegritySeal seal = IntegritySeal.of(ContentKey.of(key.bytes()))) {
            seal.verify(record, rewrapped, record.encryptedLength(), "b");
        }
    }

    @Test
    void destroyedSeal_refusesWork_andNeverShowsKeys() {
        IntegritySeal seal = IntegritySeal.of(vectorKey());
        assertThat(seal.toString()).doesNotContain(HEX.formatHex(hex(section("keys"), "macKey")));
        seal.close();
        assertThat(seal.isDestroyed()).isTrue();
        assertThatThrownBy(() -> seal.seal(data(EncryptionProtocol.V2_1, 16), 1))
            .isInstanceOf(IllegalStateException.class);
    }
}
