package dev.cse4j.keys;

import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKey;
import com.azure.security.keyvault.keys.cryptography.KeyEncryptionKeyClientBuilder;
import dev.cse4j.testing.CountingKeys;
import dev.cse4j.testing.KeyVaultClients;
import dev.cse4j.testing.KeyVaultExtension;
import dev.cse4j.testing.KeyVaultOperation;
import dev.cse4j.testing.KeyVaultServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

import static dev.cse4j.keys.KeyInterop.CONTENT_KEY;
import static dev.cse4j.keys.KeyInterop.assertEachUnwrapsTheOthersWrap;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Microsoft's real Key Vault client (azure-security-keyvault-keys 4.12.1: {@code KeyEncryptionKeyClientBuilder},
 * sync and async) against the loopback Key Vault in test support, and cse4j's local keys holding the same key
 * material: each unwraps what the other wrapped, and the caching resolvers make a vault key cost one key fetch, then
 * one vault call per object.
 */
class KeyVaultInteropTest {
    private static final byte[] AES_256 = "a 256-bit key encryption key....".getBytes(StandardCharsets.US_ASCII);
    private static final KeyPair RSA = TestResources.rsaKeyPair(2048);
    @RegisterExtension
    static final KeyVaultExtension KEY_VAULT = new KeyVaultExtension();
    private static KeyVaultServer vault;
    private static String rsaId;
    private static String aesId;

    @BeforeAll
    static void start() {
        vault = KEY_VAULT.server();
        rsaId = vault.importKey("rsa", RSA);
        aesId = vault.importKey("hsm-aes", new SecretKeySpec(AES_256, "AES"));
    }

    /**
     * Microsoft's client for the loopback vault, retrying up to 10 times: with several requests in flight, every-Nth
     * throttling can refuse one request more often in a row than the SDK's default 3 retries allow.
     */
    private static KeyEncryptionKeyClientBuilder keyVault() {
        return KeyVaultClients.keyEncryptionKeyClientBuilder(vault, 10);
    }

    @Test
    void rsaOaep256_vaultKeyAndLocalKeyOfTheSameMaterial_unwrapEachOthersWraps() {
        assertEachUnwrapsTheOthersWrap(keyVault().buildKeyEncryptionKey(rsaId), RsaKeyEncryptionKey.of(rsaId, RSA),
            KeyWrapAlgorithm.RSA_OAEP_256);

        assertThat(vault.calls(KeyVaultOperation.WRAP_KEY, "rsa")).as("the client sends RSA-OAEP-256 to the vault")
            .isEqualTo(1);
        assertThat(vault.calls(KeyVaultOperation.UNWRAP_KEY, "rsa")).isEqualTo(1);
    }

    @Test
    void rsaOaep_vaultKeyAndLocalKey_unwrapEachOthersWraps_theClientWrappingLocally() {
        assertEachUnwrapsTheOthersWrap(keyVault().buildKeyEncryptionKey(rsaId), RsaKeyEncryptionKey.of(rsaId, RSA),
            KeyWrapAlgorithm.RSA_OAEP);

        assertThat(vault.calls(KeyVaultOperation.GET_KEY, "rsa")).isEqualTo(1);
        assertThat(vault.calls(KeyVaultOperation.WRAP_KEY)).as("wrapped with the fetched public key").isZero();
        assertThat(vault.calls(KeyVaultOperation.UNWRAP_KEY, "rsa")).isEqualTo(1);
    }

    @Test
    void a256kw_managedHsmKeyAndLocalAesKey_wrapIdentically() {
        AesKeyWrapKey ours = AesKeyWrapKey.of(aesId, AES_256);

        byte[] wrappedByKeyVault = assertEachUnwrapsTheOthersWrap(keyVault().buildKeyEncryptionKey(aesId), ours,
            KeyWrapAlgorithm.A256KW);

        assertThat(wrappedByKeyVault).as("AES key wrap is deterministic")
            .isEqualTo(ours.wrapKey(KeyWrapAlgorithm.A256KW, CONTENT_KEY));
        assertThat(vault.calls(KeyVaultOperation.WRAP_KEY, "hsm-aes")).isEqualTo(1);
    }

