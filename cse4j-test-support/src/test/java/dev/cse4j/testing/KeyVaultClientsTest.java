package dev.cse4j.testing;

import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKey;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Microsoft's real Key Vault client (azure-security-keyvault-keys 4.12.1, sync and async) against the loopback
 * server, and what it sends: it fetches the key once per client instance, wraps RSA-OAEP locally with the public
 * key, and sends RSA-OAEP-256 and AES key wrap to the vault.
 */
class KeyVaultClientsTest {
    private static final byte[] CONTENT_KEY = "2.0\0\0\0\0\0a 32-byte content encryption key"
        .getBytes(StandardCharsets.US_ASCII);
    @RegisterExtension
    static final KeyVaultExtension KEY_VAULT = new KeyVaultExtension();
    private static KeyVaultServer vault;
    private static String rsaId;
    private static String aesId;

    @BeforeAll
    static void start() {
        vault = KEY_VAULT.server();
        rsaId = vault.createRsaKey("rsa", 2048);
        aesId = vault.createAesKey("hsm-aes", 256);
    }

    private static KeyEncryptionKey kek(String keyId) {
        return KeyVaultClients.keyEncryptionKeyClientBuilder(vault).buildKeyEncryptionKey(keyId);
    }

    @Test
    void rsaOaep256_wrapsAndUnwrapsInTheVault_afterOneGetKey() {
        KeyEncryptionKey kek = kek(rsaId);

        byte[] wrapped = kek.wrapKey("RSA-OAEP-256", CONTENT_KEY);
        byte[] unwrapped = kek.unwrapKey("RSA-OAEP-256", wrapped);
        kek.unwrapKey("RSA-OAEP-256", wrapped);

        assertThat(unwrapped).isEqualTo(CONTENT_KEY);
        assertThat(kek.getKeyId()).isEqualTo(rsaId);
        assertThat(vault.calls(KeyVaultOperation.GET_KEY, "rsa")).isEqualTo(1);
        assertThat(vault.calls(KeyVaultOperation.WRAP_KEY, "rsa")).isEqualTo(1);
        assertThat(vault.calls(KeyVaultOperation.UNWRAP_KEY, "rsa")).isEqualTo(2);
    }

    @Test
    void rsaOaep_wrapsLocallyWithThePublicKey_unwrapsInTheVault() {
        KeyEncryptionKey kek = kek(rsaId);

        byte[] unwrapped = kek.unwrapKey("RSA-OAEP", kek.wrapKey("RSA-OAEP", CONTENT_KEY));

        assertThat(unwrapped).isEqualTo(CONTENT_KEY);
        assertThat(vault.calls(KeyVaultOperation.WRAP_KEY)).isZero();
        assertThat(vault.calls(KeyVaultOperation.UNWRAP_KEY)).isEqualTo(1);
    }

    @Test
    void a256kw_onAManagedHsmStyleAesKey_wrapsAndUnwrapsInTheVault() {
        KeyEncryptionKey kek = kek(aesId);

        byte[] wrapped = kek.wrapKey("A256KW", CONTENT_KEY);

        assertThat(wrapped).hasSize(CONTENT_KEY.length + 8);
        assertThat(kek.unwrapKey("A256KW", wrapped)).isEqualTo(CONTENT_KEY);
        assertThat(vault.calls(KeyVaultOperation.WRAP_KEY, "hsm-aes")).isEqualTo(1);
        assertThat(vault.calls(KeyVaultOperation.UNWRAP_KEY, "hsm-aes")).isEqualTo(1);
    }

    @Test
    void asyncKey_wrapsAndUnwrapsInTheVault() {
        AsyncKeyEncryptionKey kek = KeyVaultClients.keyEncryptionKeyClientBuilder(vault)
            .buildAsyncKeyEncryptionKey(rsaId).block();

        byte[] wrapped = kek.wrapKey("RSA-OAEP-256", CONTENT_KEY).block();

        assertThat(kek.unwrapKey("RSA-OAEP-256", wrapped).block()).isEqualTo(CONTENT_KEY);
        assertThat(kek.getKeyId().block()).isEqualTo(rsaId);
        assertThat(vault.calls(KeyVaultOperation.UNWRAP_KEY, "rsa")).isEqualTo(1);
    }

