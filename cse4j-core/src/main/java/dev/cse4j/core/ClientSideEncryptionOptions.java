package dev.cse4j.core;

import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import com.azure.core.cryptography.AsyncKeyEncryptionKeyResolver;
import com.azure.core.cryptography.KeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKeyResolver;
import com.azure.core.util.logging.ClientLogger;
import dev.cse4j.core.implementation.AsyncKeyEncryptionKeyAdapter;
import dev.cse4j.core.implementation.Logs;

import java.security.Provider;
import java.util.Objects;

/**
 * The key and policy settings of client-side encryption, shared by the encrypted clients of every service: the key
 * encryption key that wraps each object's fresh content key, the resolvers that find keys by stored key id, the
 * formats written, and the safety switches. An immutable value: build it once, hand it to any encrypted client
 * builder ({@code clientSideEncryptionOptions(options)}), derive variants with {@link #toBuilder()}.
 *
 * <pre>{@code
 * ClientSideEncryptionOptions options = ClientSideEncryptionOptions.builder()
 *     .key(keyEncryptionKey, KeyWrapAlgorithm.A256KW)   // to write, and to read what this key wrote
 *     .keyResolver(keySet.resolver())                   // to read data wrapped by other keys
 *     .build();
 * ClientSideEncryptionOptions v21 = options.toBuilder().blobProtocol(EncryptionProtocol.V2_1)
 *     .blobRegionLength(1024 * 1024).build();
 * }</pre>
 *
 * <p>Keys: at least one of {@link Builder#key(KeyEncryptionKey, String) key} (encrypts, and decrypts what it
 * wrapped) and {@link Builder#keyResolver(KeyEncryptionKeyResolver) keyResolver} /
 * {@link Builder#asyncKeyResolver(AsyncKeyEncryptionKeyResolver) asyncKeyResolver} (decrypt by the stored key id).
 * On read the configured key is used when its id matches the stored key id, otherwise the resolver's key, whose own
 * id must match. Options without a key can read but not write.
 *
 * <p>Defaults: blobs written with protocol 2.0 (4 MiB regions); tables in the authenticated format
 * ({@link TableEncryptionFormat#AUTHENTICATED}); encryption required on read; legacy 1.0 reads refused; region
 * order checked; blobs without cse4j's integrity record read; the crypto provider chosen by the system property {@code cse4j.crypto.provider} ({@code auto}, the
 * default; {@code jdk}; {@code corretto}), read when a client is built.
 *
 * <p>{@link #toString()} names what is set, never key material.
 */
public final class ClientSideEncryptionOptions {
    /** The default {@link #getMaxReadRegionLength()}: 64 MiB. */
    public static final int DEFAULT_MAX_READ_REGION_LENGTH = 64 * 1024 * 1024;

    private static final ClientLogger LOGGER = new ClientLogger(ClientSideEncryptionOptions.class);

    private final Values values;

    private ClientSideEncryptionOptions(Values values) {
        this.values = values;
    }

    /** A builder with the defaults and no key. */
    public static Builder builder() {
        return new Builder(new Values());
    }

    /** A builder holding these options, to derive others (e.g. another key, or protocol 2.1) without changing these. */
    public Builder toBuilder() {
        return new Builder(values.copy());
    }

    /**
     * The key encryption key that wraps content keys, or {@code null} if these options only read. An asynchronous
     * key is seen through a blocking view.
     */
    public KeyEncryptionKey getKeyEncryptionKey() {
        return values.keyEncryptionKey;
    }

    /** The algorithm {@link #getKeyEncryptionKey()} wraps with (e.g. {@code A256KW}), or {@code null} without a key. */
    public String getKeyWrapAlgorithm() {
        return values.keyWrapAlgorithm;
    }

    /** The resolver that finds key encryption keys by stored key id, or {@code null}. */
    public KeyEncryptionKeyResolver getKeyResolver() {
        return values.keyResolver;
    }

    /** The protocol blobs are written with: {@link EncryptionProtocol#V2_0} (default) or {@link EncryptionProtocol#V2_1}. */
    public EncryptionProtocol getBlobProtocol() {
        return values.blobProtocol;
    }

    /** Plaintext bytes per region of blobs written: 4 MiB for 2.0; as chosen (16 B to 1 GiB) for 2.1. */
    public int getBlobRegionLength() {
        return values.blobRegionLength == null ? EncryptedRegionInfo.V2_0_DATA_LENGTH : values.blobRegionLength;
    }

    /** The format table entities are written in (default {@link TableEncryptionFormat#AUTHENTICATED}). */
    public TableEncryptionFormat getTableFormat() {
        return values.tableFormat;
    }

