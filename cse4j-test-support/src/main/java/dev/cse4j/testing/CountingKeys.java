package dev.cse4j.testing;

import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import com.azure.core.cryptography.AsyncKeyEncryptionKeyResolver;
import com.azure.core.cryptography.KeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKeyResolver;
import reactor.core.publisher.Mono;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the calls made to key encryption keys and key resolvers, so tests can assert how often keys are used
 * ("exactly one unwrap and one wrap per object", "the resolver was asked once").
 *
 * <pre>{@code
 * CountingKeys oldKeys = new CountingKeys();
 * CountingKeys newKeys = new CountingKeys();
 * ... .keyResolver(oldKeys.resolver(jwks.resolver())) ... .key(newKeys.key(newKek), "A256KW") ...
 * assertThat(oldKeys.unwraps()).isEqualTo(blobs);
 * assertThat(newKeys.wraps()).isEqualTo(blobs);
 * assertThat(oldKeys.resolutions()).isEqualTo(1);
 * }</pre>
 *
 * <p>Each view passes every call to the key or resolver it wraps and counts it into this instance: a synchronous
 * call when it is made, an asynchronous one when its {@code Mono} is subscribed (a {@code Mono} never subscribed
 * does no work and is not counted). Keys that a counting resolver returns are counting keys of this instance too.
 * Counted: {@code wrapKey}, {@code unwrapKey}, {@code getKeyId}, and resolutions per requested key id (including
 * those that find nothing or fail). Thread-safe. Needs {@code azure-core} on the class path (an optional dependency
 * of this module).
 */
public final class CountingKeys {
    private final LongAdder wraps = new LongAdder();
    private final LongAdder unwraps = new LongAdder();
    private final LongAdder keyIdReads = new LongAdder();
    private final Map<String, LongAdder> resolutions = new ConcurrentHashMap<>();

    /** Creates an instance with every count at zero. */
    public CountingKeys() {
    }

    /** {@code key}, counting its calls into this instance. */
    public KeyEncryptionKey key(KeyEncryptionKey key) {
        Objects.requireNonNull(key, "key");
        return new KeyEncryptionKey() {
            @Override
            public String getKeyId() {
                keyIdReads.increment();
                return key.getKeyId();
            }

            @Override
            public byte[] wrapKey(String algorithm, byte[] plaintextKey) {
                wraps.increment();
                return key.wrapKey(algorithm, plaintextKey);
            }

            @Override
            public byte[] unwrapKey(String algorithm, byte[] encryptedKey) {
                unwraps.increment();
                return key.unwrapKey(algorithm, encryptedKey);
            }

            @Override
            public String toString() {
                return "Counting[" + key + "]";
            }
        };
    }

    /** {@code key}, counting its calls (subscriptions) into this instance. */
    public AsyncKeyEncryptionKey asyncKey(AsyncKeyEncryptionKey key) {
        Objects.requireNonNull(key, "key");
        return new AsyncKeyEncryptionKey() {
            @Override
            public Mono<String> getKeyId() {
                return Mono.defer(() -> {
                    keyIdReads.increment();
                    return key.getKeyId();
                });
            }

            @Override
            public Mono<byte[]> wrapKey(String algorithm, byte[] plaintextKey) {
                return Mono.defer(() -> {
                    wraps.increment();
                    return key.wrapKey(algorithm, plaintextKey);
                });
            }

            @Override
            public Mono<byte[]> unwrapKey(String algorithm, byte[] encryptedKey) {
                return Mono.defer(() -> {
                    unwraps.increment();
                    return key.unwrapKey(algorithm, encryptedKey);
                });
            }

            @Override
            public String toString() {
                return "Counting[" + key + "]";
            }
        };
    }

    /** {@code resolver}, counting each resolution and the calls to the keys it returns into this instance. */
    public KeyEncryptionKeyResolver resolver(KeyEncryptionKeyResolver resolver) {
        Objects.requireNonNull(resolver, "resolver");
        return keyId -> {
            countResolution(keyId);
            KeyEncryptionKey key = resolver.buildKeyEncryptionKey(keyId);
            return key == null ? null : key(key);
        };
    }

    /** {@code resolver}, counting each resolution (subscription) and the calls to the keys it returns. */
    public AsyncKeyEncryptionKeyResolver asyncResolver(AsyncKeyEncryptionKeyResolver resolver) {
        Objects.requireNonNull(resolver, "resolver");
        return keyId -> Mono.defer(() -> {
            countResolution(keyId);
            return resolver.buildAsyncKeyEncryptionKey(keyId);
        }).map(this::asyncKey);
    }

    /** How many times keys of this instance wrapped a key. */
    public long wraps() {
        return wraps.sum();
    }

    /** How many times keys of this instance unwrapped a key. */
    public long unwraps() {
        return unwraps.sum();
    }

    /** How many times a key id was read from keys of this instance. */
    public long keyIdReads() {
        return keyIdReads.sum();
    }

    /** How many resolutions resolvers of this instance were asked for, over all key ids. */
    public long resolutions() {
        return resolutions.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** How many resolutions of {@code keyId} resolvers of this instance were asked for. */
    public long resolutions(String keyId) {
        LongAdder count = resolutions.get(keyId);
        return count == null ? 0 : count.sum();
    }

    /** Sets every count to zero. */
    public void reset() {
        wraps.reset();
        unwraps.reset();
        keyIdReads.reset();
        resolutions.clear();
    }

    @Override
    public String toString() {
        return "CountingKeys[wraps=" + wraps() + ", unwraps=" + unwraps() + ", keyIdReads=" + keyIdReads()
            + ", resolutions=" + resolutions() + "]";
    }

    private void countResolution(String keyId) {
        resolutions.computeIfAbsent(String.valueOf(keyId), id -> new LongAdder()).increment();
    }
}
