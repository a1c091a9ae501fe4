package dev.cse4j.keys;

import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import dev.cse4j.core.KeyWrapException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AesKeyWrapKeyTest {
    /** The known-answer vectors' key encryption key: bytes 00 01 ... 1f, key id local:kek1, A256KW. */
    private static final byte[] VECTOR_KEK =
        hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final KeyMaterial VECTOR_KEK_MATERIAL = KeyMaterial.of(VECTOR_KEK);
    /** EncryptedKey of java-sdk/v2-1byte.encryptiondata.json (azure-storage-blob-cryptography 12.32.1). */
    private static final String JAVA_SDK_V2_WRAPPED =
        "+61dQnGf0gmxaOXQ6WF5BTkkoKLVXKEickYFnhP2x/FAiLaE0us+odxIDOGuWu/7";
    /** EncryptedKey of java-sdk/v1-1byte.encryptiondata.json. */
    private static final String JAVA_SDK_V1_WRAPPED = "Kii6GkQKOn5Vb/UIWvGRqhsCn3jzrJ07XgIyF5+e/MgSjk7GU11ixQ==";

    private static final AesKeyWrapKey VECTOR_KEY = AesKeyWrapKey.of("local:kek1", VECTOR_KEK);

    @ParameterizedTest(name = "RFC 3394 {0}")
    @CsvSource({
        "4.1, 000102030405060708090A0B0C0D0E0F, 00112233445566778899AABBCCDDEEFF, "
            + "1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5",
        "4.2, 000102030405060708090A0B0C0D0E0F1011121314151617, 00112233445566778899AABBCCDDEEFF, "
            + "96778B25AE6CA435F92B5B97C050AED2468AB8A17AD84E5D",
        "4.3, 000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F, 00112233445566778899AABBCCDDEEFF, "
            + "64E8C3F9CE0F5BA263E9777905818A2A93C8191E7D6E8AE7",
        "4.4, 000102030405060708090A0B0C0D0E0F1011121314151617, 00112233445566778899AABBCCDDEEFF0001020304050607, "
            + "031D33264E15D33268F24EC260743EDCE1C6C7DDEE725A936BA814915C6762D2",
        "4.5, 000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F, "
            + "00112233445566778899AABBCCDDEEFF0001020304050607, "
            + "A8F9BC1612C68B3FF6E6F4FBE30E71E4769C8B80A32CB8958CD5D17D6B254DA1",
        "4.6, 000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F, "
            + "00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F, "
            + "28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21",
    })
    void wrapAndUnwrap_rfc3394Vectors_matchExactly(String section, String kek, String keyData, String ciphertext) {
        AesKeyWrapKey key = AesKeyWrapKey.of("rfc3394-" + section, hex(kek));
        String algorithm = key.wrapAlgorithm();

        assertThat(key.wrapKey(algorithm, hex(keyData))).isEqualTo(hex(ciphertext));
        assertThat(key.unwrapKey(algorithm, hex(ciphertext))).isEqualTo(hex(keyData));
    }

    @Test
    void unwrap_javaSdkV2Vector_gives40BytesStartingWithProtocolVersionAndFiveZeros() {
        byte[] unwrapped = VECTOR_KEY.unwrapKey(KeyWrapAlgorithm.A256KW,
            Base64.getDecoder().decode(JAVA_SDK_V2_WRAPPED));

        assertThat(unwrapped).hasSize(40);
        assertThat(Arrays.copyOf(unwrapped, 8))
            .isEqualTo(new byte[] {'2', '.', '0', 0, 0, 0, 0, 0});
    }

    @Test
    void unwrap_javaSdkV1Vector_gives32ByteContentKey() {
        byte[] unwrapped = VECTOR_KEY.unwrapKey(KeyWrapAlgorithm.A256KW,
            Base64.getDecoder().decode(JAVA_SDK_V1_WRAPPED));

        assertThat(unwrapped).hasSize(32);
    }

    @Test
    void wrapAlgorithm_followsKeySize() {
        assertThat(AesKeyWrapKey.of("k", new byte[16]).wrapAlgorithm()).isEqualTo(KeyWrapAlgorithm.A128KW);
        assertThat(AesKeyWrapKey.of("k", new byte[24]).wrapAlgorithm()).isEqualTo(KeyWrapAlgorithm.A192KW);
        assertThat(AesKeyWrapKey.of("k", new byte[32]).wrapAlgorithm()).isEqualTo(KeyWrapAlgorithm.A256KW);
    }

    static Stream<Arguments> keySizesWithOtherAlgorithms() {
        List<String> names = Arrays.asList(KeyWrapAlgorithm.A128KW, KeyWrapAlgorithm.A192KW, KeyWrapAlgorithm.A256KW,
            KeyWrapAlgorithm.RSA_OAEP, KeyWrapAlgorithm.RSA_OAEP_256, KeyWrapAlgorithm.RSA1_5, "RSA", "a256kw",
            "A256KW ", "CKM_AES_KEY_WRAP", "", null);
        List<Arguments> cases = new ArrayList<>();
        for (int bytes : new int[] {16, 24, 32}) {
            String own = JsonWebKey.aesAlgorithm(bytes * 8);
            names.stream().filter(name -> !own.equals(name)).forEach(name -> cases.add(Arguments.of(bytes, name)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}-byte key, algorithm {1}")
    @MethodSource("keySizesWithOtherAlgorithms")
    void wrapAndUnwrap_algorithmNotMatchingKeySize_throwsKeyWrapExceptionNamingTheKeysAlgorithm(int keyBytes,
        String algorithm) {
        byte[] kek = Arrays.copyOf(VECTOR_KEK, keyBytes);
        AesKeyWrapKey key = AesKeyWrapKey.of("local:kek", kek);
        byte[] wrapped = key.wrapKey(key.wrapAlgorithm(), new byte[32]);

        assertThatThrownBy(() -> key.wrapKey(algorithm, new byte[32]))
            .isInstanceOf(KeyWrapException.class)
            .hasMessageContaining("does " + key.wrapAlgorithm() + " only")
            .satisfies(KeyMaterial.of(kek)::assertNotLeakedBy);
        assertThatThrownBy(() -> key.unwrapKey(algorithm, wrapped))
            .isInstanceOf(KeyWrapException.class)
            .hasMessageContaining("does " + key.wrapAlgorithm() + " only")
            .satisfies(KeyMaterial.of(kek)::assertNotLeakedBy);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 8, 15, 17, 20, 31, 33})
    void wrap_lengthNotAMultipleOf8OfAtLeast16_throwsKeyWrapException(int length) {
        assertThatThrownBy(() -> VECTOR_KEY.wrapKey(KeyWrapAlgorithm.A256KW, new byte[length]))
            .isInstanceOf(KeyWrapException.class)
            .hasMessageContaining("multiple of 8 bytes, at least 16")
            .satisfies(VECTOR_KEK_MATERIAL::assertNotLeakedBy);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {16, 24, 32, 40, 64})
    void wrapThenUnwrap_multipleOf8OfAtLeast16_returnsTheKeyFromAWrapEightBytesLonger(int length) {
        byte[] contentKey = new byte[length];
        Arrays.fill(contentKey, (byte) 0x5a);

        byte[] wrapped = VECTOR_KEY.wrapKey(KeyWrapAlgorithm.A256KW, contentKey);

        assertThat(wrapped).hasSize(length + 8);
        assertThat(VECTOR_KEY.unwrapKey(KeyWrapAlgorithm.A256KW, wrapped)).isEqualTo(contentKey);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 8, 16, 23, 25, 47})
    void unwrap_lengthNotAMultipleOf8OfAtLeast24_throwsKeyWrapException(int length) {
        assertThatThrownBy(() -> VECTOR_KEY.unwrapKey(KeyWrapAlgorithm.A256KW, new byte[length]))
            .isInstanceOf(KeyWrapException.class)
            .hasMessageContaining("multiple of 8 bytes, at least 24")
            .satisfies(VECTOR_KEK_MATERIAL::assertNotLeakedBy);
    }

    @Test
    void unwrap_withWrongKey_throwsKeyWrapExceptionSayingItIsNotTheWrappingKey() {
        byte[] otherKek = VECTOR_KEK.clone();
        otherKek[31] ^= 1;
        AesKeyWrapKey other = AesKeyWrapKey.of("local:kek1", otherKek);

        assertThatThrownBy(() -> other.unwrapKey(KeyWrapAlgorithm.A256KW,
            Base64.getDecoder().decode(JAVA_SDK_V2_WRAPPED)))
            .isInstanceOf(KeyWrapException.class)
            .hasMessageContaining("not the one that wrapped the content key")
            .hasMessageContaining("or the wrapped key was modified")
            .satisfies(KeyMaterial.of(otherKek).and(VECTOR_KEK_MATERIAL)::assertNotLeakedBy);
    }

    static IntStream wrappedKeyPositions() {
        return IntStream.range(0, 48);
    }

    @ParameterizedTest(name = "byte {0}")
    @MethodSource("wrappedKeyPositions")
    void unwrap_flippedByteInWrappedKey_throwsKeyWrapException(int position) {
        byte[] wrapped = Base64.getDecoder().decode(JAVA_SDK_V2_WRAPPED);
        wrapped[position] ^= 0x01;

        assertThatThrownBy(() -> VECTOR_KEY.unwrapKey(KeyWrapAlgorithm.A256KW, wrapped))
            .isInstanceOf(KeyWrapException.class)
            .hasMessageContaining("or the wrapped key was modified")
            .satisfies(VECTOR_KEK_MATERIAL::assertNotLeakedBy);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 8, 15, 17, 20, 31, 33, 64})
    void of_keyNot16Or24Or32Bytes_throwsIllegalArgumentException(int length) {
        assertThatThrownBy(() -> AesKeyWrapKey.of("k", new byte[length]))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("16, 24 or 32 bytes");
    }

    @Test
    void of_blankKeyId_throwsIllegalArgumentException() {
        assertThatThrownBy(() -> AesKeyWrapKey.of(" ", VECTOR_KEK))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("key id is blank");
    }

    @Test
    void of_copiesTheKey_soChangingTheCallersArrayChangesNothing() {
        byte[] callers = VECTOR_KEK.clone();
        AesKeyWrapKey key = AesKeyWrapKey.of("local:kek1", callers);
        Arrays.fill(callers, (byte) 0);

        assertThat(key.unwrapKey(KeyWrapAlgorithm.A256KW, Base64.getDecoder().decode(JAVA_SDK_V1_WRAPPED))).hasSize(32);
    }

    @Test
    void getKeyId_isTheGivenId() {
        assertThat(VECTOR_KEY.getKeyId()).isEqualTo("local:kek1");
    }

    @Test
    void destroy_makesEveryLaterOperationThrowIllegalStateException() {
        AesKeyWrapKey key = AesKeyWrapKey.of("local:kek1", VECTOR_KEK);
        byte[] wrapped = key.wrapKey(KeyWrapAlgorithm.A256KW, new byte[32]);

        key.destroy();

        assertThat(key.isDestroyed()).isTrue();
        assertThatThrownBy(() -> key.wrapKey(KeyWrapAlgorithm.A256KW, new byte[32]))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("was destroyed");
        assertThatThrownBy(() -> key.unwrapKey(KeyWrapAlgorithm.A256KW, wrapped))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("was destroyed");
        assertThat(key.toString()).contains("destroyed");
    }

    @Test
    void toString_showsKeyIdSizeAndAlgorithmButNoKeyMaterial() {
        assertThat(VECTOR_KEY.toString()).isEqualTo("AesKeyWrapKey[keyId=local:kek1, bits=256, algorithm=A256KW]");
        VECTOR_KEK_MATERIAL.assertNotInToString(VECTOR_KEY);
        VECTOR_KEK_MATERIAL.assertNotInToString(VECTOR_KEY.asAsync());
    }

    @Test
    void asAsync_wrapsAndUnwrapsAsTheSynchronousKeyDoes() {
        AsyncKeyEncryptionKey async = VECTOR_KEY.asAsync();
        byte[] contentKey = "forty bytes of content key material !!!!".getBytes(StandardCharsets.US_ASCII);

        assertThat(async.getKeyId().block()).isEqualTo("local:kek1");
        byte[] wrapped = async.wrapKey(KeyWrapAlgorithm.A256KW, contentKey).block();
        assertThat(wrapped).isEqualTo(VECTOR_KEY.wrapKey(KeyWrapAlgorithm.A256KW, contentKey));
        assertThat(async.unwrapKey(KeyWrapAlgorithm.A256KW, wrapped).block()).isEqualTo(contentKey);
    }

    @Test
    void asAsync_failure_isAnErrorSignalNotAThrowAtCallTime() {
        Mono<byte[]> unwrap = VECTOR_KEY.asAsync().unwrapKey(KeyWrapAlgorithm.A128KW, new byte[40]);

        assertThatThrownBy(unwrap::block)
            .isInstanceOf(KeyWrapException.class)
            .satisfies(VECTOR_KEK_MATERIAL::assertNotLeakedBy);
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