    @Test
    void asyncVaultKeyAndOurAsyncView_unwrapEachOthersWraps() {
        AsyncKeyEncryptionKey keyVault = keyVault().buildAsyncKeyEncryptionKey(rsaId).block();
        AsyncKeyEncryptionKey ours = RsaKeyEncryptionKey.of(rsaId, RSA).asAsync();

        byte[] wrappedByKeyVault = keyVault.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, CONTENT_KEY).block();
        byte[] wrappedByUs = ours.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, CONTENT_KEY).block();

        assertThat(keyVault.getKeyId().block()).isEqualTo(ours.getKeyId().block());
        assertThat(ours.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrappedByKeyVault).block()).isEqualTo(CONTENT_KEY);
        assertThat(keyVault.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrappedByUs).block()).isEqualTo(CONTENT_KEY);
        assertThat(vault.calls(KeyVaultOperation.UNWRAP_KEY, "rsa")).isEqualTo(1);
    }

    private static List<byte[]> wrappedLocally(int objects) {
        RsaKeyEncryptionKey local = RsaKeyEncryptionKey.of(rsaId, RSA);
        List<byte[]> wrapped = new ArrayList<>();
        for (int i = 0; i < objects; i++) {
            wrapped.add(local.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, CONTENT_KEY));
        }
        return wrapped;
    }

    @Test
    void vaultAsResolver_uncached_fetchesTheKeyForEveryObject() {
        List<byte[]> objects = wrappedLocally(10);

        for (byte[] wrapped : objects) {
            assertThat(keyVault().buildKeyEncryptionKey(rsaId).unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrapped))
                .isEqualTo(CONTENT_KEY);
        }

        assertThat(vault.calls(KeyVaultOperation.GET_KEY, "rsa")).isEqualTo(10);
        assertThat(vault.calls(KeyVaultOperation.UNWRAP_KEY, "rsa")).isEqualTo(10);
    }

    @Test
    void vaultAsResolver_cached_resolvesOnce_thenOneUnwrapPerObject() {
        CountingKeys counting = new CountingKeys();
        CachingKeyEncryptionKeyResolver resolver = new CachingKeyEncryptionKeyResolver(counting.resolver(keyVault()));
        List<byte[]> objects = wrappedLocally(50);

        for (byte[] wrapped : objects) {
            assertThat(resolver.buildKeyEncryptionKey(rsaId).unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrapped))
                .isEqualTo(CONTENT_KEY);
        }

        assertThat(counting.resolutions(rsaId)).isEqualTo(1);
        assertThat(counting.unwraps()).isEqualTo(50);
        assertThat(vault.calls(KeyVaultOperation.GET_KEY, "rsa")).isEqualTo(1);
        assertThat(vault.calls(KeyVaultOperation.UNWRAP_KEY, "rsa")).isEqualTo(50);
    }

    @Test
    void asyncVaultAsResolver_cached_concurrentObjects_resolveOnce_andSurviveThrottling() {
        CountingKeys counting = new CountingKeys();
        CachingAsyncKeyEncryptionKeyResolver resolver =
            new CachingAsyncKeyEncryptionKeyResolver(counting.asyncResolver(keyVault()));
        List<byte[]> objects = wrappedLocally(40);
        vault.throttleEvery(5, 0);

        List<byte[]> unwrapped = Flux.fromIterable(objects)
            .flatMap(wrapped -> resolver.buildAsyncKeyEncryptionKey(rsaId)
                .flatMap(key -> key.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrapped)), 8)
            .collectList().block();

        assertThat(unwrapped).hasSize(40).allSatisfy(key -> assertThat(key).isEqualTo(CONTENT_KEY));
        assertThat(counting.resolutions(rsaId)).isEqualTo(1);
        assertThat(vault.calls(KeyVaultOperation.UNWRAP_KEY, "rsa")).isEqualTo(40);
        assertThat(vault.throttled()).as("every 5th request was answered 429 and retried").isPositive();
    }

    @Test
    void rotatedVaultKey_oldVersionStillUnwrapsItsObjects_newVersionWraps() {
        String first = vault.createRsaKey("rotating", 2048);
        CachingKeyEncryptionKeyResolver resolver = new CachingKeyEncryptionKeyResolver(keyVault());
        byte[] oldObject = resolver.buildKeyEncryptionKey(first).wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, CONTENT_KEY);

        String second = vault.rotateKey("rotating");
        byte[] newObject = resolver.buildKeyEncryptionKey(second).wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, CONTENT_KEY);

        assertThat(second).isNotEqualTo(first).startsWith(vault.vaultUrl() + "/keys/rotating/");
        assertThat(resolver.buildKeyEncryptionKey(first).unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, oldObject))
            .isEqualTo(CONTENT_KEY);
        assertThat(resolver.buildKeyEncryptionKey(second).unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, newObject))
            .isEqualTo(CONTENT_KEY);
        assertThat(resolver.size()).isEqualTo(2);
    }
}
