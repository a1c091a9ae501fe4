package dev.cse4j.core.implementation;

import com.azure.core.cryptography.KeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKeyResolver;
import com.azure.core.util.logging.ClientLogger;
import dev.cse4j.core.ClientSideEncryptionException;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.KeyResolutionException;
import dev.cse4j.core.KeyWrapException;
import dev.cse4j.core.WrappedKey;
import reactor.core.Exceptions;

import java.util.Arrays;

/**
 * The one place where content keys are wrapped and unwrapped, and where the key encryption key for stored data is
 * chosen.
 *
 * <p>Key selection on read, for the stored {@code KeyId}:
 * <ol>
 *   <li>the configured key encryption key, if its id equals the stored id;</li>
 *   <li>otherwise the key resolver's key for that id. A resolver that returns nothing, or a key whose own id differs
 *       from the stored one, is a {@link KeyResolutionException};</li>
 *   <li>otherwise, a {@link KeyResolutionException}: the configured key has another id, or no key is configured.</li>
 * </ol>
 * This is .NET's order (local key first); it differs from Java's and Python's (resolver first) only when the
 * resolver and the configured key disagree about one id. Like Python, the resolved key's id is checked.
 */
public final class ContentKeyResolver {
    private static final ClientLogger LOGGER = new ClientLogger(ContentKeyResolver.class);

    private final KeyEncryptionKey keyEncryptionKey;
    private final String keyWrapAlgorithm;
    private final KeyEncryptionKeyResolver keyResolver;

    ContentKeyResolver(KeyEncryptionKey keyEncryptionKey, String keyWrapAlgorithm,
        KeyEncryptionKeyResolver keyResolver) {
        this.keyEncryptionKey = keyEncryptionKey;
        this.keyWrapAlgorithm = keyWrapAlgorithm;
        this.keyResolver = keyResolver;
    }

    /**
     * Wraps {@code contentKey} for {@code protocol} with the configured key encryption key.
     *
     * @throws IllegalStateException if no key encryption key is configured
     * @throws KeyWrapException if the key fails to wrap
     */
    public WrappedKey wrap(ContentKey contentKey, EncryptionProtocol protocol) {
        if (keyEncryptionKey == null) {
            throw new IllegalStateException("Cannot encrypt: no key encryption key is configured. Build the client "
                + "with ClientSideEncryptionOptions key(keyEncryptionKey, keyWrapAlgorithm).");
        }
        String keyId = keyId(keyEncryptionKey);
        if (keyId == null || keyId.isEmpty()) {
            throw new KeyWrapException("The key encryption key has no key id; readers need it to find the key. "
                + "Give the key an id.");
        }
        byte[] payload = ContentKeyWrapping.payload(protocol, contentKey);
        try {
            byte[] wrapped = keyEncryptionKey.wrapKey(keyWrapAlgorithm, payload);
            if (wrapped == null || wrapped.length == 0) {
                throw new KeyWrapException("Key encryption key '" + keyId + "' returned no wrapped key for "
                    + keyWrapAlgorithm + ".");
            }
            LOGGER.atVerbose().addKeyValue("keyId", keyId).addKeyValue("keyWrapAlgorithm", keyWrapAlgorithm)
                .addKeyValue("protocol", protocol.wireValue()).log("Content key wrapped");
            return new WrappedKey(keyId, wrapped, keyWrapAlgorithm);
        } catch (ClientSideEncryptionException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KeyWrapException("Key encryption key '" + keyId + "' failed to wrap the content key with "
                + keyWrapAlgorithm + " (" + describe(e) + "). Check that the key supports this algorithm and "
                + "that the key service is reachable.", unwrapReactive(e));
        } finally {
            Arrays.fill(payload, (byte) 0);
        }
    }

