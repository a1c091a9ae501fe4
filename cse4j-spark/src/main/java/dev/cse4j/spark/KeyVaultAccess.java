package dev.cse4j.spark;

import com.azure.core.cryptography.KeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKeyResolver;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.security.keyvault.keys.cryptography.KeyEncryptionKeyClientBuilder;
import java.io.Serializable;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * How an executor reaches Azure Key Vault: with its own credential ({@code DefaultAzureCredential}: the node's
 * managed identity, workload identity, or a service principal in the executor's environment), or through a
 * {@code Supplier<KeyEncryptionKeyClientBuilder>} class the user names ({@code --key-vault-client-factory}, for
 * another credential, cloud or proxy), and at most {@code calls} Key Vault operations in flight per executor JVM,
 * whatever the number of its tasks and {@code --concurrency}. Only names and numbers: the credential is made where
 * it is used, never shipped.
 *
 * @param clientFactory the class name of a {@code Supplier<KeyEncryptionKeyClientBuilder>} with a public no-argument
 *     constructor on the executors' class path, or {@code null} for {@code DefaultAzureCredential}
 * @param calls the most Key Vault operations (wrap, unwrap, and the key reads they start) in flight per JVM
 */
record KeyVaultAccess(String clientFactory, int calls) implements Serializable {

    /** The resolver of Key Vault key ids, each key's operations bounded by {@code permits}. */
    KeyEncryptionKeyResolver resolver(Semaphore permits) {
        KeyEncryptionKeyClientBuilder clients = clients();
        return keyId -> new BoundedKey(clients.buildKeyEncryptionKey(keyId), permits);
    }

    /** The Key Vault key {@code keyId}, its operations bounded by {@code permits}. */
    KeyEncryptionKey key(String keyId, Semaphore permits) {
        return new BoundedKey(clients().buildKeyEncryptionKey(keyId), permits);
    }

    /** @return the permits of one JVM */
    Semaphore permits() {
        return new Semaphore(calls, true);
    }

    private KeyEncryptionKeyClientBuilder clients() {
        if (clientFactory == null) {
            return new KeyEncryptionKeyClientBuilder().credential(new DefaultAzureCredentialBuilder().build());
        }
        try {
            Object factory = Class.forName(clientFactory, true, Thread.currentThread().getContextClassLoader())
                .getConstructor().newInstance();
            if (!(factory instanceof Supplier<?> supplier)
                || !(supplier.get() instanceof KeyEncryptionKeyClientBuilder builder)) {
                throw new IllegalArgumentException("--key-vault-client-factory " + clientFactory + " is not a "
                    + "Supplier<KeyEncryptionKeyClientBuilder>.");
            }
            return builder;
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalArgumentException("--key-vault-client-factory " + clientFactory + " cannot be made on "
                + ExecutorState.where() + " (" + e + "): put it on the executors' class path (spark-submit --jars) "
                + "with a public no-argument constructor.", e);
        }
    }

    /** A Key Vault key whose operations wait for one of the JVM's permits. */
    private record BoundedKey(KeyEncryptionKey key, Semaphore permits) implements KeyEncryptionKey {
        @Override
        public String getKeyId() {
            return bounded(key::getKeyId);
        }

        @Override
        public byte[] wrapKey(String algorithm, byte[] contentKey) {
            return bounded(() -> key.wrapKey(algorithm, contentKey));
        }

        @Override
        public byte[] unwrapKey(String algorithm, byte[] wrappedKey) {
            return bounded(() -> key.unwrapKey(algorithm, wrappedKey));
        }

        private <T> T bounded(Supplier<T> call) {
            try {
                permits.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for a Key Vault call to finish.", e);
            }
            try {
                return call.get();
            } finally {
                permits.release();
            }
        }

        @Override
        public String toString() {
            return "Key Vault key (bounded)";
        }
    }
}
