package dev.cse4j.core.implementation;

import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import com.azure.core.cryptography.AsyncKeyEncryptionKeyResolver;
import com.azure.core.cryptography.KeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKeyResolver;
import dev.cse4j.core.EncryptionPolicyException;

import java.security.Provider;
import java.util.Objects;

/**
 * The key and policy settings every encrypted client shares: the key encryption key and wrap algorithm used to
 * write, the key resolver used to read, and the safety switches. Immutable; the client builders of each service
 * collect their settings into one of these, so every service applies the same defaults and rules.
 *
 * <p>Defaults: encryption required (unencrypted data is refused on read), legacy 1.0 reads refused, region order
 * checked, {@link CryptoProvider#defaultProvider()} ({@link CryptoProvider#auto()}: the JDK's, switching to the Amazon
 * Corretto Crypto Provider for speed when it is on the class path and works; system property
 * {@value CryptoProvider#PROPERTY}).
 */
public final class EncryptionSettings {
    private final KeyEncryptionKey keyEncryptionKey;
    private final String keyWrapAlgorithm;
    private final KeyEncryptionKeyResolver keyResolver;
    private final boolean requireEncryption;
    private final boolean allowUnauthenticatedV1Reads;
    private final boolean allowMisorderedRegions;
    private final CryptoProvider cryptoProvider;
    private final ContentKeyResolver contentKeys;

    private EncryptionSettings(Builder b) {
        this.keyEncryptionKey = b.keyEncryptionKey;
        this.keyWrapAlgorithm = b.keyWrapAlgorithm;
        this.keyResolver = b.keyResolver;
        this.requireEncryption = b.requireEncryption;
        this.allowUnauthenticatedV1Reads = b.allowUnauthenticatedV1Reads;
        this.allowMisorderedRegions = b.allowMisorderedRegions;
        this.cryptoProvider = b.cryptoProvider;
        this.contentKeys = new ContentKeyResolver(keyEncryptionKey, keyWrapAlgorithm, keyResolver);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to derive variants. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.keyEncryptionKey = keyEncryptionKey;
        b.keyWrapAlgorithm = keyWrapAlgorithm;
        b.keyResolver = keyResolver;
        b.requireEncryption = requireEncryption;
        b.allowUnauthenticatedV1Reads = allowUnauthenticatedV1Reads;
        b.allowMisorderedRegions = allowMisorderedRegions;
        b.cryptoProvider = cryptoProvider;
        return b;
    }

    /** Whether a key encryption key is configured, so this client can write. */
    public boolean canEncrypt() {
        return keyEncryptionKey != null;
    }

    public boolean requireEncryption() {
        return requireEncryption;
    }

    public boolean allowUnauthenticatedV1Reads() {
        return allowUnauthenticatedV1Reads;
    }

    public boolean allowMisorderedRegions() {
        return allowMisorderedRegions;
    }

    public CryptoProvider cryptoProvider() {
        return cryptoProvider;
    }

    /** Wrapping and unwrapping of content keys with the configured keys. */
    public ContentKeyResolver contentKeys() {
        return contentKeys;
    }

    /** A fresh region order check for one read, following {@link #allowMisorderedRegions()}. */
    public RegionOrderCheck newRegionOrderCheck() {
        return allowMisorderedRegions ? RegionOrderCheck.disabledInsecure() : RegionOrderCheck.strict();
    }

    /**
     * Called when data without encryption metadata was read.
     *
     * @param what the data, for the message, e.g. {@code "Blob 'c/b'"}
     * @throws EncryptionPolicyException if encryption is required
     */
    public void checkUnencryptedAllowed(String what) {
        if (requireEncryption) {
            throw new EncryptionPolicyException(what + " is not encrypted (it has no encryption metadata), and this "
                + "client requires encryption. If unencrypted data is expected here, build the client with "
                + "requireEncryption(false).");
        }
    }

    @Override
    public String toString() {
        return "EncryptionSettings[key=" + (keyEncryptionKey == null ? "none" : "set")
            + ", wrapAlgorithm=" + keyWrapAlgorithm + ", resolver=" + (keyResolver == null ? "none" : "set")
            + ", requireEncryption=" + requireEncryption + ", allowUnauthenticatedV1Reads="
            + allowUnauthenticatedV1Reads + ", allowMisorderedRegions=" + allowMisorderedRegions + ", provider="
            + cryptoProvider.name() + "]";
    }

    /** Collects settings; {@link #build()} checks them. */
    public static final class Builder {
        private KeyEncryptionKey keyEncryptionKey;
        private String keyWrapAlgorithm;
        private KeyEncryptionKeyResolver keyResolver;
        private boolean requireEncryption = true;
        private boolean allowUnauthenticatedV1Reads;
        private boolean allowMisorderedRegions;
        private CryptoProvider cryptoProvider = CryptoProvider.defaultProvider();

        private Builder() {
        }

        public Builder key(KeyEncryptionKey key, String keyWrapAlgorithm) {
            this.keyEncryptionKey = Objects.requireNonNull(key, "key");
            this.keyWrapAlgorithm = requireAlgorithm(keyWrapAlgorithm);
            return this;
        }

        public Builder key(AsyncKeyEncryptionKey key, String keyWrapAlgorithm) {
            return key(new AsyncKeyEncryptionKeyAdapter(Objects.requireNonNull(key, "key")), keyWrapAlgorithm);
        }

        public Builder keyResolver(KeyEncryptionKeyResolver resolver) {
            this.keyResolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /**
         * An asynchronous resolver (e.g. Key Vault's {@code KeyEncryptionKeyClientBuilder}). Named apart from
         * {@link #keyResolver(KeyEncryptionKeyResolver)} because a lambda, or a resolver implementing both
         * interfaces, would make one overloaded name ambiguous.
         */
        public Builder asyncKeyResolver(AsyncKeyEncryptionKeyResolver resolver) {
            Objects.requireNonNull(resolver, "resolver");
            this.keyResolver = keyId -> {
                AsyncKeyEncryptionKey key = resolver.buildAsyncKeyEncryptionKey(keyId).block();
                return key == null ? null : new AsyncKeyEncryptionKeyAdapter(key);
            };
            return this;
        }

        public Builder requireEncryption(boolean requireEncryption) {
            this.requireEncryption = requireEncryption;
            return this;
        }

        public Builder allowUnauthenticatedV1Reads(boolean allow) {
            this.allowUnauthenticatedV1Reads = allow;
            return this;
        }

        public Builder allowMisorderedRegions(boolean allow) {
            this.allowMisorderedRegions = allow;
            return this;
        }

        public Builder cryptoProvider(Provider provider) {
            this.cryptoProvider = provider == null ? CryptoProvider.jdk() : CryptoProvider.of(provider);
            return this;
        }

        /**
         * @throws IllegalStateException if neither a key nor a key resolver is set
         */
        public EncryptionSettings build() {
            if (keyEncryptionKey == null && keyResolver == null) {
                throw new IllegalStateException("No key configured: set key(keyEncryptionKey, keyWrapAlgorithm) to "
                    + "encrypt and decrypt with one key, keyResolver(resolver) to decrypt with keys looked up by id, "
                    + "or both.");
            }
            return new EncryptionSettings(this);
        }

        private static String requireAlgorithm(String algorithm) {
            if (algorithm == null || algorithm.isBlank()) {
                throw new IllegalArgumentException("A key-wrap algorithm is required with the key, e.g. \"A256KW\" "
                    + "for an AES key or \"RSA-OAEP-256\" for an RSA key (see dev.cse4j.keys.KeyWrapAlgorithm).");
            }
            return algorithm;
        }
    }
}
