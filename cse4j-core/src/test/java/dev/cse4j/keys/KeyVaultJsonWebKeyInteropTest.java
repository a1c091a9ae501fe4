package dev.cse4j.keys;

import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKey;
import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.json.JsonWriter;
import com.azure.security.keyvault.keys.cryptography.KeyEncryptionKeyClientBuilder;
import com.azure.security.keyvault.keys.models.KeyOperation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import static dev.cse4j.keys.KeyInterop.CONTENT_KEY;
import static dev.cse4j.keys.KeyInterop.assertEachUnwrapsTheOthersWrap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Azure Key Vault's own local keys ({@code KeyEncryptionKeyClientBuilder.buildKeyEncryptionKey(JsonWebKey)}: the
 * cryptography runs in-process from the JSON Web Key; no vault, no network) and ours wrap and unwrap for each other,
 * and read each other's JSON Web Keys. The same through a vault (Microsoft's client against the loopback Key Vault):
 * {@link KeyVaultInteropTest}.
 */
class KeyVaultJsonWebKeyInteropTest {
    private static final List<KeyOperation> WRAP_AND_UNWRAP = List.of(KeyOperation.WRAP_KEY, KeyOperation.UNWRAP_KEY);
    private static final KeyPair RSA_3072 = TestResources.rsaKeyPair(3072);
    private static final byte[] AES_256 = "a 256-bit key encryption key....".getBytes(StandardCharsets.US_ASCII);

    private static KeyEncryptionKey keyVaultAesKey() {
        return new KeyEncryptionKeyClientBuilder().buildKeyEncryptionKey(
            com.azure.security.keyvault.keys.models.JsonWebKey.fromAes(new SecretKeySpec(AES_256, "AES"))
                .setId("kv:aes").setKeyOps(WRAP_AND_UNWRAP));
    }

    private static KeyEncryptionKey keyVaultRsaKey() {
        return new KeyEncryptionKeyClientBuilder().buildKeyEncryptionKey(
            com.azure.security.keyvault.keys.models.JsonWebKey.fromRsa(RSA_3072)
                .setId("kv:rsa").setKeyOps(WRAP_AND_UNWRAP));
    }

    @Test
    void a256kw_keyVaultLocalKeyAndOurs_unwrapEachOthersWraps() {
        AesKeyWrapKey ours = AesKeyWrapKey.of("kv:aes", AES_256);

        byte[] wrappedByKeyVault = assertEachUnwrapsTheOthersWrap(keyVaultAesKey(), ours, KeyWrapAlgorithm.A256KW);

        assertThat(ours.wrapKey(KeyWrapAlgorithm.A256KW, CONTENT_KEY)).as("AES key wrap is deterministic")
            .isEqualTo(wrappedByKeyVault);
    }

    @Test
    void rsaOaep_keyVaultLocalKeyAndOurs_unwrapEachOthersWraps() {
        assertEachUnwrapsTheOthersWrap(keyVaultRsaKey(), RsaKeyEncryptionKey.of("kv:rsa", RSA_3072),
            KeyWrapAlgorithm.RSA_OAEP);
    }

