package dev.cse4j.spark;

import com.azure.core.cryptography.KeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKeyResolver;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.KeyResolutionException;
import dev.cse4j.keys.JsonWebKey;
import dev.cse4j.keys.JsonWebKeySet;
import java.io.Serializable;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which keys a job reads and writes with, by name only: what tasks carry to the executors, which build the keys
 * themselves ({@link #options}). Never key material.
 *
 * @param keyFile the file name of the JSON Web Key (Set) whose every key serves the resolver that reads (the CLI's
 *     {@code --key}), or {@code null}
 * @param newKeyFile the file name of the key encryption key that writes ({@code --new-key}), or {@code null}
 * @param newKeyId which key of {@code newKeyFile} writes ({@code --new-key-id}; {@code null}: its only key)
 * @param wrapAlgorithm the algorithm that wraps ({@code --wrap-algorithm}; {@code null}: the key's default)
 * @param allowV1 whether legacy protocol 1.0 may be read ({@code --allow-v1}; migrate reads it anyway)
 * @param readFromKeyVault whether stored key ids that {@code keyFile} does not hold are resolved in Key Vault
 *     ({@code --key-vault})
 * @param newKeyVaultKeyId the Key Vault key id that writes ({@code --new-key-vault-key}), or {@code null}
 * @param keyVault how executors reach Key Vault
 */
record KeySpec(String keyFile, String newKeyFile, String newKeyId, String wrapAlgorithm, boolean allowV1,
               boolean readFromKeyVault, String newKeyVaultKeyId, KeyVaultAccess keyVault) implements Serializable {
    /** The wrap algorithm of a Key Vault key unless {@code --wrap-algorithm} says otherwise (an RSA key's). */
    static final String KEY_VAULT_DEFAULT_WRAP_ALGORITHM = "RSA-OAEP";

    /**
     * The keys as the library takes them, read from the files where {@code files} finds them (on an executor: the
     * copies shipped with the job).
     *
     * <p>Key Vault is not called here: its keys are checked by their first use on an executor, with the executor's
     * credential (the driver may have none).
     *
     * @param files the local path of a file, by name
     * @param keyVaultCalls this JVM's permits for Key Vault operations ({@link KeyVaultAccess#permits()})
     * @throws KeyResolutionException if {@code newKeyId} is not in the new key file
     * @throws IllegalArgumentException if the new key file holds several keys and no {@code newKeyId} chooses one,
     *     or the key cannot wrap with the algorithm
     */
    ClientSideEncryptionOptions options(Function<String, Path> files, Semaphore keyVaultCalls) {
        ClientSideEncryptionOptions.Builder options = ClientSideEncryptionOptions.builder()
            .allowUnauthenticatedV1Reads(allowV1);
        KeyEncryptionKeyResolver vault = readFromKeyVault ? keyVault.resolver(keyVaultCalls) : null;
        if (keyFile != null) {
            JsonWebKeySet keys = JsonWebKeySet.read(files.apply(keyFile));
            KeyEncryptionKeyResolver local = keys.resolver();
            options.keyResolver(vault == null ? local
                : keyId -> keys.find(keyId).isPresent() ? local.buildKeyEncryptionKey(keyId)
                    : vault.buildKeyEncryptionKey(keyId));
        } else if (vault != null) {
            options.keyResolver(vault);
        }
        if (newKeyVaultKeyId != null) {
            options.key(keyVault.key(newKeyVaultKeyId, keyVaultCalls),
                wrapAlgorithm != null ? wrapAlgorithm : KEY_VAULT_DEFAULT_WRAP_ALGORITHM);
        }
        if (newKeyFile != null) {
            JsonWebKey jwk = newKey(JsonWebKeySet.read(files.apply(newKeyFile)));
            String algorithm = wrapAlgorithm != null ? wrapAlgorithm : jwk.defaultWrapAlgorithm();
            KeyEncryptionKey key = jwk.toKeyEncryptionKey();
            checkWraps(key, algorithm, jwk);
            options.key(key, algorithm);
        }
        return options.build();
    }

    private JsonWebKey newKey(JsonWebKeySet keys) {
        if (newKeyId != null) {
            return keys.find(newKeyId).orElseThrow(() -> new KeyResolutionException(
                KeyResolutionException.Reason.KEY_NOT_FOUND, newKeyId, "Key file " + newKeyFile + " has no key with "
                + "id '" + newKeyId + "' (it has: " + keyIds(keys) + "). Check --new-key-id."));
        }
        if (keys.keys().size() != 1) {
            throw new IllegalArgumentException("Key file " + newKeyFile + " holds " + keys.keys().size() + " keys ("
                + keyIds(keys) + "): choose the one that wraps with --new-key-id.");
        }
        return keys.keys().get(0);
    }

    /** A trial wrap of a throwaway key, so that a key that cannot wrap fails the job before any task. */
    private void checkWraps(KeyEncryptionKey key, String algorithm, JsonWebKey jwk) {
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        try {
            key.wrapKey(algorithm, probe);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Key '" + jwk.keyId() + "' (" + jwk.keyType() + " " + jwk.sizeInBits()
                + " bits) in " + newKeyFile + " cannot wrap with " + algorithm + ": " + e.getMessage() + " Its "
                + "default is " + jwk.defaultWrapAlgorithm() + ".", e);
        }
    }

    private static String keyIds(JsonWebKeySet keys) {
        return keys.keys().stream().map(k -> "'" + k.keyId() + "'").collect(Collectors.joining(", "));
    }
}
