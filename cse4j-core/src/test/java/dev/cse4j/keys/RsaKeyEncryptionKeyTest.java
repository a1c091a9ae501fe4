package dev.cse4j.keys;

import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import dev.cse4j.core.KeyWrapException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Cipher;
import java.io.IOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RsaKeyEncryptionKeyTest {
    private static final KeyPair PAIR = TestResources.rsaKeyPair(2048);
    private static final KeyMaterial PAIR_MATERIAL = KeyMaterial.of((RSAPrivateCrtKey) PAIR.getPrivate());
    private static final RsaKeyEncryptionKey KEY = RsaKeyEncryptionKey.of("local:rsa", PAIR);
    private static final RsaKeyEncryptionKey PUBLIC_ONLY =
        RsaKeyEncryptionKey.ofPublicKey("local:rsa", (RSAPublicKey) PAIR.getPublic());
    private static final byte[] CONTENT_KEY = HexFormat.of().parseHex(
        "322e300000000000" + "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");

    @ParameterizedTest
    @ValueSource(strings = {KeyWrapAlgorithm.RSA_OAEP_256, KeyWrapAlgorithm.RSA_OAEP})
    void wrapThenUnwrap_oaepAlgorithms_returnTheContentKey(String algorithm) {
        byte[] wrapped = KEY.wrapKey(algorithm, CONTENT_KEY);

        assertThat(wrapped).hasSize(256);
        assertThat(KEY.unwrapKey(algorithm, wrapped)).isEqualTo(CONTENT_KEY);
    }

    @ParameterizedTest(name = "{0}: OAEP {1} with MGF1 {2}")
    @CsvSource({"RSA-OAEP-256, SHA-256, SHA-256", "RSA-OAEP, SHA-1, SHA-1"})
    void wrap_oaep_isDecodedByAnIndependentOaepWithTheJwaHashes(String algorithm, String hash, String mgf1Hash) {
        byte[] wrapped = KEY.wrapKey(algorithm, CONTENT_KEY);

        assertThat(new Oaep(hash, mgf1Hash).decrypt((RSAPrivateKey) PAIR.getPrivate(), wrapped))
            .isEqualTo(CONTENT_KEY);
    }

    @Test
    void wrap_rsaOaep256_isNotTheJdkDefaultWithMgf1Sha1() {
        byte[] wrapped = KEY.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, CONTENT_KEY);

        assertThatThrownBy(() -> new Oaep("SHA-256", "SHA-1").decrypt((RSAPrivateKey) PAIR.getPrivate(), wrapped))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("OAEP decoding error");
    }

    @ParameterizedTest(name = "{0}: OAEP {1} with MGF1 {2}")
    @CsvSource({"RSA-OAEP-256, SHA-256, SHA-256", "RSA-OAEP, SHA-1, SHA-1"})
    void unwrap_oaepFromAnIndependentEncoder_returnsTheContentKey(String algorithm, String hash, String mgf1Hash) {
        byte[] seed = new byte[hash.equals("SHA-256") ? 32 : 20];
        Arrays.fill(seed, (byte) 0x3c);
        byte[] wrapped = new Oaep(hash, mgf1Hash).encrypt((RSAPublicKey) PAIR.getPublic(), CONTENT_KEY, seed);

        assertThat(KEY.unwrapKey(algorithm, wrapped)).isEqualTo(CONTENT_KEY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA-OAEP-256", "RSA-OAEP", "RSA1_5"})
    void unwrap_referenceWrapFromPycaCryptography_returnsTheContentKey(String algorithm) throws IOException {
        Reference reference = Reference.load();

        assertThat(reference.key.unwrapKey(algorithm, reference.wrapped(algorithm)))
            .isEqualTo(reference.contentKey);
    }

    @Test
    void unwrap_rsaOaep256OfAWrapWithMgf1Sha1_throwsKeyWrapException() throws IOException {
        Reference reference = Reference.load();
        byte[] jdkDefaultStyle = reference.wrapped("RSA-OAEP-256 with MGF1-SHA-1 (the JDK default, not JWA)");

        assertThatThrownBy(() -> reference.key.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, jdkDefaultStyle))
            .isInstanceOf(KeyWrapException.class)
            .hasMessageContaining("not the one that wrapped the content key")
            .satisfies(reference.material::assertNotLeakedBy);
    }

    @Test
    void wrap_rsa1_5_isRefusedAsInsecureNamingRsaOaep256() {
        assertThatThrownBy(() -> KEY.wrapKey(KeyWrapAlgorithm.RSA1_5, CONTENT_KEY))
            .isInstanceOf(KeyWrapException.class)
            .hasMessageContaining("insecure")
            .hasMessageContaining("unwrapping old data only")
            .hasMessageContaining("Wrap with RSA-OAEP-256")
            .satisfies(PAIR_MATERIAL::assertNotLeakedBy);
    }

    @Test
    void unwrap_rsa1_5FromJdkPkcs1Padding_returnsTheContentKey() throws Exception {
        Cipher pkcs1 = Cipher.getInstance("RSA/ECB/PKCS1Padding");
        pkcs1.init(Cipher.ENCRYPT_MODE, PAIR.getPublic());
        byte[] wrapped = pkcs1.doFinal(CONTENT_KEY);

        assertThat(KEY.unwrapKey(KeyWrapAlgorithm.RSA1_5, wrapped)).isEqualTo(CONTENT_KEY);
    }

    @Test
    void unwrap_nonStandardNameRsa_isOaepWithSha1() {
        byte[] wrapped = KEY.wrapKey(KeyWrapAlgorithm.RSA_OAEP, CONTENT_KEY);

        assertThat(KEY.unwrapKey("RSA", wrapped)).isEqualTo(CONTENT_KEY);
    }

    @Test
    void wrap_nonStandardNameRsa_isRefused() {
        assertThatThrownBy(() -> KEY.wrapKey("RSA", CONTENT_KEY))
            .isInstanceOf(KeyWrapException.class)
            .hasMessageContaining("non-standard")
            .hasMessageContaining("Wrap with RSA-OAEP-256")
            .satisfies(PAIR_MATERIAL::assertNotLeakedBy);
    }

    @ParameterizedTest
    @ValueSource(strings = {KeyWrapAlgorithm.RSA_OAEP_256, KeyWrapAlgorithm.RSA_OAEP})
    void wrap_publicKeyOnly_wrapsForTheHolderOfThePrivateKey(String algorithm) {
        byte[] wrapped = PUBLIC_ONLY.wrapKey(algorithm, CONTENT_KEY);

        assertThat(KEY.unwrapKey(algorithm, wrapped)).isEqualTo(CONTENT_KEY);
    }

    @ParameterizedTest
    @ValueSource(strings = {KeyWrapAlgorithm.RSA_OAEP_256, KeyWrapAlgorithm.RSA_OAEP, KeyWrapAlgorithm.RSA1_5, "RSA"})
    void unwrap_publicKeyOnly_throwsKeyWrapExceptionSayingThePrivateKeyIsNeeded(String algorithm) {
        byte[] wrapped = KEY.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, CONTENT_KEY);

        assertThat(PUBLIC_ONLY.hasPrivateKey()).isFalse();
        assertThatThrownBy(() -> PUBLIC_ONLY.unwrapKey(algorithm, wrapped))
            .isInstanceOf(KeyWrapException.class)
            .hasMessageContaining("needs the private key")
            .satisfies(PAIR_MATERIAL::assertNotLeakedBy);
    }

    @ParameterizedTest
    @ValueSource(strings = {KeyWrapAlgorithm.RSA_OAEP_256, KeyWrapAlgorithm.RSA_OAEP})
    void unwrap_withWrongKey_throwsKeyWrapExceptionSayingItIsNotTheWrappingKey(String algorithm) {
        KeyPair otherPair = TestResources.rsaKeyPair(2048);
        RsaKeyEncryptionKey other = RsaKeyEncryptionKey.of("local:rsa", otherPair);
        byte[] wrapped = KEY.wrapKey(algorithm, CONTENT_KEY);

        assertThatThrownBy(() -> other.unwrapKey(algorithm, wrapped))
            .isInstanceOf(KeyWrapException.class)
            .hasMessageContaining("not the one that wrapped the content key")
            .satisfies(PAIR_MATERIAL.and(KeyMaterial.of((RSAPrivateCrtKey) otherPair.getPrivate()))
                ::assertNotLeakedBy);
    }

    @ParameterizedTest(name = "{0}, byte {1}")
    @CsvSource({"RSA-OAEP-256, 0", "RSA-OAEP-256, 100", "RSA-OAEP-256, 255", "RSA-OAEP, 1", "RSA-OAEP, 128",
        "RSA-OAEP, 255"})
    void unwrap_flippedByteInWrappedKey_throwsKeyWrapException(String algorithm, int position) {
        byte[] wrapped = KEY.wrapKey(algorithm, CONTENT_KEY);
        wrapped[position] ^= 0x01;

        assertThatThrownBy(() -> KEY.unwrapKey(algorithm, wrapped))
            .isInstanceOf(KeyWrapException.class)
            .hasMessageContaining("or the wrapped key was modified")
            .satisfies(PAIR_MATERIAL::assertNotLeakedBy);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 40, 255, 257, 512})
    void unwrap_wrappedKeyNotModulusLength_throwsKeyWrapException(int length) {
        assertThatThrownBy(() -> KEY.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, new byte[length]))
            .isInstanceOf(KeyWrapException.class)
            .hasMessageContaining("wraps to 256")
            .satisfies(PAIR_MATERIAL::assertNotLeakedBy);
    }

    @ParameterizedTest
    @ValueSource(strings = {"A256KW", "A128KW", "rsa-oaep-256", "RSA-OAEP-384", "RSA_OAEP", "", "\u0000\n"})
    void wrapAndUnwrap_unsupportedAlgorithm_throwsKeyWrapExceptionListingSupportedOnes(String algorithm) {
        byte[] wrapped = KEY.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, CONTENT_KEY);

        assertThatThrownBy(() -> KEY.wrapKey(algorithm, CONTENT_KEY))
            .isInstanceOf(KeyWrapException.class)
            .hasMessageContaining("wraps with RSA-OAEP-256 or RSA-OAEP")
            .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> KEY.unwrapKey(algorithm, wrapped))
            .isInstanceOf(KeyWrapException.class)
            .hasMessageContaining("wraps with RSA-OAEP-256 or RSA-OAEP")
            .satisfies(PAIR_MATERIAL::assertNotLeakedBy);
    }

    @Test
    void wrapAndUnwrap_nullAlgorithm_throwsKeyWrapException() {
        assertThatThrownBy(() -> KEY.wrapKey(null, CONTENT_KEY))
            .isInstanceOf(KeyWrapException.class)
            .hasMessageContaining("does not support the algorithm null")
            .satisfies(PAIR_MATERIAL::assertNotLeakedBy);
        assertThatThrownBy(() -> KEY.unwrapKey(null, new byte[256]))
            .isInstanceOf(KeyWrapException.class)
            .hasMessageContaining("does not support the algorithm null")
            .satisfies(PAIR_MATERIAL::assertNotLeakedBy);
    }

    @ParameterizedTest(name = "{0} at most {1} bytes")
    @CsvSource({"RSA-OAEP-256, 190", "RSA-OAEP, 214"})
    void wrap_contentKeyLongerThanTheSchemeAllows_throwsKeyWrapException(String algorithm, int max) {
        assertThat(KEY.unwrapKey(algorithm, KEY.wrapKey(algorithm, new byte[max]))).hasSize(max);
        assertThatThrownBy(() -> KEY.wrapKey(algorithm, new byte[max + 1]))
            .isInstanceOf(KeyWrapException.class)
            .hasMessageContaining("at most " + max + " bytes")
            .satisfies(PAIR_MATERIAL::assertNotLeakedBy);
    }

    @Test
    void of_modulusShorterThan2048Bits_throwsIllegalArgumentException() {
        KeyPair small = TestResources.rsaKeyPair(1024);

        assertThatThrownBy(() -> RsaKeyEncryptionKey.of("small", small))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("1024-bit")
            .hasMessageContaining("shorter than 2048 bits")
            .satisfies(KeyMaterial.of((RSAPrivateCrtKey) small.getPrivate())::assertNotLeakedBy);
        assertThatThrownBy(() -> RsaKeyEncryptionKey.ofPublicKey("small", (RSAPublicKey) small.getPublic()))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void of_keyPairWithoutPrivateKey_throwsIllegalArgumentExceptionPointingToOfPublicKey() {
        assertThatThrownBy(() -> RsaKeyEncryptionKey.of("k", new KeyPair(PAIR.getPublic(), null)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("ofPublicKey")
            .satisfies(PAIR_MATERIAL::assertNotLeakedBy);
    }

    @Test
    void of_privateKeyOfAnotherPair_throwsIllegalArgumentException() {
        KeyPair other = TestResources.rsaKeyPair(2048);

        assertThatThrownBy(() -> RsaKeyEncryptionKey.of("k", new KeyPair(PAIR.getPublic(), other.getPrivate())))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("not a pair")
            .satisfies(PAIR_MATERIAL.and(KeyMaterial.of((RSAPrivateCrtKey) other.getPrivate()))::assertNotLeakedBy);
    }

    @Test
    void of_nonRsaKeyPair_throwsIllegalArgumentException() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair ec = generator.generateKeyPair();

        assertThatThrownBy(() -> RsaKeyEncryptionKey.of("k", ec))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("not an RSA key pair")
            .satisfies(KeyMaterial.of(((ECPrivateKey) ec.getPrivate()).getS().toByteArray())::assertNotLeakedBy);
    }

    @Test
    void toString_showsKeyIdModulusSizeAndPrivateKeyPresenceButNoKeyMaterial() {
        assertThat(KEY.toString()).isEqualTo("RsaKeyEncryptionKey[keyId=local:rsa, bits=2048, privateKey=present]");
        assertThat(PUBLIC_ONLY.toString())
            .isEqualTo("RsaKeyEncryptionKey[keyId=local:rsa, bits=2048, privateKey=absent (wrap only)]");
        PAIR_MATERIAL.assertNotInToString(KEY);
        PAIR_MATERIAL.assertNotInToString(KEY.asAsync());
    }

    @Test
    void asAsync_wrapsAndUnwrapsAsTheSynchronousKeyDoes() {
        AsyncKeyEncryptionKey async = KEY.asAsync();

        assertThat(async.getKeyId().block()).isEqualTo("local:rsa");
        byte[] wrapped = async.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, CONTENT_KEY).block();
        assertThat(KEY.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrapped)).isEqualTo(CONTENT_KEY);
        assertThat(async.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrapped).block()).isEqualTo(CONTENT_KEY);
    }

    /** The pyca/cryptography reference key and wraps (see make-rsa-reference.py next to them). */
    private static final class Reference {
        final RsaKeyEncryptionKey key;
        final KeyMaterial material;
        final byte[] contentKey;
        private final Map<String, Object> wraps;

        private Reference(String keyJson, Map<String, Object> wraps) {
            this.key = (RsaKeyEncryptionKey) JsonWebKey.parse(keyJson).toKeyEncryptionKey();
            this.material = KeyMaterial.ofJwk(keyJson);
            this.wraps = wraps;
            this.contentKey = HexFormat.of().parseHex((String) wraps.get("content_key_hex"));
        }

        @SuppressWarnings("unchecked")
        static Reference load() throws IOException {
            try (JsonReader reader = JsonProviders.createReader(TestResources.text("rsa3072-reference-wraps.json"))) {
                return new Reference(TestResources.text("rsa3072-reference-key.jwk.json"),
                    (Map<String, Object>) reader.readUntyped());
            }
        }

        byte[] wrapped(String name) {
            return Base64.getDecoder().decode((String) wraps.get(name));
        }
    }
}
