package dev.cse4j.core;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cse4j.testing.AllocationMeter;
import dev.cse4j.testing.FuzzSeeds;
import dev.cse4j.testing.KnownAnswerVector;
import dev.cse4j.testing.Vectors;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz targets of the stored encryption metadata (docs/fuzzing.md): {@link EncryptionData#parse(String)} and
 * {@link IntegrityRecord#parse(String)}. Invariant: a valid result that re-encodes to an equal value, or the one typed
 * exception the parser documents; at most {@link #ALLOCATION_BASE} + {@link #ALLOCATION_PER_BYTE} bytes per input
 * byte allocated.
 */
class EncryptionDataFuzzTest {
    /** Allocation bound, once the classes of the input's path are loaded: a constant ... */
    static final long ALLOCATION_BASE = 1 << 20;
    /** ... plus this many bytes per input byte. */
    static final long ALLOCATION_PER_BYTE = 64;

    @FuzzTest
    void parse(byte[] input) {
        String json = new String(input, StandardCharsets.UTF_8);
        EncryptionData data;
        try {
            data = AllocationMeter.steady(bound(input.length), "EncryptionData.parse",
                () -> EncryptionData.parse(json));
        } catch (MalformedEncryptionDataException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(EncryptionData.parse(data.toJsonString())).isEqualTo(data);
    }

    @FuzzTest
    void parseIntegrityRecord(byte[] input) {
        String value = new String(input, StandardCharsets.ISO_8859_1);
        IntegrityRecord record;
        try {
            record = AllocationMeter.steady(bound(input.length), "IntegrityRecord.parse",
                () -> IntegrityRecord.parse(value));
        } catch (IntegrityException refused) {
            return;
        }
        assertThat(IntegrityRecord.parse(record.toMetadataValue())).isEqualTo(record);
        assertThat(record.encryptedLength()).isGreaterThanOrEqualTo(record.plaintextLength());
    }

    static long bound(int inputLength) {
        return ALLOCATION_BASE + ALLOCATION_PER_BYTE * inputLength;
    }

    @Test
    void committedSeeds_areTheVectorsAndEdgeCases() {
        FuzzSeeds.check(EncryptionDataFuzzTest.class, "parse", parseSeeds());
        FuzzSeeds.check(EncryptionDataFuzzTest.class, "parseIntegrityRecord", recordSeeds());
    }

    static Map<String, byte[]> parseSeeds() {
        Map<String, String> seeds = new LinkedHashMap<>();
        for (KnownAnswerVector vector : Vectors.list(Vectors.JAVA_SDK)) {
            seeds.put("vector-" + vector.name(), vector.encryptionDataJson());
        }
        seeds.put("vector-java8-blob-v1-17bytes", Vectors.load(Vectors.JAVA8_LEGACY_SDK, "blob-v1-17bytes")
            .encryptionDataJson());
        seeds.put("vector-java8-table-v1", (String) Vectors.load(Vectors.JAVA8_LEGACY_SDK, "table-v1")
            .rawEntityProperties().get("_ClientEncryptionMetadata1"));
        String wrapped = "{\"KeyId\":\"local:kek1\",\"EncryptedKey\":\"" + Base64.getEncoder().encodeToString(
            new byte[40]) + "\",\"Algorithm\":\"A256KW\"}";
        seeds.put("cse4j-t1", "{\"WrappedContentKey\":" + wrapped + ",\"EncryptionAgent\":{\"Protocol\":\"cse4j-t1\","
            + "\"EncryptionAlgorithm\":\"AES_GCM_256\"},\"KeyWrappingMetadata\":{\"EncryptionLibrary\":\"cse4j\"}}");
        seeds.put("python-spaced-mode-last", "{\"WrappedContentKey\": " + wrapped + ", \"EncryptionAgent\": "
            + "{\"Protocol\": \"2.0\", \"EncryptionAlgorithm\": \"AES_GCM_256\"}, \"EncryptedRegionInfo\": "
            + "{\"DataLength\": 4194304, \"NonceLength\": 12}, \"KeyWrappingMetadata\": {\"EncryptionLibrary\": "
            + "\"Python 12.6.0b1\"}, \"EncryptionMode\": \"FullBlob\"}");
        seeds.put("lower-case-names-nulls-unknown", "{\"encryptionmode\":null,\"wrappedcontentkey\":" + wrapped
            + ",\"encryptionagent\":{\"protocol\":\"2.1\",\"encryptionalgorithm\":\"AES_GCM_256\"},"
            + "\"encryptedregioninfo\":{\"datalength\":16,\"noncelength\":12},\"keywrappingmetadata\":null,"
            + "\"Other\":[1,{\"a\":[]}]}");
        seeds.put("region-1GiB-plus-1", "{\"WrappedContentKey\":" + wrapped + ",\"EncryptionAgent\":{\"Protocol\":"
            + "\"2.1\",\"EncryptionAlgorithm\":\"AES_GCM_256\"},\"EncryptedRegionInfo\":{\"DataLength\":1073741825,"
            + "\"NonceLength\":12}}");
        seeds.put("duplicate-member", "{\"WrappedContentKey\":" + wrapped + ",\"WrappedContentKey\":" + wrapped + "}");
        seeds.put("empty", "");
        seeds.put("empty-object", "{}");
        seeds.put("deep-nesting", "{\"x\":" + "[".repeat(2000) + "]".repeat(2000) + "}");
        seeds.put("trailing-garbage", "{}}");
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        seeds.forEach((name, text) -> bytes.put(name, text.getBytes(StandardCharsets.UTF_8)));
        return bytes;
    }

    static Map<String, byte[]> recordSeeds() {
        Map<String, String> seeds = new LinkedHashMap<>();
        byte[] tags = new byte[64];
        seeds.put("v2_0-one-region", IntegrityRecord.of(EncryptionProtocol.V2_0, 4 * 1024 * 1024, 17,
            java.util.Arrays.copyOf(tags, 32), java.util.Arrays.copyOfRange(tags, 32, 64)).toMetadataValue());
        seeds.put("v2_1-region16-100bytes", IntegrityRecord.of(EncryptionProtocol.V2_1, 16, 100,
            java.util.Arrays.copyOf(tags, 32), java.util.Arrays.copyOfRange(tags, 32, 64)).toMetadataValue());
        seeds.put("v2_1-max-length", IntegrityRecord.of(EncryptionProtocol.V2_1, 1 << 30, Long.MAX_VALUE / 2,
            java.util.Arrays.copyOf(tags, 32), java.util.Arrays.copyOfRange(tags, 32, 64)).toMetadataValue());
        seeds.put("not-base64", "%%%");
        seeds.put("empty", "");
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        seeds.forEach((name, text) -> bytes.put(name, text.getBytes(StandardCharsets.ISO_8859_1)));
        return bytes;
    }
}
