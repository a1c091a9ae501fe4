package dev.cse4j.core.implementation;

import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.keys.CachingKeyEncryptionKeyResolver;

/**
 * The keys of a fleet operation, for every service's: the read resolver behind a cache (each key id resolved once
 * per operation, not per object), and the key that writes a migrated object.
 */
public final class FleetKeys {
    private FleetKeys() {
    }

    /** {@code keys}, with their resolver behind a {@link CachingKeyEncryptionKeyResolver} unless it is one. */
    public static ClientSideEncryptionOptions cached(ClientSideEncryptionOptions keys) {
        if (keys.getKeyResolver() == null || keys.getKeyResolver() instanceof CachingKeyEncryptionKeyResolver) {
            return keys;
        }
        return keys.toBuilder().keyResolver(new CachingKeyEncryptionKeyResolver(keys.getKeyResolver())).build();
    }

    /**
     * Options that write a migrated object: with the key encryption key of {@code keys}, if they have one; else
     * with the key that wrapped {@code source} (found by {@code reader} as on read) and its algorithm. The caller
     * adds the format it writes.
     *
     * @param source the object's encryption metadata; {@code null} for an unencrypted object (then {@code keys}
     *     must have a key encryption key)
     * @throws dev.cse4j.core.KeyResolutionException if no key can be used for the source's key id
     */
    public static ClientSideEncryptionOptions.Builder writer(ClientSideEncryptionOptions keys,
        EncryptionSettings reader, EncryptionData source) {
        ClientSideEncryptionOptions.Builder writer = ClientSideEncryptionOptions.builder()
            .cryptoProvider(keys.getCryptoProvider());
        if (keys.canEncrypt()) {
            return writer.key(keys.getKeyEncryptionKey(), keys.getKeyWrapAlgorithm());
        }
        return writer.key(reader.contentKeys().keyFor(source.wrappedContentKey().keyId()),
            source.wrappedContentKey().algorithm());
    }
}