    /** Whether data without encryption metadata is refused on read (default {@code true}). */
    public boolean isEncryptionRequired() {
        return values.requireEncryption;
    }

    /** Whether legacy, unauthenticated protocol 1.0 data may be decrypted (default {@code false}). */
    public boolean isUnauthenticatedV1ReadAllowed() {
        return values.allowUnauthenticatedV1Reads;
    }

    /**
     * The longest protocol 2.x region this client reads (default {@link #DEFAULT_MAX_READ_REGION_LENGTH}, 64 MiB).
     * A read verifies each region whole before it releases any of its plaintext, so it holds one region in memory
     * per chunk in flight; a blob whose regions are longer is refused
     * ({@link EncryptionPolicyException.Reason#REGION_TOO_LARGE}) rather than read with memory its metadata chose.
     */
    public int getMaxReadRegionLength() {
        return values.maxReadRegionLength;
    }

    /** Whether 2.x regions out of their written order are accepted (default {@code false}; insecure). */
    public boolean isMisorderedRegionsAllowed() {
        return values.allowMisorderedRegions;
    }

    /**
     * Whether protocol 2.x blobs without cse4j's integrity record are refused on read (default {@code false}).
     */
    public boolean isIntegrityRecordRequired() {
        return values.requireIntegrityRecord;
    }

    /** The JCA provider chosen for AES, or {@code null} for the default choice (system property, then auto). */
    public Provider getCryptoProvider() {
        return values.cryptoProvider;
    }

    /** Whether these options can write, i.e. hold a key encryption key. */
    public boolean canEncrypt() {
        return values.keyEncryptionKey != null;
    }

    @Override
    public String toString() {
        Values v = values;
        return "ClientSideEncryptionOptions[key=" + (v.keyEncryptionKey == null ? "none" : "set (" + v.keyWrapAlgorithm
            + ")") + ", keyResolver=" + (v.keyResolver == null ? "none" : "set") + ", blobProtocol="
            + v.blobProtocol.wireValue() + ", blobRegionLength=" + getBlobRegionLength() + ", tableFormat="
            + v.tableFormat + ", requireEncryption=" + v.requireEncryption + ", allowUnauthenticatedV1Reads="
            + v.allowUnauthenticatedV1Reads + ", allowMisorderedRegions=" + v.allowMisorderedRegions
            + ", requireIntegrityRecord=" + v.requireIntegrityRecord
            + ", maxReadRegionLength=" + v.maxReadRegionLength
            + ", cryptoProvider=" + (v.cryptoProvider == null ? "default" : v.cryptoProvider.getName()) + "]";
    }

    /**
     * Collects the options; each setter checks its own value at once, {@link #build()} checks them together. Not
     * thread-safe; a builder may be reused, each {@code build()} returns an independent value.
     */
    public static final class Builder {
        private final Values values;

        private Builder(Values values) {
            this.values = values;
        }

        /**
         * The key encryption key that wraps each object's fresh content key on write, and unwraps it on read when
         * the stored key id is this key's id. Replaces a key set before.
         *
         * @param keyWrapAlgorithm the algorithm passed to the key, e.g. {@code "A256KW"} for an AES key,
         *     {@code "RSA-OAEP-256"} for an RSA key (see {@code dev.cse4j.keys.KeyWrapAlgorithm}); stored with the data
         *     and passed back to unwrap
         * @throws IllegalArgumentException if the algorithm is blank
         */
        public Builder key(KeyEncryptionKey key, String keyWrapAlgorithm) {
            Objects.requireNonNull(key, "key");
            values.keyWrapAlgorithm = requireAlgorithm(keyWrapAlgorithm);
            values.keyEncryptionKey = key;
            return this;
        }

        /** As {@link #key(KeyEncryptionKey, String)}, for an asynchronous key (e.g. Azure Key Vault's). */
        public Builder key(AsyncKeyEncryptionKey key, String keyWrapAlgorithm) {
            return key(AsyncKeyEncryptionKeyAdapter.of(Objects.requireNonNull(key, "key")), keyWrapAlgorithm);
        }

        /**
         * Finds the key encryption key for a stored key id on read, when it is not the id of
         * {@link #key(KeyEncryptionKey, String)}. Replaces a resolver set before.
         */
        public Builder keyResolver(KeyEncryptionKeyResolver keyResolver) {
            values.keyResolver = Objects.requireNonNull(keyResolver, "keyResolver");
            return this;
        }

