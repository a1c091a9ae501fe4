package dev.cse4j.core.implementation;

import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import com.azure.core.cryptography.AsyncKeyEncryptionKeyResolver;
import com.azure.core.cryptography.KeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKeyResolver;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.util.logging.ClientLogger;
import dev.cse4j.core.ClientSideEncryptionException;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.KeyResolutionException;
import dev.cse4j.core.KeyWrapException;
import dev.cse4j.core.WrappedKey;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

import java.util.Arrays;
import java.util.Optional;

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
 * resolver and the configured key disagree about one id. Like Python, the resolved key's id is checked. A key
 * service that answers 404 to an unwrap (Key Vault without that key or version: azure-core's
 * {@link ResourceNotFoundException}) is a {@link KeyResolutionException} too.
 *
 * <p>Every operation comes twice, with the same rules, results and exceptions: blocking ({@link #wrap},
 * {@link #unwrap}) for the synchronous clients, and as a {@link Mono} ({@link #wrapAsync}, {@link #unwrapAsync}) that
 * never blocks, for the asynchronous ones. The asynchronous forms use the configured key and resolver asynchronously
 * when they were given that way, and otherwise as {@link KeyViews} describes (a synchronous key that may block runs
 * on Reactor's bounded elastic scheduler).
 */
public final class ContentKeyResolver {
    private static final ClientLogger LOGGER = new ClientLogger(ContentKeyResolver.class);

    private final KeyEncryptionKey keyEncryptionKey;
    private final String keyWrapAlgorithm;
    private final KeyEncryptionKeyResolver keyResolver;
    private final AsyncKeyEncryptionKey asyncKeyEncryptionKey;
    private final AsyncKeyEncryptionKeyResolver asyncKeyResolver;

    ContentKeyResolver(KeyEncryptionKey keyEncryptionKey, String keyWrapAlgorithm,
        KeyEncryptionKeyResolver keyResolver) {
        this.keyEncryptionKey = keyEncryptionKey;
        this.keyWrapAlgorithm = keyWrapAlgorithm;
        this.keyResolver = keyResolver;
        this.asyncKeyEncryptionKey = KeyViews.async(keyEncryptionKey);
        this.asyncKeyResolver = KeyViews.async(keyResolver);
    }

    /**
     * Wraps {@code contentKey} for {@code protocol} with the configured key encryption key.
     *
     * @throws IllegalStateException if no key encryption key is configured
     * @throws KeyWrapException if the key fails to wrap
     */
    public WrappedKey wrap(ContentKey contentKey, EncryptionProtocol protocol) {
        if (keyEncryptionKey == null) {
            throw noKeyToWrap();
        }
        String keyId = keyId(keyEncryptionKey);
        if (keyId == null || keyId.isEmpty()) {
            throw noKeyId();
        }
        byte[] payload = ContentKeyWrapping.payload(protocol, contentKey);
        byte[] wrapped;
        try {
            wrapped = keyEncryptionKey.wrapKey(keyWrapAlgorithm, payload);
        } catch (RuntimeException e) {
            throw wrapFailed(keyId, e);
        } finally {
            Arrays.fill(payload, (byte) 0);
        }
        return wrapped(keyId, protocol, wrapped);
    }

    /**
     * {@link #wrap} as a {@link Mono} that never blocks: the same checks, result and exceptions, as error signals.
     */
    public Mono<WrappedKey> wrapAsync(ContentKey contentKey, EncryptionProtocol protocol) {
        if (asyncKeyEncryptionKey == null) {
            return Mono.error(noKeyToWrap());
        }
        return asyncKeyId(asyncKeyEncryptionKey)
            .flatMap(keyId -> keyId.isEmpty() ? Mono.error(noKeyId()) : Mono.using(
                () -> ContentKeyWrapping.payload(protocol, contentKey),
                payload -> Mono.defer(() -> asyncKeyEncryptionKey.wrapKey(keyWrapAlgorithm, payload)),
                payload -> Arrays.fill(payload, (byte) 0))
                .onErrorMap(e -> !(e instanceof ClientSideEncryptionException), e -> wrapFailed(keyId, e))
                .map(Optional::of).defaultIfEmpty(Optional.empty())
                .map(result -> wrapped(keyId, protocol, result.orElse(null))));
    }

    /**
     * Unwraps the content key of {@code data} with the key chosen as the class describes, and checks that it was
     * wrapped for the protocol the metadata names.
     *
     * @throws KeyResolutionException if no key can be used for the stored key id, or the key service has no such
     *     key
     * @throws KeyWrapException if the key fails to unwrap
     * @throws dev.cse4j.core.IntegrityException if the key was wrapped for another protocol version
     */
    public ContentKey unwrap(EncryptionData data) {
        WrappedKey wrapped = data.wrappedContentKey();
        KeyEncryptionKey key = select(wrapped.keyId());
        byte[] unwrapped;
        try {
            unwrapped = key.unwrapKey(wrapped.algorithm(), wrapped.encryptedKey());
        } catch (RuntimeException e) {
            throw unwrapFailed(wrapped, e);
        }
        return contentKey(data, unwrapped, key == keyEncryptionKey);
    }

    /**
     * {@link #unwrap} as a {@link Mono} that never blocks: the same choice of key, result and exceptions, as error
     * signals.
     */
    public Mono<ContentKey> unwrapAsync(EncryptionData data) {
        WrappedKey wrapped = data.wrappedContentKey();
        return selectAsync(wrapped.keyId()).flatMap(key -> Mono.defer(
                () -> key.unwrapKey(wrapped.algorithm(), wrapped.encryptedKey()))
            .onErrorMap(e -> !(e instanceof ClientSideEncryptionException), e -> unwrapFailed(wrapped, e))
            .map(Optional::of).defaultIfEmpty(Optional.empty())
            .map(unwrapped -> contentKey(data, unwrapped.orElse(null), key == asyncKeyEncryptionKey)));
    }

    /**
     * Re-wraps the content key of {@code data} (key rotation): one unwrap with the key chosen as the class describes,
     * one wrap with the configured key encryption key, for the same protocol (so the protocol prefix of 2.x and
     * {@code cse4j-t1} keys is kept). No data is decrypted, so no read policy applies. The content key is destroyed
     * when done. Waits on nothing where {@code blocking} is {@link Blocking#OFFLOADED}.
     *
     * @return {@code data} with the new wrapped key; an error signal with what {@link #unwrap} and {@link #wrap}
     *     throw
     */
    public Mono<EncryptionData> rewrap(EncryptionData data, Blocking blocking) {
        Mono<ContentKey> unwrapped = blocking == Blocking.ALLOWED ? Mono.fromCallable(() -> unwrap(data))
            : unwrapAsync(data);
        return Mono.usingWhen(unwrapped,
            key -> (blocking == Blocking.ALLOWED ? Mono.fromCallable(() -> wrap(key, data.protocol()))
                : wrapAsync(key, data.protocol())).map(data::withWrappedContentKey),
            key -> Mono.fromRunnable(key::destroy));
    }

    /**
     * The key encryption key that unwraps what key {@code keyId} wrapped, chosen as the class describes, without
     * using it (a resolver that finds keys lazily, like Key Vault's, may still fail when the key is used).
     *
     * @throws KeyResolutionException if no key can be used for {@code keyId}
     */
    public KeyEncryptionKey keyFor(String keyId) {
        return select(keyId);
    }

    /** The configured key encryption key's id, or {@code null} if none is configured. */
    public String keyId() {
        return keyEncryptionKey == null ? null : keyId(keyEncryptionKey);
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
            } catch (RuntimeException e) {
                throw resolverFailed(keyId, e);
            }
            if (resolved == null) {
                throw notFound(keyId, configuredId);
            }
            checkResolvedId(keyId, keyId(resolved));
            return resolved;
        }
        throw noKeyFor(keyId, keyEncryptionKey != null, configuredId);
    }

    private Mono<AsyncKeyEncryptionKey> selectAsync(String keyId) {
        Mono<Optional<String>> configuredId = asyncKeyEncryptionKey == null ? Mono.just(Optional.empty())
            : asyncKeyId(asyncKeyEncryptionKey).map(id -> Optional.ofNullable(id.isEmpty() ? null : id));
        return configuredId.flatMap(configured -> {
            String configuredKeyId = configured.orElse(null);
            if (asyncKeyEncryptionKey != null && keyId.equals(configuredKeyId)) {
                return Mono.just(asyncKeyEncryptionKey);
            }
            if (asyncKeyResolver == null) {
                return Mono.error(noKeyFor(keyId, asyncKeyEncryptionKey != null, configuredKeyId));
            }
            return Mono.defer(() -> asyncKeyResolver.buildAsyncKeyEncryptionKey(keyId))
                .onErrorMap(e -> !(e instanceof ClientSideEncryptionException), e -> resolverFailed(keyId, e))
                .switchIfEmpty(Mono.error(() -> notFound(keyId, configuredKeyId)))
                .flatMap(resolved -> asyncKeyId(resolved).map(resolvedId -> {
                    checkResolvedId(keyId, resolvedId.isEmpty() ? null : resolvedId);
                    return resolved;
                }));
        });
    }

    private WrappedKey wrapped(String keyId, EncryptionProtocol protocol, byte[] wrapped) {
        if (wrapped == null || wrapped.length == 0) {
            throw new KeyWrapException("Key encryption key '" + keyId + "' returned no wrapped key for "
                + keyWrapAlgorithm + ".");
        }
        LOGGER.atVerbose().addKeyValue("keyId", keyId).addKeyValue("keyWrapAlgorithm", keyWrapAlgorithm)
            .addKeyValue("protocol", protocol.wireValue()).log("Content key wrapped");
        return new WrappedKey(keyId, wrapped, keyWrapAlgorithm);
    }

    private static ContentKey contentKey(EncryptionData data, byte[] unwrapped, boolean configuredKey) {
        WrappedKey wrapped = data.wrappedContentKey();
        if (unwrapped == null) {
            throw new KeyWrapException("Key encryption key '" + wrapped.keyId() + "' returned no content key.");
        }
        LOGGER.atVerbose().addKeyValue("keyId", wrapped.keyId()).addKeyValue("keyWrapAlgorithm", wrapped.algorithm())
            .addKeyValue("resolvedBy", configuredKey ? "configured key" : "key resolver")
            .addKeyValue("protocol", data.protocol().wireValue()).log("Content key unwrapped");
        return ContentKeyWrapping.contentKey(data.protocol(), unwrapped);
    }

    private static void checkResolvedId(String keyId, String resolvedId) {
        if (resolvedId != null && !resolvedId.equals(keyId)) {
            throw new KeyResolutionException(KeyResolutionException.Reason.KEY_ID_MISMATCH, keyId,
                "The key resolver returned key '" + resolvedId + "' for key id '" + keyId + "'. Fix the "
                    + "resolver so it returns the key with the requested id.");
        }
    }

    private static String keyId(KeyEncryptionKey key) {
        try {
            return key.getKeyId();
        } catch (RuntimeException e) {
            throw keyIdFailed(e);
        }
    }

    /** The key's id, or an empty string if it has none. */
    private static Mono<String> asyncKeyId(AsyncKeyEncryptionKey key) {
        return Mono.defer(key::getKeyId).defaultIfEmpty("").onErrorMap(
            e -> !(e instanceof ClientSideEncryptionException), ContentKeyResolver::keyIdFailed);
    }

    // --- the failures, one message each for both forms ---

    private static IllegalStateException noKeyToWrap() {
        return new IllegalStateException("Cannot encrypt: no key encryption key is configured. Build the client "
            + "with ClientSideEncryptionOptions key(keyEncryptionKey, keyWrapAlgorithm).");
    }

    private static KeyWrapException noKeyId() {
        return new KeyWrapException("The key encryption key has no key id; readers need it to find the key. "
            + "Give the key an id.");
    }

    private RuntimeException wrapFailed(String keyId, Throwable e) {
        if (e instanceof ClientSideEncryptionException known) {
            return known;
        }
        return new KeyWrapException("Key encryption key '" + keyId + "' failed to wrap the content key with "
            + keyWrapAlgorithm + " (" + describe(e) + "). Check that the key supports this algorithm and "
            + "that the key service is reachable.", Exceptions.unwrap(e));
    }

    private static RuntimeException unwrapFailed(WrappedKey wrapped, Throwable e) {
        Throwable cause = Exceptions.unwrap(e);
        if (cause instanceof ClientSideEncryptionException known) {
            return known;
        }
        if (cause instanceof ResourceNotFoundException) {
            return new KeyResolutionException(KeyResolutionException.Reason.KEY_NOT_FOUND, wrapped.keyId(),
                "The key service has no key '" + wrapped.keyId() + "' (" + describe(e) + "): it was deleted, or "
                    + "the key id names a vault, key or version that does not exist. Restore the key, or read the "
                    + "data with the key that wrapped it.", cause);
        }
        return new KeyWrapException("Key encryption key '" + wrapped.keyId() + "' failed to unwrap the content "
            + "key with " + wrapped.algorithm() + " (" + describe(e) + "). The key is not the one that wrapped "
            + "it, the wrapped key was modified, or the key service failed.", cause);
    }

    private static RuntimeException resolverFailed(String keyId, Throwable e) {
        if (e instanceof ClientSideEncryptionException known) {
            return known;
        }
        return new KeyResolutionException(KeyResolutionException.Reason.KEY_NOT_FOUND, keyId,
            "The key resolver failed to find key '" + keyId + "' (" + describe(e) + "). Check that the "
                + "resolver can reach that key.", Exceptions.unwrap(e));
    }

    private static KeyResolutionException notFound(String keyId, String configuredId) {
        return new KeyResolutionException(KeyResolutionException.Reason.KEY_NOT_FOUND, keyId,
            "No key encryption key '" + keyId + "': the key resolver does not know it"
                + (configuredId == null ? "" : " and the configured key is '" + configuredId + "'")
                + ". Add that key to the resolver.");
    }

    private static KeyResolutionException noKeyFor(String keyId, boolean keyConfigured, String configuredId) {
        if (keyConfigured) {
            return new KeyResolutionException(KeyResolutionException.Reason.KEY_ID_MISMATCH, keyId,
                "The data was encrypted with key '" + keyId + "' but the configured key is '" + configuredId
                    + "'. Configure key '" + keyId + "', or a key resolver that has it.");
        }
        return new KeyResolutionException(KeyResolutionException.Reason.NO_KEY_CONFIGURED, keyId,
            "Cannot decrypt: no key encryption key or key resolver is configured (the data needs key '" + keyId
                + "'). Build the client with ClientSideEncryptionOptions keyResolver(...) or key(...).");
    }

    private static RuntimeException keyIdFailed(Throwable e) {
        return new KeyResolutionException(KeyResolutionException.Reason.KEY_NOT_FOUND, null,
            "The key encryption key failed to report its key id (" + describe(e) + ").", Exceptions.unwrap(e));
    }

    private static String describe(Throwable e) {
        Throwable cause = Exceptions.unwrap(e);
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
