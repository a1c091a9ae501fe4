package dev.cse4j.table;

import dev.cse4j.core.IntegrityException;
import dev.cse4j.core.implementation.ContentKey;
import dev.cse4j.core.implementation.CryptoProvider;
import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The test vector published in docs/table-format.md, checked against the JDK's AES-GCM directly (so the spec, not
 * only this implementation, is pinned): content key 20..3f, PartitionKey "pk", RowKey "rk".
 */
class AuthenticatedFormatKnownAnswerTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY = HEX.parseHex("202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f");
    /** AAD of property "Secret". */
    static final String SECRET_AAD = "00000008637365346a2d743100000002706b00000002726b00000006536563726574";
    /** "hello, world" stored under nonce a0..ab. */
    static final String SECRET_STORED = "a0a1a2a3a4a5a6a7a8a9aaab1659c858abfba0ddce5ac1de692dc126413d31626f8d7d4d75ec49f3";
    /** AAD of the name list, property "_ClientEncryptionMetadata2". */
    static final String LIST_AAD = "00000008637365346a2d743100000002706b00000002726b0000001a"
        + "5f436c69656e74456e6372797074696f6e4d6574616461746132";
    /** ["Secret"] stored under nonce b0..bb. */
    static final String LIST_STORED = "b0b1b2b3b4b5b6b7b8b9babb6dd87922f151ad7a10506b58d3ebbc706c380ffe1edb7f7fa8a6";

    private static AuthenticatedEntityCipher cipher() {
        return new AuthenticatedEntityCipher(ContentKey.of(KEY), CryptoProvider.jdk(), "pk", "rk", "entity");
    }

    private static byte[] jdkSeal(byte[] nonce, String aadHex, byte[] plaintext) throws Exception {
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"), new GCMParameterSpec(128, nonce));
        gcm.updateAAD(HEX.parseHex(aadHex));
        byte[] body = gcm.doFinal(plaintext);
        byte[] stored = Arrays.copyOf(nonce, 12 + body.length);
        System.arraycopy(body, 0, stored, 12, body.length);
        return stored;
    }

    private static byte[] jdkOpen(byte[] stored, String aadHex) throws Exception {
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(KEY, "AES"), new GCMParameterSpec(128, stored, 0, 12));
        gcm.updateAAD(HEX.parseHex(aadHex));
        return gcm.doFinal(stored, 12, stored.length - 12);
    }

    @Test
    void publishedVectors_areWhatTheSpecsAadAndAesGcmProduce() throws Exception {
        assertThat(HEX.formatHex(jdkSeal(HEX.parseHex("a0a1a2a3a4a5a6a7a8a9aaab"), SECRET_AAD,
            "hello, world".getBytes(StandardCharsets.UTF_8)))).isEqualTo(SECRET_STORED);
        assertThat(HEX.formatHex(jdkSeal(HEX.parseHex("b0b1b2b3b4b5b6b7b8b9babb"), LIST_AAD,
            "[\"Secret\"]".getBytes(StandardCharsets.UTF_8)))).isEqualTo(LIST_STORED);
    }

    @Test
    void decrypt_readsThePublishedVectors() {
        assertThat(cipher().decrypt("Secret", HEX.parseHex(SECRET_STORED)))
            .isEqualTo("hello, world".getBytes(StandardCharsets.UTF_8));
        assertThat(cipher().decrypt("_ClientEncryptionMetadata2", HEX.parseHex(LIST_STORED)))
            .isEqualTo("[\"Secret\"]".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void encrypt_writesNonceCiphertextTag_withARandomNonce_underTheSpecsAad() throws Exception {
        byte[] plaintext = "hello, world".getBytes(StandardCharsets.UTF_8);

        byte[] first = cipher().encrypt("Secret", plaintext);
        byte[] second = cipher().encrypt("Secret", plaintext);

        assertThat(first).hasSize(12 + plaintext.length + 16);
        assertThat(jdkOpen(first, SECRET_AAD)).isEqualTo(plaintext);
        assertThat(Arrays.copyOf(first, 12)).isNotEqualTo(Arrays.copyOf(second, 12));
    }

    @Test
    void decrypt_underAnotherPlace_failsAuthentication() {
        byte[] stored = HEX.parseHex(SECRET_STORED);
        ContentKey key = ContentKey.of(KEY);

        assertThatThrownBy(() -> cipher().decrypt("Secret2", stored)).isInstanceOf(IntegrityException.class);
        assertThatThrownBy(() -> new AuthenticatedEntityCipher(key, CryptoProvider.jdk(), "pk", "rk2", "e")
            .decrypt("Secret", stored)).isInstanceOf(IntegrityException.class);
        assertThatThrownBy(() -> new AuthenticatedEntityCipher(key, CryptoProvider.jdk(), "rk", "pk", "e")
            .decrypt("Secret", stored)).isInstanceOf(IntegrityException.class);
        // Without length prefixes "p"+"krk" would equal "pk"+"rk": the prefixes keep them apart.
        assertThatThrownBy(() -> new AuthenticatedEntityCipher(key, CryptoProvider.jdk(), "p", "krk", "e")
            .decrypt("Secret", stored)).isInstanceOf(IntegrityException.class);
        assertThatThrownBy(() -> cipher().decrypt("Secret", Arrays.copyOf(stored, 27)))
            .isInstanceOf(IntegrityException.class).hasMessageContaining("fewer than a nonce and a tag");
    }
}