    /**
     * Unwraps the content key of {@code data} with the key chosen as the class describes, and checks that it was
     * wrapped for the protocol the metadata names.
     *
     * @throws KeyResolutionException if no key can be used for the stored key id
     * @throws KeyWrapException if the key fails to unwrap
     * @throws dev.cse4j.core.IntegrityException if the key was wrapped for another protocol version
     */
    public ContentKey unwrap(EncryptionData data) {
        WrappedKey wrapped = data.wrappedContentKey();
        KeyEncryptionKey key = select(wrapped.keyId());
        byte[] unwrapped;
        try {
            unwrapped = key.unwrapKey(wrapped.algorithm(), wrapped.encryptedKey());
        } catch (ClientSideEncryptionException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KeyWrapException("Key encryption key '" + wrapped.keyId() + "' failed to unwrap the content "
                + "key with " + wrapped.algorithm() + " (" + describe(e) + "). The key is not the one that wrapped "
                + "it, the wrapped key was modified, or the key service failed.", unwrapReactive(e));
        }
        if (unwrapped == null) {
            throw new KeyWrapException("Key encryption key '" + wrapped.keyId() + "' returned no content key.");
        }
        LOGGER.atVerbose().addKeyValue("keyId", wrapped.keyId()).addKeyValue("keyWrapAlgorithm", wrapped.algorithm())
            .addKeyValue("resolvedBy", key == keyEncryptionKey ? "configured key" : "key resolver")
            .addKeyValue("protocol", data.protocol().wireValue()).log("Content key unwrapped");
        return ContentKeyWrapping.contentKey(data.protocol(), unwrapped);
    }

    private KeyEncryptionKey select(String keyId) {
        String configuredId = keyEncryptionKey == null ? null : keyId(keyEncryptionKey);
        if (keyEncryptionKey != null && keyId.equals(configuredId)) {
            return keyEncryptionKey;
        }
        if (keyResolver != null) {
            KeyEncryptionKey resolved;
            try {
                resolved = keyResolver.buildKeyEncryptionKey(keyId);
            } catch (ClientSideEncryptionException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new KeyResolutionException(KeyResolutionException.Reason.KEY_NOT_FOUND, keyId,
                    "The key resolver failed to find key '" + keyId + "' (" + describe(e) + "). Check that the "
                        + "resolver can reach that key.", unwrapReactive(e));
            }
            if (resolved == null) {
                throw new KeyResolutionException(KeyResolutionException.Reason.KEY_NOT_FOUND, keyId,
                    "No key encryption key '" + keyId + "': the key resolver does not know it"
                        + (configuredId == null ? "" : " and the configured key is '" + configuredId + "'")
                        + ". Add that key to the resolver.");
            }
            String resolvedId = keyId(resolved);
            if (resolvedId != null && !resolvedId.equals(keyId)) {
                throw new KeyResolutionException(KeyResolutionException.Reason.KEY_ID_MISMATCH, keyId,
                    "The key resolver returned key '" + resolvedId + "' for key id '" + keyId + "'. Fix the "
                        + "resolver so it returns the key with the requested id.");
            }
            return resolved;
        }
        if (keyEncryptionKey != null) {
            throw new KeyResolutionException(KeyResolutionException.Reason.KEY_ID_MISMATCH, keyId,
                "The data was encrypted with key '" + keyId + "' but the configured key is '" + configuredId
                    + "'. Configure key '" + keyId + "', or a key resolver that has it.");
        }
        throw new KeyResolutionException(KeyResolutionException.Reason.NO_KEY_CONFIGURED, keyId,
            "Cannot decrypt: no key encryption key or key resolver is configured (the data needs key '" + keyId
                + "'). Build the client with ClientSideEncryptionOptions keyResolver(...) or key(...).");
    }

    private static String keyId(KeyEncryptionKey key) {
        try {
            return key.getKeyId();
        } catch (RuntimeException e) {
            throw new KeyResolutionException(KeyResolutionException.Reason.KEY_NOT_FOUND, null,
                "The key encryption key failed to report its key id (" + describe(e) + ").", unwrapReactive(e));
        }
    }

    private static Throwable unwrapReactive(RuntimeException e) {
        return Exceptions.unwrap(e);
    }

    private static String describe(RuntimeException e) {
        Throwable cause = Exceptions.unwrap(e);
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