    @Test
    void throttledWithinTheRetryBudget_succeedsAfterRetryAfter() {
        KeyEncryptionKey kek = kek(aesId);
        byte[] wrapped = kek.wrapKey("A256KW", CONTENT_KEY);
        vault.resetCounts();
        vault.throttleNext(3, 0);

        assertThat(kek.unwrapKey("A256KW", wrapped)).isEqualTo(CONTENT_KEY);
        assertThat(vault.throttled()).isEqualTo(3);
        assertThat(vault.calls(KeyVaultOperation.UNWRAP_KEY)).isEqualTo(1);
    }

    @Test
    void throttledPastTheDefaultRetries_fails429_unlessMoreRetriesAreAllowed() {
        byte[] wrapped = kek(aesId).wrapKey("A256KW", CONTENT_KEY);
        KeyEncryptionKey defaultRetries = kek(aesId);
        defaultRetries.unwrapKey("A256KW", wrapped);
        vault.throttleNext(4, 0);

        assertThatThrownBy(() -> defaultRetries.unwrapKey("A256KW", wrapped))
            .isInstanceOfSatisfying(HttpResponseException.class,
                e -> assertThat(e.getResponse().getStatusCode()).isEqualTo(429));

        KeyEncryptionKey patient = KeyVaultClients.keyEncryptionKeyClientBuilder(vault, 10)
            .buildKeyEncryptionKey(aesId);
        vault.throttleNext(8, 0);
        assertThat(patient.unwrapKey("A256KW", wrapped)).isEqualTo(CONTENT_KEY);
    }

    @Test
    void rotation_oldVersionStillUnwrapsItsKeys_unversionedIdUsesTheNewest() {
        String first = vault.createRsaKey("rotated", 2048);
        byte[] wrappedByFirst = kek(first).wrapKey("RSA-OAEP-256", CONTENT_KEY);
        String second = vault.rotateKey("rotated");
        String unversioned = vault.vaultUrl() + "/keys/rotated";

        assertThat(kek(first).unwrapKey("RSA-OAEP-256", wrappedByFirst)).isEqualTo(CONTENT_KEY);
        assertThatThrownBy(() -> kek(unversioned).unwrapKey("RSA-OAEP-256", wrappedByFirst))
            .isInstanceOfSatisfying(HttpResponseException.class,
                e -> assertThat(e.getResponse().getStatusCode()).isEqualTo(400));
        byte[] wrappedByNewest = kek(unversioned).wrapKey("RSA-OAEP-256", CONTENT_KEY);
        assertThat(kek(second).unwrapKey("RSA-OAEP-256", wrappedByNewest)).isEqualTo(CONTENT_KEY);
    }

    @Test
    void unknownKey_isResourceNotFound() {
        KeyEncryptionKey kek = kek(vault.vaultUrl() + "/keys/absent/0123456789abcdef0123456789abcdef");

        assertThatThrownBy(() -> kek.unwrapKey("RSA-OAEP-256", new byte[256]))
            .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void countingKeysAndResolver_countWhatTheClientDoes() {
        CountingKeys counting = new CountingKeys();
        KeyEncryptionKey kek = counting.resolver(KeyVaultClients.keyEncryptionKeyClientBuilder(vault))
            .buildKeyEncryptionKey(aesId);
        AsyncKeyEncryptionKey asyncKek = counting.asyncResolver(KeyVaultClients.keyEncryptionKeyClientBuilder(vault))
            .buildAsyncKeyEncryptionKey(aesId).block();

        byte[] wrapped = kek.wrapKey("A256KW", CONTENT_KEY);
        asyncKek.unwrapKey("A256KW", wrapped);
        assertThat(asyncKek.unwrapKey("A256KW", wrapped).block()).isEqualTo(CONTENT_KEY);
        kek.getKeyId();

        assertThat(counting.resolutions(aesId)).isEqualTo(2);
        assertThat(counting.wraps()).isEqualTo(1);
        assertThat(counting.unwraps()).as("the unsubscribed Mono did nothing").isEqualTo(1);
        assertThat(counting.keyIdReads()).isEqualTo(1);
        assertThat(vault.calls(KeyVaultOperation.UNWRAP_KEY)).isEqualTo(1);
        counting.reset();
        assertThat(counting.toString()).isEqualTo("CountingKeys[wraps=0, unwraps=0, keyIdReads=0, resolutions=0]");
    }
}
