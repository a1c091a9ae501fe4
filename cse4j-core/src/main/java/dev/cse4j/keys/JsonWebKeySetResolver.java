package dev.cse4j.keys;

import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import com.azure.core.cryptography.AsyncKeyEncryptionKeyResolver;
import com.azure.core.cryptography.KeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKeyResolver;
import reactor.core.publisher.Mono;

import java.util.Objects;

/**
 * Finds the key encryption key for a stored key id in a {@link JsonWebKeySet}, through the Azure SDK's resolver
 * interfaces (so it plugs into any client that takes them).
 *
 * <p>An unknown key id gives {@code null} (synchronous) or an empty {@link Mono} (asynchronous), as the interfaces
 * intend; the caller reports it. A known key that may not wrap ({@code use} other than {@code enc}, or
 * {@code key_ops} without {@code wrapKey} or {@code unwrapKey}) raises a {@link JsonWebKeyException} (as an error
 * signal in the asynchronous case). Each resolution returns a new key instance.
 */
public final class JsonWebKeySetResolver implements KeyEncryptionKeyResolver, AsyncKeyEncryptionKeyResolver {
    private final JsonWebKeySet keys;

    JsonWebKeySetResolver(JsonWebKeySet keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /**
     * The key with this key id, or {@code null} if the set has none.
     *
     * @throws JsonWebKeyException if the key exists but may not be used for key wrapping
     */
    @Override
    public KeyEncryptionKey buildKeyEncryptionKey(String keyId) {
        return keys.find(keyId).map(JsonWebKey::toKeyEncryptionKey).orElse(null);
    }

    /** The key with this key id, or an empty {@link Mono} if the set has none. */
    @Override
    public Mono<? extends AsyncKeyEncryptionKey> buildAsyncKeyEncryptionKey(String keyId) {
        return Mono.defer(() -> Mono.justOrEmpty(keys.find(keyId)))
            .map(key -> key.toLocalKeyEncryptionKey().asAsync());
    }

    @Override
    public String toString() {
        return "JsonWebKeySetResolver[" + keys + "]";
    }
}
