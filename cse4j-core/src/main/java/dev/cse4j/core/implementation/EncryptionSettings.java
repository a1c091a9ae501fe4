package dev.cse4j.core.implementation;

import com.azure.core.util.logging.ClientLogger;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionPolicyException;


/**
 * The internal form of a {@link ClientSideEncryptionOptions}, made when a client is built: the options, the content
 * key wrapping and unwrapping they configure, and the crypto provider resolved. Immutable; every encrypted client of
 * every service holds one, so all apply the same defaults and rules.
 *
 * <p>The provider: the options' JCA provider if set, else {@link CryptoProvider#defaultProvider()} (the system
 * property {@value CryptoProvider#PROPERTY}: {@code auto}, the default, {@code jdk} or {@code corretto}), read here,
 * at build time, never when a builder is made.
 */
public final class EncryptionSettings {
    private static final ClientLogger LOGGER = new ClientLogger(EncryptionSettings.class);

    private final ClientSideEncryptionOptions options;
    private final CryptoProvider cryptoProvider;
    private final ContentKeyResolver contentKeys;

    private EncryptionSettings(ClientSideEncryptionOptions options, CryptoProvider cryptoProvider) {
        this.options = options;
        this.cryptoProvider = cryptoProvider;
        this.contentKeys = new ContentKeyResolver(options.getKeyEncryptionKey(), options.getKeyWrapAlgorithm(),
            options.getKeyResolver());
    }

    /**
     * The settings of a client built with {@code options}.
     *
     * @param options as given to the builder's {@code clientSideEncryptionOptions(...)}, or {@code null} if not
     * @throws IllegalStateException if no options were given, if the crypto provider system property has a value
     *     other than {@code auto}, {@code jdk} and {@code corretto}, or asks for a provider that is not available
     */
    public static EncryptionSettings of(ClientSideEncryptionOptions options) {
        if (options == null) {
            throw Logs.refused(LOGGER, new IllegalStateException("No client-side encryption options: set "
                + "clientSideEncryptionOptions(ClientSideEncryptionOptions.builder().key(keyEncryptionKey, "
                + "keyWrapAlgorithm).build()), or with keyResolver(...) instead of key(...) to read only."));
        }
        CryptoProvider provider;
        if (options.getCryptoProvider() != null) {
            provider = CryptoProvider.of(options.getCryptoProvider());
        } else {
            try {
                provider = CryptoProvider.defaultProvider();
            } catch (IllegalStateException e) {
                throw Logs.refused(LOGGER, e);
            }
        }
        LOGGER.atVerbose().addKeyValue("cryptoProvider", provider.name()).log("Crypto provider chosen");
        return new EncryptionSettings(options, provider);
    }

    /** The options these settings were made from. */
    public ClientSideEncryptionOptions options() {
        return options;
    }

    /** Whether a key encryption key is configured, so this client can write. */
    public boolean canEncrypt() {
        return options.canEncrypt();
    }

    public boolean requireEncryption() {
        return options.isEncryptionRequired();
    }

    public boolean allowUnauthenticatedV1Reads() {
        return options.isUnauthenticatedV1ReadAllowed();
    }

    public boolean allowMisorderedRegions() {
        return options.isMisorderedRegionsAllowed();
    }

    public CryptoProvider cryptoProvider() {
        return cryptoProvider;
    }

    /** Wrapping and unwrapping of content keys with the configured keys. */
    public ContentKeyResolver contentKeys() {
        return contentKeys;
    }

    /** Whether protocol 2.x blobs without cse4j's integrity record are refused on read. */
    public boolean requireIntegrityRecord() {
        return options.isIntegrityRecordRequired();
    }

    /** A fresh region order check for one read, following {@link #allowMisorderedRegions()}. */
    public RegionOrderCheck newRegionOrderCheck() {
        return allowMisorderedRegions() ? RegionOrderCheck.disabledInsecure() : RegionOrderCheck.strict();
    }

    /**
     * Called when data without encryption metadata was read.
     *
     * @param what the data, for the message, e.g. {@code "Blob 'c/b'"}
     * @throws EncryptionPolicyException if encryption is required
     */
    public void checkUnencryptedAllowed(String what) {
        if (requireEncryption()) {
            throw Logs.refused(LOGGER, new EncryptionPolicyException(EncryptionPolicyException.Reason.UNENCRYPTED,
                what + " is not encrypted (it has no "
                + "encryption metadata), and this client requires encryption. If unencrypted data is expected here, "
                + "build the client with ClientSideEncryptionOptions requireEncryption(false)."));
        }
    }

    /**
     * Called before a write.
     *
     * @throws IllegalStateException if no key encryption key is configured
     */
    public void checkCanEncrypt(String operation) {
        if (!canEncrypt()) {
            throw Logs.refused(LOGGER, new IllegalStateException("Cannot " + operation + ": this client has no key "
                + "encryption key (only a key resolver, for reading). Build it with ClientSideEncryptionOptions "
                + "key(keyEncryptionKey, keyWrapAlgorithm)."));
        }
    }

    /**
     * Called when a protocol 2.x blob without cse4j's integrity record was read.
     *
     * @param what the blob, for the message, e.g. {@code "Blob 'c/b'"}
     * @throws EncryptionPolicyException if the record is required
     */
    public void checkMissingIntegrityRecordAllowed(String what) {
        if (requireIntegrityRecord()) {
            throw Logs.refused(LOGGER, new EncryptionPolicyException(EncryptionPolicyException.Reason
                .MISSING_INTEGRITY_RECORD, what + " has no integrity record (metadata "
                + "cse4jintegrity), and this client requires one: the record was removed, or the blob was written by "
                + "another SDK or an older cse4j. Nothing was decrypted. If such blobs are expected here, build the "
                + "client with ClientSideEncryptionOptions requireIntegrityRecord(false); to give a blob a record, "
                + "download it and upload it again with cse4j."));
        }
    }

    @Override
    public String toString() {
        return "EncryptionSettings[" + options + ", provider=" + cryptoProvider.name() + "]";
    }
}
