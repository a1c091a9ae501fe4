package dev.cse4j.keys;

import com.azure.core.cryptography.KeyEncryptionKey;
import dev.cse4j.core.KeyWrapException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonWebKeyTest {
    private static final KeyMaterial VECTOR_MATERIAL = KeyMaterial.ofJwk(Jwks.VECTOR_JWK);
    private static final String RSA_JWK = Jwks.rsaReference();
    private static final KeyMaterial RSA_MATERIAL = KeyMaterial.ofJwk(RSA_JWK);
    private static final byte[] CONTENT_KEY = new byte[40];

    @Test
    void parse_octKey_givesAnA256kwKeyWithTheKid() {
        JsonWebKey key = JsonWebKey.parse(Jwks.VECTOR_JWK);

        assertThat(key.keyId()).isEqualTo("local:kek1");
        assertThat(key.keyType()).isEqualTo("oct");
        assertThat(key.sizeInBits()).isEqualTo(256);
        assertThat(key.hasPrivateKey()).isTrue();
        assertThat(key.defaultWrapAlgorithm()).isEqualTo(KeyWrapAlgorithm.A256KW);
        assertThat(key.algorithm()).isEmpty();
        assertThat(key.use()).isEmpty();
        assertThat(key.keyOperations()).isEmpty();
        KeyEncryptionKey kek = key.toKeyEncryptionKey();
        assertThat(kek).isInstanceOf(AesKeyWrapKey.class);
        assertThat(kek.getKeyId()).isEqualTo("local:kek1");
        assertThat(kek.wrapKey(KeyWrapAlgorithm.A256KW, CONTENT_KEY))
            .isEqualTo(AesKeyWrapKey.of("x", Base64.getUrlDecoder().decode(Jwks.VECTOR_K))
                .wrapKey(KeyWrapAlgorithm.A256KW, CONTENT_KEY));
    }

    @ParameterizedTest(name = "{0} bits")
    @CsvSource({"128, A128KW", "192, A192KW", "256, A256KW"})
    void defaultWrapAlgorithm_octKey_followsKeySize(int bits, String algorithm) {
        assertThat(JsonWebKey.generateAes(bits, "k").defaultWrapAlgorithm()).isEqualTo(algorithm);
    }

    @Test
    void defaultWrapAlgorithm_isTheJwkAlgMemberWhenPresent() {
        JsonWebKey oct = JsonWebKey.parse(Jwks.modify(Jwks.VECTOR_JWK, m -> m.put("alg", "A256KW")));
        JsonWebKey rsa = JsonWebKey.parse(Jwks.modify(RSA_JWK, m -> m.put("alg", "RSA-OAEP")));

        assertThat(oct.algorithm()).contains("A256KW");
        assertThat(oct.defaultWrapAlgorithm()).isEqualTo(KeyWrapAlgorithm.A256KW);
        assertThat(rsa.algorithm()).contains("RSA-OAEP");
        assertThat(rsa.defaultWrapAlgorithm()).isEqualTo(KeyWrapAlgorithm.RSA_OAEP);
    }

    @ParameterizedTest(name = "{0} with alg {1}")
    @CsvSource({"16, A256KW, 128-bit", "32, A128KW, 256-bit", "24, A256KW, 192-bit", "32, RSA-OAEP-256, 256-bit",
        "32, A256GCMKW, 256-bit", "32, dir, 256-bit"})
    void parse_octKeyWhoseAlgDoesNotFitIt_isRefusedNamingTheAlgAndTheSize(int bytes, String alg, String size) {
        String json = "{\"kty\":\"oct\",\"kid\":\"k\",\"alg\":\"" + alg + "\",\"k\":\""
            + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[bytes]) + "\"}";

        assertThatThrownBy(() -> JsonWebKey.parse(json))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("\"alg\" '" + alg + "'")
            .hasMessageContaining(size);
    }

    @ParameterizedTest
    @ValueSource(strings = {"A256KW", "RSA-OAEP-384", "ECDH-ES", "rsa-oaep-256"})
    void parse_rsaKeyWhoseAlgIsNoRsaKeyWrapAlgorithm_isRefused(String alg) {
        assertThatThrownBy(() -> JsonWebKey.parse(Jwks.modify(RSA_JWK, m -> m.put("alg", alg))))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("\"alg\" '" + alg + "'")
            .hasMessageContaining("RSA-OAEP-256, RSA-OAEP or RSA1_5");
    }

    @Test
    void wrapKey_withAnotherAlgorithmThanTheJwkAlg_isRefused_butUnwrapTakesAnyTheKeySupports() {
        KeyEncryptionKey oaep = JsonWebKey.parse(Jwks.modify(RSA_JWK, m -> m.put("alg", "RSA-OAEP")))
            .toKeyEncryptionKey();
        KeyEncryptionKey unmarked = JsonWebKey.parse(RSA_JWK).toKeyEncryptionKey();
        byte[] wrappedBefore = unmarked.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, CONTENT_KEY);

        assertThatThrownBy(() -> oaep.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, CONTENT_KEY))
            .isInstanceOf(KeyWrapException.class)
            .hasMessageContaining("\"alg\":\"RSA-OAEP\"")
            .hasMessageContaining("not RSA-OAEP-256");
        assertThat(oaep.unwrapKey(KeyWrapAlgorithm.RSA_OAEP, oaep.wrapKey(KeyWrapAlgorithm.RSA_OAEP, CONTENT_KEY)))
            .isEqualTo(CONTENT_KEY);
        assertThat(oaep.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrappedBefore)).isEqualTo(CONTENT_KEY);
    }

    @Test
    void parse_base64urlWithPadding_isAccepted() {
        JsonWebKey padded = JsonWebKey.parse(Jwks.modify(Jwks.VECTOR_JWK, m -> m.put("k", Jwks.VECTOR_K + "=")));

        assertThat(padded.toJson()).isEqualTo(JsonWebKey.parse(Jwks.VECTOR_JWK).toJson());
    }

    @Test
    void parse_rsaPrivateKey_givesAnRsaOaep256KeyThatUnwraps() {
        JsonWebKey key = JsonWebKey.parse(RSA_JWK);

        assertThat(key.keyId()).isEqualTo("test:rsa3072");
        assertThat(key.keyType()).isEqualTo("RSA");
        assertThat(key.sizeInBits()).isEqualTo(3072);
        assertThat(key.hasPrivateKey()).isTrue();
        assertThat(key.defaultWrapAlgorithm()).isEqualTo(KeyWrapAlgorithm.RSA_OAEP_256);
        assertThat(key.keyOperations()).contains(List.of("wrapKey", "unwrapKey"));
        KeyEncryptionKey kek = key.toKeyEncryptionKey();
        assertThat(kek.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, kek.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256,
            CONTENT_KEY))).isEqualTo(CONTENT_KEY);
    }

    @Test
    void parse_rsaPublicKeyOnly_wrapsButCannotUnwrap() {
        JsonWebKey publicOnly = JsonWebKey.parse(Jwks.modify(RSA_JWK,
            m -> List.of("d", "p", "q", "dp", "dq", "qi").forEach(m::remove)));
        KeyEncryptionKey kek = publicOnly.toKeyEncryptionKey();
        byte[] wrapped = kek.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, CONTENT_KEY);

        assertThat(publicOnly.hasPrivateKey()).isFalse();
        assertThat(JsonWebKey.parse(RSA_JWK).toKeyEncryptionKey().unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrapped))
            .isEqualTo(CONTENT_KEY);
        assertThatThrownBy(() -> kek.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrapped))
            .isInstanceOf(KeyWrapException.class)
            .hasMessageContaining("needs the private key")
            .satisfies(RSA_MATERIAL::assertNotLeakedBy);
    }

    @Test
    void parse_rsaPrivateExponentWithoutCrtMembers_unwraps() {
        JsonWebKey dOnly = JsonWebKey.parse(Jwks.modify(RSA_JWK,
            m -> List.of("p", "q", "dp", "dq", "qi").forEach(m::remove)));
        byte[] wrapped = JsonWebKey.parse(RSA_JWK).toKeyEncryptionKey().wrapKey(KeyWrapAlgorithm.RSA_OAEP,
            CONTENT_KEY);

        assertThat(dOnly.toKeyEncryptionKey().unwrapKey(KeyWrapAlgorithm.RSA_OAEP, wrapped)).isEqualTo(CONTENT_KEY);
        assertThat(Jwks.members(dOnly.toJson())).containsKey("d").doesNotContainKeys("p", "q", "dp", "dq", "qi");
    }

    @Test
    void parse_unknownMembers_areIgnored() {
        JsonWebKey key = JsonWebKey.parse(Jwks.modify(Jwks.VECTOR_JWK, m -> {
            m.put("ext", true);
            m.put("x5t", "abc");
            m.put("custom", List.of(1, 2));
        }));

        assertThat(Jwks.members(key.toJson())).containsOnlyKeys("kty", "kid", "k");
    }

    @Test
    void parse_withoutKid_throwsAskingToAddOne() {
        assertThatThrownBy(() -> JsonWebKey.parse(Jwks.modify(Jwks.VECTOR_JWK, m -> m.remove("kid"))))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("has no key id: add a \"kid\" member")
            .satisfies(VECTOR_MATERIAL::assertNotLeakedBy);
        assertThatThrownBy(() -> JsonWebKey.parse(Jwks.modify(Jwks.VECTOR_JWK, m -> m.put("kid", "  "))))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("add a \"kid\" member")
            .satisfies(VECTOR_MATERIAL::assertNotLeakedBy);
    }

    @ParameterizedTest
    @ValueSource(strings = {"EC", "OKP", "rsa", "OCT", ""})
    void parse_unsupportedKty_throwsNamingIt(String keyType) {
        assertThatThrownBy(() -> JsonWebKey.parse(Jwks.modify(Jwks.VECTOR_JWK, m -> m.put("kty", keyType))))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("key type (kty) '" + keyType + "' is not supported")
            .hasMessageContaining("kid 'local:kek1'")
            .satisfies(VECTOR_MATERIAL::assertNotLeakedBy);
    }

    @Test
    void parse_withoutKty_throwsNamingTheMember() {
        assertThatThrownBy(() -> JsonWebKey.parse(Jwks.modify(Jwks.VECTOR_JWK, m -> m.remove("kty"))))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("no \"kty\" member")
            .satisfies(VECTOR_MATERIAL::assertNotLeakedBy);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+",
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh/",
        "AAECAwQFBgcICQoLDA0O DxAREhMUFRYXGBkaGxwdHh8",
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8!",
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=A"})
    void parse_keyNotValidBase64url_throwsNamingTheMemberButNotItsValue(String k) {
        assertThatThrownBy(() -> JsonWebKey.parse(Jwks.modify(Jwks.VECTOR_JWK, m -> m.put("k", k))))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("member \"k\" is not valid base64url")
            .hasNoCause()
            .satisfies(VECTOR_MATERIAL::assertNotLeakedBy)
            .satisfies(thrown -> assertThat(thrown.getMessage()).doesNotContain(k.substring(0, 16)));
    }

    @Test
    void parse_rsaMemberNotValidBase64url_throwsNamingTheMember() {
        assertThatThrownBy(() -> JsonWebKey.parse(Jwks.modify(RSA_JWK,
            m -> m.put("d", ((String) m.get("d")).replace('-', '+').replace('_', '/') + "+/"))))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("member \"d\" is not valid base64url")
            .hasMessageContaining("kid 'test:rsa3072'")
            .satisfies(RSA_MATERIAL::assertNotLeakedBy);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {8, 20, 31, 33, 64})
    void parse_octKeyNot128Or192Or256Bits_throws(int bytes) {
        byte[] key = new byte[bytes];
        Arrays.fill(key, (byte) 0xa7);
        String k = Base64.getUrlEncoder().withoutPadding().encodeToString(key);

        assertThatThrownBy(() -> JsonWebKey.parse(Jwks.modify(Jwks.VECTOR_JWK, m -> m.put("k", k))))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("is a " + bytes * 8 + "-bit key; AES key wrap needs 128, 192 or 256 bits")
            .satisfies(KeyMaterial.of(key)::assertNotLeakedBy);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "kid      | 5                | member \"kid\" must be a string but is a number",
        "k        | true             | member \"k\" must be a string but is a boolean",
        "alg      | null             | member \"alg\" must be a string but is null",
        "key_ops  | \"wrapKey\"      | member \"key_ops\" must be an array of distinct strings",
        "key_ops  | [\"wrapKey\", 1] | must be an array of distinct strings (RFC 7517 §4.3); it has a number",
        "key_ops  | [\"wrapKey\",\"wrapKey\"] | it has 'wrapKey' twice",
        "use      | {}               | member \"use\" must be a string but is an object",
    })
    void parse_memberOfTheWrongType_throwsNamingIt(String member, String json, String message) {
        String text = Jwks.VECTOR_JWK.replace("{\"kty\"", "{\"" + member + "\":" + json + ",\"kty\"")
            .replace(",\"" + member + "\":\"", ",\"ignored\":\"");

        assertThatThrownBy(() -> JsonWebKey.parse(text))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining(message)
            .satisfies(VECTOR_MATERIAL::assertNotLeakedBy);
    }

    @Test
    void parse_memberTwice_throws() {
        String twice = Jwks.VECTOR_JWK.replace("{", "{\"kid\":\"other\",");

        assertThatThrownBy(() -> JsonWebKey.parse(twice))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("has the member \"kid\" twice")
            .satisfies(VECTOR_MATERIAL::assertNotLeakedBy);
    }

    @Test
    void parse_invalidJson_givesThePositionButNeverEchoesTheText() {
        String broken = Jwks.VECTOR_JWK.replace("\"}", "\" oops}");

        assertThatThrownBy(() -> JsonWebKey.parse(broken))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("is not valid JSON (line 1, column")
            .hasNoCause()
            .satisfies(VECTOR_MATERIAL::assertNotLeakedBy);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "[]", "\"k\"", "{} {}", "{\"a\":" + "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1"
        + "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}"})
    void parse_notOneJsonObject_throwsJsonWebKeyException(String json) {
        assertThatThrownBy(() -> JsonWebKey.parse(json))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageStartingWith("the JSON Web Key ");
    }

    @Test
    void parse_jwkSet_isRefusedPointingToJsonWebKeySet() {
        assertThatThrownBy(() -> JsonWebKey.parse("{\"keys\":[" + Jwks.VECTOR_JWK + "]}"))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("is a JWK Set")
            .hasMessageContaining("JsonWebKeySet")
            .satisfies(VECTOR_MATERIAL::assertNotLeakedBy);
    }

    @Test
    void parse_rsaWithSomeCrtMembersMissing_throws() {
        assertThatThrownBy(() -> JsonWebKey.parse(Jwks.modify(RSA_JWK, m -> m.remove("dq"))))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("some but not all of the private members")
            .satisfies(RSA_MATERIAL::assertNotLeakedBy);
        assertThatThrownBy(() -> JsonWebKey.parse(Jwks.modify(RSA_JWK, m -> m.remove("d"))))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("some but not all of the private members")
            .satisfies(RSA_MATERIAL::assertNotLeakedBy);
    }

    @Test
    void parse_rsaPrimesNotMatchingModulus_throws() {
        String swapped = Jwks.modify(RSA_JWK, m -> m.put("p", Jwks.members(Jwks.rsaReference()).get("dp")));

        assertThatThrownBy(() -> JsonWebKey.parse(swapped))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("do not multiply to the modulus")
            .satisfies(RSA_MATERIAL::assertNotLeakedBy);
    }

    @Test
    void parse_multiPrimeRsa_throws() {
        assertThatThrownBy(() -> JsonWebKey.parse(Jwks.modify(RSA_JWK, m -> m.put("oth", List.of()))))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("multi-prime RSA keys")
            .satisfies(RSA_MATERIAL::assertNotLeakedBy);
    }

    @Test
    void parse_rsaModulusShorterThan2048Bits_throws() {
        String small = Jwks.modify(RSA_JWK, m -> {
            List.of("d", "p", "q", "dp", "dq", "qi").forEach(m::remove);
            m.put("n", ((String) m.get("n")).substring(0, 170));
        });

        assertThatThrownBy(() -> JsonWebKey.parse(small))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("accepts 2048 to 16384 bits")
            .satisfies(KeyMaterial.of(Base64.getUrlDecoder().decode((String) Jwks.members(small).get("n")))
                ::assertNotLeakedBy);
    }

    @Test
    void keyOps_wrapKeyOnly_wrapsButRefusesToUnwrap() {
        KeyEncryptionKey kek = JsonWebKey.parse(Jwks.modify(Jwks.VECTOR_JWK,
            m -> m.put("key_ops", List.of("wrapKey")))).toKeyEncryptionKey();
        byte[] wrapped = kek.wrapKey(KeyWrapAlgorithm.A256KW, CONTENT_KEY);

        assertThatThrownBy(() -> kek.unwrapKey(KeyWrapAlgorithm.A256KW, wrapped))
            .isInstanceOf(KeyWrapException.class)
            .hasMessageContaining("may not be used to unwrapKey")
            .hasMessageContaining("Add \"unwrapKey\" to key_ops")
            .satisfies(VECTOR_MATERIAL::assertNotLeakedBy);
    }

    @Test
    void keyOps_unwrapKeyOnly_unwrapsButRefusesToWrap() {
        KeyEncryptionKey kek = JsonWebKey.parse(Jwks.modify(Jwks.VECTOR_JWK,
            m -> m.put("key_ops", List.of("unwrapKey", "decrypt")))).toKeyEncryptionKey();
        byte[] wrapped = JsonWebKey.parse(Jwks.VECTOR_JWK).toKeyEncryptionKey().wrapKey(KeyWrapAlgorithm.A256KW,
            CONTENT_KEY);

        assertThat(kek.unwrapKey(KeyWrapAlgorithm.A256KW, wrapped)).isEqualTo(CONTENT_KEY);
        assertThatThrownBy(() -> kek.wrapKey(KeyWrapAlgorithm.A256KW, CONTENT_KEY))
            .isInstanceOf(KeyWrapException.class)
            .hasMessageContaining("may not be used to wrapKey")
            .satisfies(VECTOR_MATERIAL::assertNotLeakedBy);
    }

    @Test
    void keyOps_restrictsRsaKeysToo() {
        KeyEncryptionKey kek = JsonWebKey.parse(Jwks.modify(RSA_JWK, m -> m.put("key_ops", List.of("wrapKey"))))
            .toKeyEncryptionKey();
        byte[] wrapped = kek.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, CONTENT_KEY);

        assertThatThrownBy(() -> kek.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrapped))
            .isInstanceOf(KeyWrapException.class)
            .hasMessageContaining("may not be used to unwrapKey")
            .satisfies(RSA_MATERIAL::assertNotLeakedBy);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[\"sign\",\"verify\"]", "[\"encrypt\",\"decrypt\"]"})
    void toKeyEncryptionKey_keyOpsWithoutWrapOrUnwrap_throwsJsonWebKeyException(String keyOps) {
        JsonWebKey key = JsonWebKey.parse(Jwks.VECTOR_JWK.replace("{", "{\"key_ops\":" + keyOps + ","));

        assertThatThrownBy(key::toKeyEncryptionKey)
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("neither \"wrapKey\" nor \"unwrapKey\"")
            .satisfies(VECTOR_MATERIAL::assertNotLeakedBy);
    }

    @Test
    void toKeyEncryptionKey_useSig_throwsJsonWebKeyException() {
        JsonWebKey key = JsonWebKey.parse(Jwks.modify(Jwks.VECTOR_JWK, m -> m.put("use", "sig")));

        assertThatThrownBy(key::toKeyEncryptionKey)
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("\"use\":'sig'")
            .hasMessageContaining("not for encryption")
            .satisfies(VECTOR_MATERIAL::assertNotLeakedBy);
    }

    @Test
    void toKeyEncryptionKey_useEnc_isAccepted() {
        JsonWebKey key = JsonWebKey.parse(Jwks.modify(Jwks.VECTOR_JWK, m -> m.put("use", "enc")));

        assertThat(key.use()).contains("enc");
        assertThat(key.toKeyEncryptionKey().wrapKey(KeyWrapAlgorithm.A256KW, CONTENT_KEY)).hasSize(48);
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 192, 256})
    void generateAes_makesAWrapAndUnwrapKeyOfThatSize(int bits) {
        JsonWebKey key = JsonWebKey.generateAes(bits, "gen:aes");
        JsonWebKey other = JsonWebKey.generateAes(bits, "gen:aes");
        KeyEncryptionKey kek = key.toKeyEncryptionKey();

        assertThat(key.sizeInBits()).isEqualTo(bits);
        assertThat(key.keyType()).isEqualTo("oct");
        assertThat(key.algorithm()).contains(key.defaultWrapAlgorithm());
        assertThat(key.keyOperations()).contains(List.of("wrapKey", "unwrapKey"));
        byte[] wrapped = kek.wrapKey(key.defaultWrapAlgorithm(), CONTENT_KEY);
        assertThat(kek.unwrapKey(key.defaultWrapAlgorithm(), wrapped)).isEqualTo(CONTENT_KEY);
        assertThat(Jwks.members(other.toJson()).get("k")).isNotEqualTo(Jwks.members(key.toJson()).get("k"));
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {2048, 3072, 4096})
    void generateRsa_makesAWrapAndUnwrapKeyOfThatSize(int bits) {
        JsonWebKey key = JsonWebKey.generateRsa(bits, "gen:rsa");
        KeyEncryptionKey kek = key.toKeyEncryptionKey();

        assertThat(key.sizeInBits()).isEqualTo(bits);
        assertThat(key.keyType()).isEqualTo("RSA");
        assertThat(key.hasPrivateKey()).isTrue();
        assertThat(key.algorithm()).contains(KeyWrapAlgorithm.RSA_OAEP_256);
        assertThat(Jwks.members(key.toJson())).containsKeys("n", "e", "d", "p", "q", "dp", "dq", "qi");
        byte[] wrapped = kek.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, CONTENT_KEY);
        assertThat(kek.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrapped)).isEqualTo(CONTENT_KEY);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 64, 127, 512})
    void generateAes_unsupportedSize_throwsIllegalArgumentException(int bits) {
        assertThatThrownBy(() -> JsonWebKey.generateAes(bits, "k"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("128, 192 or 256");
    }

    @ParameterizedTest
    @ValueSource(ints = {1024, 2047, 8192})
    void generateRsa_unsupportedSize_throwsIllegalArgumentException(int bits) {
        assertThatThrownBy(() -> JsonWebKey.generateRsa(bits, "k"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("2048, 3072 or 4096");
    }

    @Test
    void generate_blankKeyId_throwsIllegalArgumentException() {
        assertThatThrownBy(() -> JsonWebKey.generateAes(256, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonWebKey.generateRsa(2048, " ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toJsonThenParse_roundTripsEveryKindOfKey() {
        JsonWebKey rsaPublic = JsonWebKey.parse(Jwks.modify(RSA_JWK,
            m -> List.of("d", "p", "q", "dp", "dq", "qi").forEach(m::remove)));
        JsonWebKey rsaDOnly = JsonWebKey.parse(Jwks.modify(RSA_JWK,
            m -> List.of("p", "q", "dp", "dq", "qi").forEach(m::remove)));
        JsonWebKey withAttributes = JsonWebKey.parse(Jwks.modify(Jwks.VECTOR_JWK, m -> {
            m.put("alg", "A256KW");
            m.put("use", "enc");
            m.put("key_ops", List.of("unwrapKey", "wrapKey"));
        }));
        List<JsonWebKey> keys = List.of(JsonWebKey.parse(Jwks.VECTOR_JWK), withAttributes, JsonWebKey.parse(RSA_JWK),
            rsaPublic, rsaDOnly, JsonWebKey.generateAes(128, "gen"), JsonWebKey.generateRsa(2048, "gen"));

        for (JsonWebKey key : keys) {
            JsonWebKey again = JsonWebKey.parse(key.toJson());
            assertThat(again.toJson()).isEqualTo(key.toJson());
            assertThat(again.toString()).isEqualTo(key.toString());
        }
        assertThat(Jwks.members(JsonWebKey.parse(RSA_JWK).toJson())).isEqualTo(Jwks.members(RSA_JWK));
        assertThat(JsonWebKey.parse(Jwks.VECTOR_JWK).toJson()).isEqualTo(Jwks.VECTOR_JWK);
    }

    @Test
    void toJsonThenParse_givesAKeyThatUnwrapsWhatTheOriginalWrapped() {
        JsonWebKey original = JsonWebKey.generateRsa(2048, "gen:rsa");
        byte[] wrapped = original.toKeyEncryptionKey().wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, CONTENT_KEY);

        assertThat(JsonWebKey.parse(original.toJson()).toKeyEncryptionKey()
            .unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrapped)).isEqualTo(CONTENT_KEY);
    }

    @Test
    void toString_showsIdTypeAndSizeButNoKeyMaterial() {
        JsonWebKey oct = JsonWebKey.parse(Jwks.VECTOR_JWK);
        JsonWebKey rsa = JsonWebKey.parse(RSA_JWK);
        JsonWebKey generated = JsonWebKey.generateAes(256, "gen");

        assertThat(oct.toString()).isEqualTo("JsonWebKey[kid=local:kek1, kty=oct, bits=256]");
        assertThat(rsa.toString()).isEqualTo("JsonWebKey[kid=test:rsa3072, kty=RSA, bits=3072, privateKey=present]");
        VECTOR_MATERIAL.assertNotInToString(oct);
        VECTOR_MATERIAL.assertNotInToString(oct.toKeyEncryptionKey());
        RSA_MATERIAL.assertNotInToString(rsa);
        RSA_MATERIAL.assertNotInToString(rsa.toKeyEncryptionKey());
        KeyMaterial.ofJwk(generated.toJson()).assertNotInToString(generated);
    }
}
