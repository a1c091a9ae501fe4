package dev.cse4j.core.implementation;

import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.keys.AesKeyWrapKey;
import dev.cse4j.keys.KeyWrapAlgorithm;
import dev.cse4j.testing.Vectors;

/** The vectors' key encryption key (bytes 00..1f, id local:kek1, A256KW) and settings built on it. */
final class TestKeys {
    static final String KEK_ID = "local:kek1";

    private TestKeys() {
    }

    static byte[] kekBytes() {
        return Vectors.kek(Vectors.JAVA_SDK);
    }

    static AesKeyWrapKey kek() {
        return AesKeyWrapKey.of(KEK_ID, kekBytes());
    }

    /** The vectors' key as a JWK (oct, base64url of 00..1f). */
    static String kekJwk() {
        return "{\"kty\":\"oct\",\"kid\":\"" + KEK_ID + "\",\"k\":\""
            + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(kekBytes()) + "\"}";
    }

    static EncryptionSettings settings() {
        return EncryptionSettings.of(builder().build());
    }

    static ClientSideEncryptionOptions.Builder builder() {
        return ClientSideEncryptionOptions.builder().key(kek(), KeyWrapAlgorithm.A256KW);
    }
}
