package dev.cse4j.core.implementation;

import com.azure.core.cryptography.KeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKeyResolver;
import com.azure.security.keyvault.keys.cryptography.KeyEncryptionKeyClientBuilder;
import dev.cse4j.core.EncryptedRegionInfo;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.KeyResolutionException;
import dev.cse4j.core.WrappedKey;
import dev.cse4j.core.implementation.ContentKeyResolverFormsTest.Form;
import dev.cse4j.keys.CachingAsyncKeyEncryptionKeyResolver;
import dev.cse4j.keys.CachingKeyEncryptionKeyResolver;
import dev.cse4j.keys.KeyWrapAlgorithm;
import dev.cse4j.keys.RsaKeyEncryptionKey;
import dev.cse4j.testing.CountingKeys;
import dev.cse4j.testing.KeyVaultClients;
import dev.cse4j.testing.KeyVaultExtension;
import dev.cse4j.testing.KeyVaultOperation;
import dev.cse4j.testing.KeyVaultServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.security.KeyPair;
import java.time.Duration;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * cse4j's content keys through Microsoft's real Key Vault client and the loopback Key Vault: what a key rotation does
 * to each object (unwrap with the old key, wrap with the new one) costs exactly one unwrap and one wrap per object
 * and one resolution in all, survives throttling, and, in the asynchronous form, never blocks a Reactor thread
 * (BlockHound watches every test of this module: {@link dev.cse4j.testing.BlockHoundInstaller}).
 */
class KeyVaultContentKeyTest {
    private static final int OBJECTS = 40;
    @RegisterExtension
    static final KeyVaultExtension KEY_VAULT = new KeyVaultExtension();
    private static KeyVaultServer vault;
    private static KeyPair oldPair;
    private static KeyPair newPair;
    private static String oldId;
    private static String newId;

    @BeforeAll
    static void keys() throws NoSuchAlgorithmException {
        vault = KEY_VAULT.server();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        oldPair = generator.generateKeyPair();
        newPair = generator.generateKeyPair();
        oldId = vault.importKey("old-kek", oldPair);
        newId = vault.importKey("new-kek", newPair);
    }

    /**
     * Microsoft's client for the loopback vault, retrying up to 10 times: with several requests in flight, every-Nth
     * throttling can refuse one request more often in a row than the SDK's default 3 retries allow.
     */
    private static KeyEncryptionKeyClientBuilder keyVault() {
        return KeyVaultClients.keyEncryptionKeyClientBuilder(vault, 10);
    }

    /** Objects whose content keys the old key wrapped (locally, with the same material as the vault's). */
    private static List<EncryptionData> writtenWithTheOldKey() {
        ContentKeyResolver writer = new ContentKeyResolver(RsaKeyEncryptionKey.of(oldId, oldPair),
            KeyWrapAlgorithm.RSA_OAEP_256, null);
        List<EncryptionData> objects = new ArrayList<>();
        for (int i = 0; i < OBJECTS; i++) {
            objects.add(data(writer.wrap(ContentKey.generate(), EncryptionProtocol.V2_0)));
        }
        return objects;
    }

    private static EncryptionData data(WrappedKey wrapped) {
        return EncryptionData.forV2(EncryptionProtocol.V2_0, wrapped,
            EncryptedRegionInfo.ofDataLength(EncryptedRegionInfo.V2_0_DATA_LENGTH), Agent.keyWrappingMetadata(),
            null);
    }

    /** The old key's resolver over Key Vault, cached, in the form's style, counting into {@code counting}. */
    private static KeyEncryptionKeyResolver oldKeys(Form form, CountingKeys counting) {
        return form == Form.ASYNC
            ? AsyncKeyEncryptionKeyAdapter.resolver(new CachingAsyncKeyEncryptionKeyResolver(
                counting.asyncResolver(keyVault())))
            : new CachingKeyEncryptionKeyResolver(counting.resolver(keyVault()));
    }

