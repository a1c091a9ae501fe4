package dev.cse4j.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncryptionDataTest {
    /** Exactly as Microsoft's Java SDK 12.32.1 stored it (vectors/java-sdk/v2-1byte). */
    static final String JAVA_V2 = "{\"EncryptionMode\":\"FullBlob\",\"WrappedContentKey\":{\"KeyId\":\"local:kek1\","
        + "\"EncryptedKey\":\"+61dQnGf0gmxaOXQ6WF5BTkkoKLVXKEickYFnhP2x/FAiLaE0us+odxIDOGuWu/7\",\"Algorithm\":\"A256KW\"},"
        + "\"EncryptionAgent\":{\"Protocol\":\"2.0\",\"EncryptionAlgorithm\":\"AES_GCM_256\"},\"EncryptedRegionInfo\":"
        + "{\"DataLength\":4194304,\"NonceLength\":12},\"KeyWrappingMetadata\":{\"EncryptionLibrary\":\"JavaTrack212.33.1\"}}";

    /** Exactly as the legacy Java 8.6.6 SDK stored it (vectors/java8-legacy-sdk/blob-v1-17bytes). */
    static final String JAVA8_V1 = "{\"EncryptionMode\":\"FullBlob\",\"WrappedContentKey\":{\"KeyId\":\"local:kek1\","
        + "\"EncryptedKey\":\"0UR0FNt8FJwtxrIDZzRnF5tfqbzdeJJ4IBKkIhRH5zS6ulEHC0ZBbQ==\",\"Algorithm\":\"A256KW\"},"
        + "\"EncryptionAgent\":{\"Protocol\":\"1.0\",\"EncryptionAlgorithm\":\"AES_CBC_256\"},\"ContentEncryptionIV\":"
        + "\"3ItIZK5wPHInO1sMgVuS2A==\",\"KeyWrappingMetadata\":{\"EncryptionLibrary\":\"Java 8.6.6\"}}";

    /** Python's form: spaced separators, EncryptionMode last (vectors/python-sdk, with a blob's mode added). */
    static final String PYTHON_V2 = "{\"WrappedContentKey\": {\"KeyId\": \"local:kek1\", \"EncryptedKey\": "
        + "\"uHvzHwjwsdXJ6nQ8qxqSXWUbnIA0Hv7vEhyVQzriOKlKl9eBBFyb8B+5SwCKNyyK\", \"Algorithm\": \"A256KW\"}, "
        + "\"EncryptionAgent\": {\"Protocol\": \"2.0\", \"EncryptionAlgorithm\": \"AES_GCM_256\"}, "
        + "\"EncryptedRegionInfo\": {\"DataLength\": 4194304, \"NonceLength\": 12}, \"KeyWrappingMetadata\": "
        + "{\"EncryptionLibrary\": \"Python 12.6.0b1\"}, \"EncryptionMode\": \"FullBlob\"}";

    @Test
    void parse_javaV2_readsEveryField() {
        EncryptionData data = EncryptionData.parse(JAVA_V2);
        assertThat(data.encryptionMode()).isEqualTo("FullBlob");
        assertThat(data.wrappedContentKey().keyId()).isEqualTo("local:kek1");
        assertThat(data.wrappedContentKey().algorithm()).isEqualTo("A256KW");
        assertThat(data.wrappedContentKey().encryptedKey()).isEqualTo(
            Base64.getDecoder().decode("+61dQnGf0gmxaOXQ6WF5BTkkoKLVXKEickYFnhP2x/FAiLaE0us+odxIDOGuWu/7"));
        assertThat(data.protocol()).isEqualTo(EncryptionProtocol.V2_0);
        assertThat(data.encryptedRegionInfo()).isEqualTo(new EncryptedRegionInfo(4194304, 12));
        assertThat(data.contentEncryptionIv()).isNull();
        assertThat(data.keyWrappingMetadata()).containsExactly(Map.entry("EncryptionLibrary", "JavaTrack212.33.1"));
        assertThat(data.encryptionLibrary()).isEqualTo("JavaTrack212.33.1");
    }

    @Test
    void toJsonString_ofParsedJavaV2_isByteIdentical() {
        assertThat(EncryptionData.parse(JAVA_V2).toJsonString()).isEqualTo(JAVA_V2);
    }

    @Test
    void toJsonString_ofParsedJava8V1_isByteIdentical() {
        EncryptionData data = EncryptionData.parse(JAVA8_V1);
        assertThat(data.protocol()).isEqualTo(EncryptionProtocol.V1_0);
        assertThat(data.contentEncryptionIv()).isEqualTo(Base64.getDecoder().decode("3ItIZK5wPHInO1sMgVuS2A=="));
        assertThat(data.encryptedRegionInfo()).isNull();
        assertThat(data.toJsonString()).isEqualTo(JAVA8_V1);
    }

    @Test
    void parse_pythonSpacedWithModeLast_equalsJavaForm() {
        EncryptionData python = EncryptionData.parse(PYTHON_V2);
        assertThat(python.encryptionMode()).isEqualTo("FullBlob");
        assertThat(python.protocol()).isEqualTo(EncryptionProtocol.V2_0);
        assertThat(python.encryptionLibrary()).isEqualTo("Python 12.6.0b1");
        assertThat(EncryptionData.parse(python.toJsonString())).isEqualTo(python);
    }

    @Test
    void parse_namesInAnyCase_likeDotNet() {
        String lower = "{\"encryptionmode\":\"FullBlob\",\"WRAPPEDCONTENTKEY\":{\"keyid\":\"k\",\"encryptedKEY\":\"AAAA\","
            + "\"algorithm\":\"A256KW\"},\"encryptionAgent\":{\"protocol\":\"2.1\",\"encryptionalgorithm\":\"AES_GCM_256\"},"
            + "\"encryptedregioninfo\":{\"datalength\":16,\"noncelength\":12},\"keywrappingmetadata\":{\"EncryptionLibrary\":\"x\"}}";
        EncryptionData data = EncryptionData.parse(lower);
        assertThat(data.protocol()).isEqualTo(EncryptionProtocol.V2_1);
        assertThat(data.encryptedRegionInfo().dataLength()).isEqualTo(16);
        assertThat(data.wrappedContentKey().keyId()).isEqualTo("k");
        assertThat(data.encryptionLibrary()).isEqualTo("x");
    }

    @Test
    void parse_nullAndUnknownMembers_areIgnored() {
        String json = "{\"EncryptionMode\":null,\"Future\":{\"a\":[1,2,{\"b\":null}]},\"WrappedContentKey\":{\"KeyId\":\"k\","
            + "\"EncryptedKey\":\"AAAA\",\"Algorithm\":\"A256KW\",\"Extra\":true},\"EncryptionAgent\":{\"Protocol\":\"2.0\","
            + "\"EncryptionAlgorithm\":\"AES_GCM_256\"},\"ContentEncryptionIV\":null,\"EncryptedRegionInfo\":"
            + "{\"DataLength\":4194304,\"NonceLength\":12,\"TagLength\":16},\"KeyWrappingMetadata\":null}";
        EncryptionData data = EncryptionData.parse(json);
        assertThat(data.encryptionMode()).isNull();
        assertThat(data.keyWrappingMetadata()).isEmpty();
        assertThat(data.toJsonString()).doesNotContain("EncryptionMode").doesNotContain("KeyWrappingMetadata");
    }

    @Test
    void forV2_writesCompactJsonInJavaMemberOrder() {
        EncryptionData data = EncryptionData.forV2(EncryptionProtocol.V2_1, new WrappedKey("id", new byte[] {1, 2, 3},
            "A256KW"), EncryptedRegionInfo.ofDataLength(16), Map.of("EncryptionLibrary", "cse4j 1"), "FullBlob");
        assertThat(data.toJsonString()).isEqualTo("{\"EncryptionMode\":\"FullBlob\",\"WrappedContentKey\":{\"KeyId\":"
            + "\"id\",\"EncryptedKey\":\"AQID\",\"Algorithm\":\"A256KW\"},\"EncryptionAgent\":{\"Protocol\":\"2.1\","
            + "\"EncryptionAlgorithm\":\"AES_GCM_256\"},\"EncryptedRegionInfo\":{\"DataLength\":16,\"NonceLength\":12},"
            + "\"KeyWrappingMetadata\":{\"EncryptionLibrary\":\"cse4j 1\"}}");
    }

    @Test
    void forV2_protocol20WithOtherRegionLength_isRefused() {
        assertThatThrownBy(() -> EncryptionData.forV2(EncryptionProtocol.V2_0, new WrappedKey("id", new byte[8], "A"),
            EncryptedRegionInfo.ofDataLength(16), Map.of(), null))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2.1");
    }

    @Test
    void withWrappedContentKey_keepsEverythingElse() {
        EncryptionData data = EncryptionData.parse(JAVA_V2);
        WrappedKey rotated = new WrappedKey("new", new byte[40], "RSA-OAEP-256");
        EncryptionData after = data.withWrappedContentKey(rotated);
        assertThat(after.wrappedContentKey()).isEqualTo(rotated);
        assertThat(after.encryptedRegionInfo()).isEqualTo(data.encryptedRegionInfo());
        assertThat(after.keyWrappingMetadata()).isEqualTo(data.keyWrappingMetadata());
        assertThat(after.encryptionMode()).isEqualTo(data.encryptionMode());
    }

    @Test
    void toString_showsNoKeyBytes() {
        EncryptionData data = EncryptionData.parse(JAVA_V2);
        assertThat(data.toString()).contains("local:kek1").contains("2.0")
            .doesNotContain("+61dQnGf0gmxaOXQ6WF5BTkkoKLVXKEickYFnhP2x");
    }

    static Stream<Arguments> malformed() {
        String key = "\"WrappedContentKey\":{\"KeyId\":\"k\",\"EncryptedKey\":\"AAAA\",\"Algorithm\":\"A256KW\"}";
        String agent2 = "\"EncryptionAgent\":{\"Protocol\":\"2.0\",\"EncryptionAlgorithm\":\"AES_GCM_256\"}";
        String agent1 = "\"EncryptionAgent\":{\"Protocol\":\"1.0\",\"EncryptionAlgorithm\":\"AES_CBC_256\"}";
        String region = "\"EncryptedRegionInfo\":{\"DataLength\":4194304,\"NonceLength\":12}";
        String iv = "\"ContentEncryptionIV\":\"AAAAAAAAAAAAAAAAAAAAAA==\"";
        return Stream.of(
            Arguments.of("empty text", "", "must be a JSON object but is missing"),
            Arguments.of("not JSON", "hello", "not valid JSON"),
            Arguments.of("array", "[]", "must be a JSON object"),
            Arguments.of("string", "\"x\"", "must be a JSON object"),
            Arguments.of("unterminated", "{" + key + "," + agent2, "not valid JSON"),
            Arguments.of("trailing content", "{" + key + "," + agent2 + "," + region + "} {}", "after its closing"),
            Arguments.of("duplicate member", "{" + key + "," + key + "," + agent2 + "," + region + "}", "more than once"),
            Arguments.of("duplicate in other case", "{" + key + "," + agent2 + "," + region + ",\"encryptedregioninfo\":{}}",
                "more than once"),
            Arguments.of("no WrappedContentKey", "{" + agent2 + "," + region + "}", "WrappedContentKey is missing"),
            Arguments.of("WrappedContentKey null", "{\"WrappedContentKey\":null," + agent2 + "," + region + "}",
                "must be a JSON object"),
            Arguments.of("WrappedContentKey a string", "{\"WrappedContentKey\":\"x\"," + agent2 + "," + region + "}",
                "must be a JSON object"),
            Arguments.of("no KeyId", "{\"WrappedContentKey\":{\"EncryptedKey\":\"AAAA\",\"Algorithm\":\"A\"}," + agent2 + ","
                + region + "}", "KeyId is missing"),
            Arguments.of("KeyId a number", "{\"WrappedContentKey\":{\"KeyId\":5,\"EncryptedKey\":\"AAAA\",\"Algorithm\":\"A\"},"
                + agent2 + "," + region + "}", "KeyId must be a string"),
            Arguments.of("no EncryptedKey", "{\"WrappedContentKey\":{\"KeyId\":\"k\",\"Algorithm\":\"A\"}," + agent2 + ","
                + region + "}", "EncryptedKey is missing"),
            Arguments.of("EncryptedKey bad base64", "{\"WrappedContentKey\":{\"KeyId\":\"k\",\"EncryptedKey\":\"!!!\","
                + "\"Algorithm\":\"A\"}," + agent2 + "," + region + "}", "not valid base64"),
            Arguments.of("EncryptedKey empty", "{\"WrappedContentKey\":{\"KeyId\":\"k\",\"EncryptedKey\":\"\","
                + "\"Algorithm\":\"A\"}," + agent2 + "," + region + "}", "EncryptedKey is missing or empty"),
            Arguments.of("no Algorithm", "{\"WrappedContentKey\":{\"KeyId\":\"k\",\"EncryptedKey\":\"AAAA\"}," + agent2 + ","
                + region + "}", "Algorithm is missing"),
            Arguments.of("no EncryptionAgent", "{" + key + "," + region + "}", "EncryptionAgent is missing"),
            Arguments.of("no Protocol", "{" + key + ",\"EncryptionAgent\":{\"EncryptionAlgorithm\":\"AES_GCM_256\"}," + region
                + "}", "Protocol is missing"),
            Arguments.of("unknown Protocol", "{" + key + ",\"EncryptionAgent\":{\"Protocol\":\"3.0\",\"EncryptionAlgorithm\":"
                + "\"AES_GCM_256\"}," + region + "}", "Unsupported encryption protocol '3.0'"),
            Arguments.of("Protocol a number", "{" + key + ",\"EncryptionAgent\":{\"Protocol\":2.0,\"EncryptionAlgorithm\":"
                + "\"AES_GCM_256\"}," + region + "}", "Protocol must be a string"),
            Arguments.of("no EncryptionAlgorithm", "{" + key + ",\"EncryptionAgent\":{\"Protocol\":\"2.0\"}," + region + "}",
                "EncryptionAlgorithm is missing"),
            Arguments.of("algorithm of other protocol", "{" + key + ",\"EncryptionAgent\":{\"Protocol\":\"2.0\","
                + "\"EncryptionAlgorithm\":\"AES_CBC_256\"}," + region + "}", "uses AES_GCM_256"),
            Arguments.of("v2 without region info", "{" + key + "," + agent2 + "}", "needs EncryptedRegionInfo"),
            Arguments.of("v2 with IV", "{" + key + "," + agent2 + "," + region + "," + iv + "}", "has no ContentEncryptionIV"),
            Arguments.of("v1 without IV", "{" + key + "," + agent1 + "}", "16-byte ContentEncryptionIV"),
            Arguments.of("v1 short IV", "{" + key + "," + agent1 + ",\"ContentEncryptionIV\":\"AAAA\"}", "has 3 bytes"),
            Arguments.of("v1 bad IV base64", "{" + key + "," + agent1 + ",\"ContentEncryptionIV\":\"@@\"}", "not valid base64"),
            Arguments.of("v1 with region info", "{" + key + "," + agent1 + "," + iv + "," + region + "}",
                "has no EncryptedRegionInfo"),
            Arguments.of("no DataLength", "{" + key + "," + agent2 + ",\"EncryptedRegionInfo\":{\"NonceLength\":12}}",
                "DataLength is missing"),
            Arguments.of("no NonceLength", "{" + key + "," + agent2 + ",\"EncryptedRegionInfo\":{\"DataLength\":16}}",
                "NonceLength is missing"),
            Arguments.of("DataLength a string", "{" + key + "," + agent2 + ",\"EncryptedRegionInfo\":{\"DataLength\":\"16\","
                + "\"NonceLength\":12}}", "DataLength must be an integer"),
            Arguments.of("DataLength fractional", "{" + key + "," + agent2 + ",\"EncryptedRegionInfo\":{\"DataLength\":16.5,"
                + "\"NonceLength\":12}}", "DataLength must be an integer"),
            Arguments.of("DataLength too large", "{" + key + "," + agent2 + ",\"EncryptedRegionInfo\":{\"DataLength\":"
                + "4294967296,\"NonceLength\":12}}", "32-bit range"),
            Arguments.of("DataLength too small", "{" + key + "," + agent2 + ",\"EncryptedRegionInfo\":{\"DataLength\":15,"
                + "\"NonceLength\":12}}", "DataLength 15"),
            Arguments.of("DataLength zero", "{" + key + "," + agent2 + ",\"EncryptedRegionInfo\":{\"DataLength\":0,"
                + "\"NonceLength\":12}}", "DataLength 0"),
            Arguments.of("DataLength over 1 GiB", "{" + key + "," + agent2 + ",\"EncryptedRegionInfo\":{\"DataLength\":"
                + "1073741825,\"NonceLength\":12}}", "DataLength 1073741825"),
            Arguments.of("2.0 DataLength 1 GiB", "{" + key + "," + agent2 + ",\"EncryptedRegionInfo\":{\"DataLength\":"
                + "1073741824,\"NonceLength\":12}}", "Protocol 2.0 regions are always 4194304 bytes, not 1073741824"),
            Arguments.of("2.0 DataLength 4 MiB - 1", "{" + key + "," + agent2 + ",\"EncryptedRegionInfo\":{\"DataLength\":"
                + "4194303,\"NonceLength\":12}}", "not 4194303"),
            Arguments.of("2.0 DataLength 4 MiB + 1", "{" + key + "," + agent2 + ",\"EncryptedRegionInfo\":{\"DataLength\":"
                + "4194305,\"NonceLength\":12}}", "not 4194305"),
            Arguments.of("2.0 DataLength 16", "{" + key + "," + agent2 + ",\"EncryptedRegionInfo\":{\"DataLength\":16,"
                + "\"NonceLength\":12}}", "not 16"),
            Arguments.of("NonceLength 8", "{" + key + "," + agent2 + ",\"EncryptedRegionInfo\":{\"DataLength\":16,"
                + "\"NonceLength\":8}}", "NonceLength 8"),
            Arguments.of("KeyWrappingMetadata an array", "{" + key + "," + agent2 + "," + region
                + ",\"KeyWrappingMetadata\":[]}", "must be a JSON object"),
            Arguments.of("KeyWrappingMetadata value a number", "{" + key + "," + agent2 + "," + region
                + ",\"KeyWrappingMetadata\":{\"EncryptionLibrary\":1}}", "EncryptionLibrary must be a string"),
            Arguments.of("EncryptionMode a number", "{\"EncryptionMode\":1," + key + "," + agent2 + "," + region + "}",
                "EncryptionMode must be a string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void parse_malformed_throwsMalformedEncryptionDataException(String name, String json, String message) {
        assertThatThrownBy(() -> EncryptionData.parse(json))
            .isInstanceOf(MalformedEncryptionDataException.class)
            .hasMessageContaining(message);
    }
}