    /**
     * azure-security-keyvault-keys 4.12.1 implements RSA-OAEP-256 only in the service, not in its local keys, so
     * RSA-OAEP-256 interop is shown through the vault in {@link KeyVaultInteropTest} (and against an independent OAEP
     * and pyca/cryptography in {@link RsaKeyEncryptionKeyTest}). If this test fails after a Key Vault upgrade, Key
     * Vault gained local RSA-OAEP-256: add it here.
     */
    @Test
    void rsaOaep256_keyVaultLocalKeysDoNotImplementIt() {
        KeyEncryptionKey keyVault = keyVaultRsaKey();
        byte[] wrappedByUs = RsaKeyEncryptionKey.of("kv:rsa", RSA_3072).wrapKey(KeyWrapAlgorithm.RSA_OAEP_256,
            CONTENT_KEY);

        assertThatThrownBy(() -> keyVault.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, CONTENT_KEY))
            .hasRootCauseInstanceOf(NoSuchAlgorithmException.class);
        assertThatThrownBy(() -> keyVault.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrappedByUs))
            .hasRootCauseInstanceOf(NoSuchAlgorithmException.class);
    }

    @Test
    void asyncKeys_keyVaultLocalKeyAndOurAsyncView_unwrapEachOthersWraps() {
        AsyncKeyEncryptionKey keyVault = new KeyEncryptionKeyClientBuilder().buildAsyncKeyEncryptionKey(
            com.azure.security.keyvault.keys.models.JsonWebKey.fromAes(new SecretKeySpec(AES_256, "AES"))
                .setId("kv:aes").setKeyOps(WRAP_AND_UNWRAP)).block();
        AsyncKeyEncryptionKey ours = AesKeyWrapKey.of("kv:aes", AES_256).asAsync();

        byte[] wrappedByKeyVault = keyVault.wrapKey(KeyWrapAlgorithm.A256KW, CONTENT_KEY).block();
        byte[] wrappedByUs = ours.wrapKey(KeyWrapAlgorithm.A256KW, CONTENT_KEY).block();

        assertThat(keyVault.getKeyId().block()).isEqualTo(ours.getKeyId().block());
        assertThat(ours.unwrapKey(KeyWrapAlgorithm.A256KW, wrappedByKeyVault).block()).isEqualTo(CONTENT_KEY);
        assertThat(keyVault.unwrapKey(KeyWrapAlgorithm.A256KW, wrappedByUs).block()).isEqualTo(CONTENT_KEY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"oct", "RSA"})
    void ourGeneratedJwkJson_isAKeyVaultKeyThatInteroperatesWithOurs(String keyType) throws IOException {
        // Key Vault's local RSA wraps with RSA-OAEP, not RSA-OAEP-256: the RSA key is marked for RSA-OAEP
        JsonWebKey ours = keyType.equals("oct") ? JsonWebKey.generateAes(256, "file:key")
            : JsonWebKey.parse(JsonWebKey.generateRsa(3072, "file:key").toJson()
                .replace("\"alg\":\"RSA-OAEP-256\"", "\"alg\":\"RSA-OAEP\""));
        String algorithm = ours.defaultWrapAlgorithm();
        KeyEncryptionKey keyVault;
        try (JsonReader reader = JsonProviders.createReader(ours.toJson())) {
            keyVault = new KeyEncryptionKeyClientBuilder().buildKeyEncryptionKey(
                com.azure.security.keyvault.keys.models.JsonWebKey.fromJson(reader));
        }

        assertThat(keyVault.getKeyId()).isEqualTo("file:key");
        assertEachUnwrapsTheOthersWrap(keyVault, ours.toKeyEncryptionKey(), algorithm);
    }

    @ParameterizedTest
    @ValueSource(strings = {"oct", "RSA"})
    void keyVaultJwkJson_isOurKeyThatInteroperatesWithKeyVaults(String keyType) throws IOException {
        com.azure.security.keyvault.keys.models.JsonWebKey keyVaultJwk = (keyType.equals("oct")
            ? com.azure.security.keyvault.keys.models.JsonWebKey.fromAes(new SecretKeySpec(AES_256, "AES"))
            : com.azure.security.keyvault.keys.models.JsonWebKey.fromRsa(RSA_3072))
            .setId("kv:key").setKeyOps(WRAP_AND_UNWRAP);
        String algorithm = keyType.equals("oct") ? KeyWrapAlgorithm.A256KW : KeyWrapAlgorithm.RSA_OAEP;
        StringWriter json = new StringWriter();
        try (JsonWriter writer = JsonProviders.createWriter(json)) {
            keyVaultJwk.toJson(writer).flush();
        }

        JsonWebKey ours = JsonWebKey.parse(json.toString());

        assertThat(ours.keyId()).isEqualTo("kv:key");
        assertThat(ours.keyType()).isEqualTo(keyType);
        assertThat(ours.hasPrivateKey()).isTrue();
        assertEachUnwrapsTheOthersWrap(new KeyEncryptionKeyClientBuilder().buildKeyEncryptionKey(keyVaultJwk),
            ours.toKeyEncryptionKey(), algorithm);
    }
}
