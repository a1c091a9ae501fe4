package dev.cse4j.blob;

import com.azure.core.util.BinaryData;
import com.azure.security.keyvault.keys.cryptography.KeyEncryptionKeyClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.fleet.EncryptionState;
import dev.cse4j.fleet.FleetAction;
import dev.cse4j.fleet.FleetOptions;
import dev.cse4j.fleet.FleetOutcome;
import dev.cse4j.fleet.FleetSummary;
import dev.cse4j.keys.KeyWrapAlgorithm;
import dev.cse4j.keys.AesKeyWrapKey;
import dev.cse4j.testing.CountingKeys;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.KeyVaultClients;
import dev.cse4j.testing.KeyVaultExtension;
import dev.cse4j.testing.KeyVaultOperation;
import dev.cse4j.testing.KeyVaultServer;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rotating blobs from one Key Vault key to another through Microsoft's real Key Vault client
 * (azure-security-keyvault-keys, 10 retries) against the loopback KeyVaultServer, which throttles (429 with
 * Retry-After): every blob is rewrapped, with one unwrap and one wrap in the vault per blob and the old key resolved
 * once. 200 blobs in the normal suite, the 1,000 of issue 11 under the tag {@code large}. AES keys (Managed HSM
 * style, A256KW in the vault) keep the vault's work small.
 */
@ExtendWith(AzuriteExtension.class)
class KeyVaultRotationTest {
    private static final int CONCURRENCY = 16;
    private static final byte[] OLD_KEY = "the old 256-bit key encrypt. key".getBytes(StandardCharsets.US_ASCII);
    @RegisterExtension
    static final KeyVaultExtension KEY_VAULT = new KeyVaultExtension();

    @Test
    void rotate200Blobs_throughKeyVault_survivesThrottling_withOneUnwrapAndOneWrapPerBlob(Azurite azurite)
        throws Exception {
        rotate(azurite, 200, 20);
    }

    @Test
    @Tag("large")
    void rotate1000Blobs_throughKeyVault_survivesThrottling_withOneUnwrapAndOneWrapPerBlob(Azurite azurite)
        throws Exception {
        rotate(azurite, 1_000, 100);
    }

    private static void rotate(Azurite azurite, int blobs, int throttleEvery) throws Exception {
        KeyVaultServer vault = KEY_VAULT.server();
        String oldId = vault.importKey("old", new SecretKeySpec(OLD_KEY, "AES"));
        String newId = vault.createAesKey("new", 256);
        BlobContainerClient container = Fixtures.container(azurite, "keyvault");
        long start = System.nanoTime();
        write(container, blobs, ClientSideEncryptionOptions.builder().key(AesKeyWrapKey.of(oldId, OLD_KEY),
            KeyWrapAlgorithm.A256KW).build());
        long written = System.nanoTime();
        vault.resetCounts();
        vault.throttleEvery(throttleEvery, 1);
        KeyEncryptionKeyClientBuilder keyVault = KeyVaultClients.keyEncryptionKeyClientBuilder(vault, 10);
        CountingKeys oldKeys = new CountingKeys();
        CountingKeys newKeys = new CountingKeys();
        ClientSideEncryptionOptions keys = ClientSideEncryptionOptions.builder()
            .keyResolver(oldKeys.resolver(keyVault))
            .key(newKeys.key(keyVault.buildKeyEncryptionKey(newId)), KeyWrapAlgorithm.A256KW).build();

        FleetSummary summary = BlobFleetOperation.create(container, FleetOptions.builder(FleetAction.REWRAP)
            .concurrency(CONCURRENCY).build(), keys).run(null, result -> assertThat(result.to())
                .as(result.toJson()).isEqualTo(new EncryptionState("2.0", newId)));

        long rotated = System.nanoTime();
        vault.stopThrottling();
        assertThat(summary.count(FleetOutcome.REWRAPPED)).isEqualTo(blobs);
        assertThat(vault.throttled()).as("requests answered 429 with Retry-After").isPositive();
        assertThat(oldKeys.resolutions(oldId)).as("the old key resolved once").isEqualTo(1);
        assertThat(oldKeys.unwraps()).isEqualTo(blobs);
        assertThat(newKeys.wraps()).isEqualTo(blobs);
        assertThat(vault.calls(KeyVaultOperation.UNWRAP_KEY, "old")).isEqualTo(blobs);
        assertThat(vault.calls(KeyVaultOperation.WRAP_KEY, "new")).isEqualTo(blobs);
        assertThat(vault.calls(KeyVaultOperation.UNWRAP_KEY, "new")).isZero();
        assertThat(vault.calls(KeyVaultOperation.GET_KEY)).as("key fetches: the SDK's first use of each key, once "
            + "per worker at most").isLessThanOrEqualTo(2L * CONCURRENCY);
        System.out.printf("Key Vault rotation of %d blobs (concurrency %d): %d ms (writing them: %d ms); vault "
                + "calls: %d unwrap, %d wrap, %d get key; %d answered 429%n", blobs, CONCURRENCY,
            (rotated - written) / 1_000_000, (written - start) / 1_000_000,
            vault.calls(KeyVaultOperation.UNWRAP_KEY), vault.calls(KeyVaultOperation.WRAP_KEY),
            vault.calls(KeyVaultOperation.GET_KEY), vault.throttled());
        for (int i = 0; i < blobs; i += blobs / 3) {
            assertThat(Fixtures.builder(container, name(i), ClientSideEncryptionOptions.builder()
                .key(keyVault.buildKeyEncryptionKey(newId), KeyWrapAlgorithm.A256KW))
                .buildEncryptedBlobClient().downloadContent().toBytes()).isEqualTo(TestData.random(64, i));
        }
    }

    /** {@code blobs} small blobs under the old key, written with its local twin (no vault calls). */
    private static void write(BlobContainerClient container, int blobs, ClientSideEncryptionOptions options)
        throws Exception {
        EncryptedBlobContainerClient encrypted = new EncryptedBlobContainerClientBuilder()
            .blobContainerClient(container).clientSideEncryptionOptions(options).buildEncryptedBlobContainerClient();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> uploads = new ArrayList<>();
            for (int i = 0; i < blobs; i++) {
                int n = i;
                uploads.add(pool.submit(() -> encrypted.getEncryptedBlobClient(name(n))
                    .upload(BinaryData.fromBytes(TestData.random(64, n)))));
            }
            for (Future<?> upload : uploads) {
                upload.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String name(int i) {
        return String.format("blob-%04d", i);
    }
}
