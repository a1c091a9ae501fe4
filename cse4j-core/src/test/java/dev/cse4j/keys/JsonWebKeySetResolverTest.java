package dev.cse4j.keys;

import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKey;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonWebKeySetResolverTest {
    /** EncryptedKey of java-sdk/v2-1byte.encryptiondata.json, wrapped by local:kek1 with A256KW. */
    private static final byte[] JAVA_SDK_V2_WRAPPED =
        Base64.getDecoder().decode("+61dQnGf0gmxaOXQ6WF5BTkkoKLVXKEickYFnhP2x/FAiLaE0us+odxIDOGuWu/7");
    private static final String SIGNING_KEY =
        "{\"kty\":\"oct\",\"kid\":\"local:sig\",\"use\":\"sig\",\"k\":\"AAECAwQFBgcICQoLDA0ODw\"}";
    private static final JsonWebKeySetResolver RESOLVER = JsonWebKeySet.parse("{\"keys\":[" + Jwks.VECTOR_JWK + ","
        + Jwks.rsaReference() + "," + SIGNING_KEY + "]}").resolver();

    @Test
    void buildKeyEncryptionKey_knownKeyId_givesTheKeyThatUnwrapsItsData() {
        KeyEncryptionKey key = RESOLVER.buildKeyEncryptionKey("local:kek1");

        assertThat(key.getKeyId()).isEqualTo("local:kek1");
        assertThat(key.unwrapKey(KeyWrapAlgorithm.A256KW, JAVA_SDK_V2_WRAPPED)).hasSize(40);
        assertThat(RESOLVER.buildKeyEncryptionKey("test:rsa3072")).isInstanceOf(RsaKeyEncryptionKey.class);
    }

    @Test
    void buildKeyEncryptionKey_unknownOrNullKeyId_givesNull() {
        assertThat(RESOLVER.buildKeyEncryptionKey("local:unknown")).isNull();
        assertThat(RESOLVER.buildKeyEncryptionKey(null)).isNull();
    }

    @Test
    void buildAsyncKeyEncryptionKey_knownKeyId_givesTheKeyThatUnwrapsItsData() {
        AsyncKeyEncryptionKey key = RESOLVER.buildAsyncKeyEncryptionKey("local:kek1").block();

        assertThat(key.getKeyId().block()).isEqualTo("local:kek1");
        assertThat(key.unwrapKey(KeyWrapAlgorithm.A256KW, JAVA_SDK_V2_WRAPPED).block()).hasSize(40);
    }

    @Test
    void buildAsyncKeyEncryptionKey_unknownOrNullKeyId_givesAnEmptyMono() {
        assertThat(RESOLVER.buildAsyncKeyEncryptionKey("local:unknown").blockOptional()).isEmpty();
        assertThat(RESOLVER.buildAsyncKeyEncryptionKey(null).blockOptional()).isEmpty();
    }

    @Test
    void buildKeyEncryptionKey_knownKeyNotForEncryption_throwsJsonWebKeyException() {
        assertThatThrownBy(() -> RESOLVER.buildKeyEncryptionKey("local:sig"))
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("not for encryption")
            .satisfies(KeyMaterial.ofJwk(SIGNING_KEY)::assertNotLeakedBy);
    }

    @Test
    void buildAsyncKeyEncryptionKey_knownKeyNotForEncryption_signalsTheErrorInsteadOfThrowing() {
        Mono<? extends AsyncKeyEncryptionKey> resolution = RESOLVER.buildAsyncKeyEncryptionKey("local:sig");

        assertThatThrownBy(resolution::block)
            .isInstanceOf(JsonWebKeyException.class)
            .hasMessageContaining("not for encryption")
            .satisfies(KeyMaterial.ofJwk(SIGNING_KEY)::assertNotLeakedBy);
    }

    @Test
    void buildKeyEncryptionKey_returnsANewKeyEachTime_soDestroyingOneDoesNotBreakTheNext() {
        AesKeyWrapKey first = (AesKeyWrapKey) RESOLVER.buildKeyEncryptionKey("local:kek1");
        first.destroy();

        KeyEncryptionKey second = RESOLVER.buildKeyEncryptionKey("local:kek1");

        assertThat(second).isNotSameAs(first);
        assertThat(second.unwrapKey(KeyWrapAlgorithm.A256KW, JAVA_SDK_V2_WRAPPED)).hasSize(40);
    }
}