        /**
         * As {@link #keyResolver(KeyEncryptionKeyResolver)}, for an asynchronous resolver (e.g. Key Vault's
         * {@code KeyEncryptionKeyClientBuilder}). Named apart because a lambda, or a resolver implementing both
         * interfaces, would make one overloaded name ambiguous.
         */
        public Builder asyncKeyResolver(AsyncKeyEncryptionKeyResolver keyResolver) {
            values.keyResolver = AsyncKeyEncryptionKeyAdapter.resolver(Objects.requireNonNull(keyResolver,
                "keyResolver"));
            return this;
        }

        /**
         * The protocol blobs are written with: {@link EncryptionProtocol#V2_0} (default; AES-256-GCM, 4 MiB
         * regions, read by every current SDK) or {@link EncryptionProtocol#V2_1} (region length of your choice, see
         * {@link #blobRegionLength(int)}; read by Microsoft's current .NET, Java and Python SDKs). Reads accept
         * whatever protocol the data has.
         *
         * @throws IllegalArgumentException for 1.0 (never written) or the table protocol
         */
        public Builder blobProtocol(EncryptionProtocol protocol) {
            Objects.requireNonNull(protocol, "protocol");
            if (!protocol.usesRegions()) {
                throw Logs.refused(LOGGER, new IllegalArgumentException("Blobs are written with protocol 2.0 or 2.1, "
                    + "not " + protocol + ". Use blobProtocol(EncryptionProtocol.V2_0) or V2_1" + (protocol
                    == EncryptionProtocol.V1_0 ? "; 1.0 (AES-CBC, unauthenticated) is never written. To read "
                    + "existing 1.0 data, set allowUnauthenticatedV1Reads(true)." : ".")));
            }
            values.blobProtocol = protocol;
            return this;
        }

        /**
         * Plaintext bytes per region of blobs written with protocol 2.1: 16 B to 1 GiB (default 4 MiB). Each region
         * costs 28 stored bytes; a read verifies and holds one region at a time per block in flight, so large
         * regions raise the memory of every transfer.
         *
         * @throws IllegalArgumentException outside 16 B to 1 GiB
         */
        public Builder blobRegionLength(int regionLength) {
            if (regionLength < EncryptedRegionInfo.MIN_DATA_LENGTH
                || regionLength > EncryptedRegionInfo.MAX_DATA_LENGTH) {
                throw Logs.refused(LOGGER, new IllegalArgumentException("blobRegionLength must be 16 bytes to 1 GiB "
                    + "(1073741824), not " + regionLength + "."));
            }
            values.blobRegionLength = regionLength;
            return this;
        }