    /** The new Key Vault key, in the form's style, counting into {@code counting}. */
    private static KeyEncryptionKey newKey(Form form, CountingKeys counting) {
        return form == Form.ASYNC
            ? AsyncKeyEncryptionKeyAdapter.of(counting.asyncKey(keyVault().buildAsyncKeyEncryptionKey(newId).block()))
            : counting.key(keyVault().buildKeyEncryptionKey(newId));
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void rewrap_throughKeyVault_oneUnwrapAndOneWrapPerObject_oneResolution_despiteThrottling(Form form) {
        CountingKeys old = new CountingKeys();
        CountingKeys fresh = new CountingKeys();
        ContentKeyResolver reader = new ContentKeyResolver(null, null, oldKeys(form, old));
        ContentKeyResolver writer = new ContentKeyResolver(newKey(form, fresh), KeyWrapAlgorithm.RSA_OAEP_256, null);
        ContentKeyResolver checker = new ContentKeyResolver(RsaKeyEncryptionKey.of(newId, newPair),
            KeyWrapAlgorithm.RSA_OAEP_256, null);
        List<EncryptionData> objects = writtenWithTheOldKey();
        vault.throttleEvery(7, 0);

        for (EncryptionData object : objects) {
            ContentKey contentKey = form.unwrap(reader, object);
            WrappedKey rewrapped = form.wrap(writer, contentKey, EncryptionProtocol.V2_0);
            assertThat(rewrapped.keyId()).isEqualTo(newId);
            assertThat(checker.unwrap(data(rewrapped)).bytes()).isEqualTo(contentKey.bytes());
        }

        assertThat(old.resolutions()).isEqualTo(1);
        assertThat(old.unwraps()).isEqualTo(OBJECTS);
        assertThat(fresh.wraps()).isEqualTo(OBJECTS);
        assertThat(vault.calls(KeyVaultOperation.UNWRAP_KEY, "old-kek")).isEqualTo(OBJECTS);
        assertThat(vault.calls(KeyVaultOperation.WRAP_KEY, "new-kek")).isEqualTo(OBJECTS);
        assertThat(vault.calls(KeyVaultOperation.GET_KEY)).isLessThanOrEqualTo(2);
        assertThat(vault.throttled()).isPositive();
    }

    @Test
    void asyncRewrap_concurrentOnReactorThreads_neverBlocks() {
        CountingKeys old = new CountingKeys();
        ContentKeyResolver reader = new ContentKeyResolver(null, null, oldKeys(Form.ASYNC, old));
        ContentKeyResolver writer = new ContentKeyResolver(newKey(Form.ASYNC, new CountingKeys()),
            KeyWrapAlgorithm.RSA_OAEP_256, null);
        vault.throttleEvery(5, 0);

        List<WrappedKey> rewrapped = Flux.fromIterable(writtenWithTheOldKey())
            .flatMap(object -> reader.unwrapAsync(object)
                .flatMap(contentKey -> writer.wrapAsync(contentKey, EncryptionProtocol.V2_0)), 8)
            .subscribeOn(Schedulers.parallel())
            .collectList().block(Duration.ofMinutes(1));

        assertThat(rewrapped).hasSize(OBJECTS).allSatisfy(key -> assertThat(key.keyId()).isEqualTo(newId));
        assertThat(old.resolutions()).isEqualTo(1);
        assertThat(vault.calls(KeyVaultOperation.UNWRAP_KEY, "old-kek")).isEqualTo(OBJECTS);
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void keyMissingFromTheVault_isKeyNotFound(Form form) {
        String missing = vault.vaultUrl() + "/keys/deleted-kek/0123456789abcdef0123456789abcdef";
        EncryptionData object = data(new WrappedKey(missing, new byte[256], KeyWrapAlgorithm.RSA_OAEP_256));

        assertThatThrownBy(() -> form.unwrap(new ContentKeyResolver(null, null, oldKeys(form, new CountingKeys())),
            object)).isInstanceOfSatisfying(KeyResolutionException.class, e -> {
                assertThat(e.getReason()).isEqualTo(KeyResolutionException.Reason.KEY_NOT_FOUND);
                assertThat(e.getKeyId()).isEqualTo(missing);
            });
        assertThat(vault.calls(KeyVaultOperation.UNWRAP_KEY, "deleted-kek")).isEqualTo(1);
    }

    @Test
    void blockHound_isWatchingReactorThreads() {
        Mono<Object> sleeping = Mono.fromCallable(() -> {
            Thread.sleep(1);
            return "slept";
        });

        assertThatThrownBy(() -> sleeping.subscribeOn(Schedulers.parallel()).block(Duration.ofMinutes(1)))
            .hasCauseInstanceOf(BlockingOperationError.class);
    }
}