        /**
         * The format table entities are written in: {@link TableEncryptionFormat#AUTHENTICATED} (default) or
         * {@link TableEncryptionFormat#LEGACY_V1_UNAUTHENTICATED}, readable by the legacy .NET, Java 8 and Python
         * table SDKs but not integrity-protected. Reads accept both.
         */
        public Builder tableFormat(TableEncryptionFormat format) {
            values.tableFormat = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * Whether data without encryption metadata is refused on read (default {@code true}, an
         * {@link EncryptionPolicyException}). With {@code false} such data is returned as stored. Writes always
         * encrypt.
         */
        public Builder requireEncryption(boolean requireEncryption) {
            values.requireEncryption = requireEncryption;
            return this;
        }

        /**
         * Whether legacy protocol 1.0 data (AES-CBC, <b>unauthenticated</b>: modifiable undetectably, and a padding
         * oracle, CVE-2022-30187) may be decrypted (default {@code false}: refused). Enable only to migrate data from
         * a storage account you trust, and re-encrypt it with an authenticated protocol.
         */
        public Builder allowUnauthenticatedV1Reads(boolean allow) {
            values.allowUnauthenticatedV1Reads = allow;
            return this;
        }

        /**
         * The longest protocol 2.x region a read may hold in memory: {@code 4 MiB} (protocol 2.0's regions) to
         * {@code 1 GiB} (the longest 2.1 allows); default {@link #DEFAULT_MAX_READ_REGION_LENGTH} (64 MiB). A read
         * verifies each region whole before releasing any of it, so it holds one region per chunk in flight
         * ({@code ParallelTransferOptions.setMaxConcurrency}); a blob whose stored regions are longer than this is
         * refused with an {@link EncryptionPolicyException} ({@link EncryptionPolicyException.Reason#REGION_TOO_LARGE})
         * before anything is allocated or fetched, whatever its metadata claims. Raise it only for blobs you trust.
         *
         * @throws IllegalArgumentException outside 4 MiB to 1 GiB
         */
        public Builder maxReadRegionLength(int maxReadRegionLength) {
            if (maxReadRegionLength < EncryptedRegionInfo.V2_0_DATA_LENGTH
                || maxReadRegionLength > EncryptedRegionInfo.MAX_DATA_LENGTH) {
                throw Logs.refused(LOGGER, new IllegalArgumentException("maxReadRegionLength must be 4 MiB (4194304) "
                    + "to 1 GiB (1073741824), not " + maxReadRegionLength + "."));
            }
            values.maxReadRegionLength = maxReadRegionLength;
            return this;
        }

        /**
         * <b>Insecure recovery opt-in</b> (default {@code false}): accept 2.x regions whose nonces follow no SDK's
         * sequence, so regions reordered, duplicated or dropped by an attacker are not detected. Only for data known
         * to come from a writer with a non-standard nonce sequence.
         */
        public Builder allowMisorderedRegions(boolean allow) {
            values.allowMisorderedRegions = allow;
            return this;
        }

        /**
         * Whether a protocol 2.x blob without cse4j's integrity record ({@code cse4jintegrity}, docs/formats.md) is
         * refused on read (default {@code false}; blobs only). cse4j writes the record with every blob; blobs of
         * Microsoft's SDKs and of older cse4j have none, and are read as protocol 2.x allows (whole regions cut from
         * the end are not detected). Turn it on for containers that only cse4j writes: then a blob whose record was
         * <em>stripped</em> is refused ({@link EncryptionPolicyException}, nothing decrypted). Without it, stripping
         * the record is not detected.
         */
        public Builder requireIntegrityRecord(boolean require) {
            values.requireIntegrityRecord = require;
            return this;
        }

        /**
         * A JCA provider for AES (e.g. a faster native one); {@code null} for the default choice, which follows the
         * system property {@code cse4j.crypto.provider} ({@code auto}, {@code jdk} or {@code corretto}) when a
         * client is built.
         */
        public Builder cryptoProvider(Provider provider) {
            values.cryptoProvider = provider;
            return this;
        }

        /**
         * @throws IllegalStateException naming the setter to call, if neither a key nor a key resolver is set, a
         *     region length is set without protocol 2.1, or the legacy table format is chosen without a key
         */
        public ClientSideEncryptionOptions build() {
            Values v = values.copy();
            if (v.keyEncryptionKey == null && v.keyResolver == null) {
                throw refused("No key configured: set key(keyEncryptionKey, keyWrapAlgorithm) to encrypt and decrypt "
                    + "with one key, keyResolver(resolver) or asyncKeyResolver(resolver) to decrypt with keys looked "
                    + "up by id, or both.");
            }
            if (v.blobRegionLength != null && v.blobProtocol != EncryptionProtocol.V2_1) {
                throw refused("blobRegionLength(" + v.blobRegionLength + ") applies to protocol 2.1 only; also set "
                    + "blobProtocol(EncryptionProtocol.V2_1), or remove blobRegionLength(...) to write 2.0's 4 MiB "
                    + "regions.");
            }
            if (v.tableFormat == TableEncryptionFormat.LEGACY_V1_UNAUTHENTICATED && v.keyEncryptionKey == null) {
                throw refused("tableFormat(LEGACY_V1_UNAUTHENTICATED) chooses how entities are written, and writing "
                    + "needs key(keyEncryptionKey, keyWrapAlgorithm).");
            }
            return new ClientSideEncryptionOptions(v);
        }

        private static IllegalStateException refused(String message) {
            return Logs.refused(LOGGER, new IllegalStateException(message));
        }

        private static String requireAlgorithm(String algorithm) {
            if (algorithm == null || algorithm.isBlank()) {
                throw Logs.refused(LOGGER, new IllegalArgumentException("A key-wrap algorithm is required with the "
                    + "key, e.g. \"A256KW\" for an AES key or \"RSA-OAEP-256\" for an RSA key (see "
                    + "dev.cse4j.keys.KeyWrapAlgorithm)."));
            }
            return algorithm;
        }
    }

    /**
     * Every setting, one field each: a new setting is a field here, a setter on {@link Builder} and a getter on the
     * options ({@link #copy()} carries it along).
     */
    private static final class Values implements Cloneable {
        KeyEncryptionKey keyEncryptionKey;
        String keyWrapAlgorithm;
        KeyEncryptionKeyResolver keyResolver;
        EncryptionProtocol blobProtocol = EncryptionProtocol.V2_0;
        Integer blobRegionLength;
        TableEncryptionFormat tableFormat = TableEncryptionFormat.AUTHENTICATED;
        boolean requireEncryption = true;
        boolean allowUnauthenticatedV1Reads;
        boolean allowMisorderedRegions;
        boolean requireIntegrityRecord;
        int maxReadRegionLength = DEFAULT_MAX_READ_REGION_LENGTH;
        Provider cryptoProvider;

        Values copy() {
            try {
                return (Values) clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
