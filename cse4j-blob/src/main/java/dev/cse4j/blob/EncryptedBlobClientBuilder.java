package dev.cse4j.blob;

import com.azure.core.credential.AzureSasCredential;
import com.azure.core.credential.TokenCredential;
import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import com.azure.core.cryptography.AsyncKeyEncryptionKeyResolver;
import com.azure.core.cryptography.KeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKeyResolver;
import com.azure.core.http.HttpClient;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobClientBuilder;
import com.azure.storage.blob.BlobUrlParts;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.common.StorageSharedKeyCredential;
import dev.cse4j.core.EncryptedRegionInfo;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.implementation.EncryptionSettings;

import java.security.Provider;
import java.util.Objects;

/**
 * Builds an {@link EncryptedBlobClient}, which wraps (never extends) an azure-storage-blob {@link BlobClient} and
 * encrypts everything it uploads.
 *
 * <p>Where the blob is — exactly one of:
 * <ul>
 *   <li>{@link #blobClient(BlobClient)}: an existing plain client (not Microsoft's encrypted client);</li>
 *   <li>{@link #connectionString(String)} + {@link #containerName(String)} + {@link #blobName(String)};</li>
 *   <li>{@link #endpoint(String)} + a credential + container and blob name (or a blob URL that names them; a SAS in
 *       the URL serves as the credential).</li>
 * </ul>
 *
 * <p>Keys — at least one of: {@link #key(KeyEncryptionKey, String)} (encrypts, and decrypts what it encrypted) and
 * {@link #keyResolver(KeyEncryptionKeyResolver)} (decrypts with the key named by each blob's stored key id). A
 * client without a key can read but not upload.
 *
 * <p>Format and policy (defaults in brackets): {@link #protocol(EncryptionProtocol)} [2.0, 4 MiB regions] or 2.1
 * with {@link #regionLength(int)} [4 MiB]; {@link #requireEncryption(boolean)} [true: an unencrypted blob is refused
 * on read]; {@link #allowUnauthenticatedV1Reads(boolean)} [false: legacy 1.0 blobs are refused];
 * {@link #allowMisorderedRegions(boolean)} [false: reordered regions are refused].
 *
 * <p>{@link #buildEncryptedBlobClient()} fails with an {@link IllegalStateException} naming the setter to call when
 * something needed is missing or settings contradict each other.
 */
public final class EncryptedBlobClientBuilder {
    private final EncryptionSettings.Builder settings = EncryptionSettings.builder();
    private BlobClient blobClient;
    private String connectionString;
    private String endpoint;
    private String containerName;
    private String blobName;
    private Object credential;
    private HttpClient httpClient;
    private EncryptionProtocol protocol = EncryptionProtocol.V2_0;
    private Integer regionLength;
    private ParallelTransferOptions parallelTransferOptions;

    public EncryptedBlobClientBuilder() {
    }

    /**
     * Wraps an existing plain {@link BlobClient} (its pipeline, credential and options are used as they are).
     * Microsoft's {@code EncryptedBlobClient} is refused: it would decrypt or encrypt a second time.
     */
    public EncryptedBlobClientBuilder blobClient(BlobClient blobClient) {
        Objects.requireNonNull(blobClient, "blobClient");
        if (blobClient.getClass().getName().startsWith("com.azure.storage.blob.specialized.cryptography.")) {
            throw new IllegalArgumentException("blobClient(...) takes a plain BlobClient, not Microsoft's "
                + blobClient.getClass().getSimpleName() + ": build one with BlobClientBuilder (or "
                + "BlobContainerClient.getBlobClient).");
        }
        this.blobClient = blobClient;
        return this;
    }

    /** A storage account connection string; also set {@link #containerName} and {@link #blobName}. */
    public EncryptedBlobClientBuilder connectionString(String connectionString) {
        this.connectionString = Objects.requireNonNull(connectionString, "connectionString");
        return this;
    }

    /** The blob service endpoint, or the URL of the container or blob (which then supplies their names). */
    public EncryptedBlobClientBuilder endpoint(String endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        return this;
    }

    public EncryptedBlobClientBuilder containerName(String containerName) {
        this.containerName = Objects.requireNonNull(containerName, "containerName");
        return this;
    }

    public EncryptedBlobClientBuilder blobName(String blobName) {
        this.blobName = Objects.requireNonNull(blobName, "blobName");
        return this;
    }

    public EncryptedBlobClientBuilder credential(StorageSharedKeyCredential credential) {
        this.credential = Objects.requireNonNull(credential, "credential");
        return this;
    }

    public EncryptedBlobClientBuilder credential(TokenCredential credential) {
        this.credential = Objects.requireNonNull(credential, "credential");
        return this;
    }

    public EncryptedBlobClientBuilder credential(AzureSasCredential credential) {
        this.credential = Objects.requireNonNull(credential, "credential");
        return this;
    }

    /** The HTTP client for a client built from a connection string or endpoint. */
    public EncryptedBlobClientBuilder httpClient(HttpClient httpClient) {
        this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
        return this;
    }

    /**
     * The key encryption key that wraps each blob's fresh content key on upload, and unwraps it on download when
     * the blob's stored key id is this key's id.
     *
     * @param keyWrapAlgorithm e.g. {@code "A256KW"} for an AES key, {@code "RSA-OAEP-256"} for an RSA key (see
     *     {@code dev.cse4j.keys.KeyWrapAlgorithm}); stored with the blob and passed back to unwrap
     */
    public EncryptedBlobClientBuilder key(KeyEncryptionKey key, String keyWrapAlgorithm) {
        settings.key(key, keyWrapAlgorithm);
        return this;
    }

    /** As {@link #key(KeyEncryptionKey, String)}, for an asynchronous key (e.g. Key Vault's async client). */
    public EncryptedBlobClientBuilder key(AsyncKeyEncryptionKey key, String keyWrapAlgorithm) {
        settings.key(key, keyWrapAlgorithm);
        return this;
    }

    /**
     * Finds the key encryption key for a blob's stored key id on download. Used when the stored id is not the id of
     * {@link #key(KeyEncryptionKey, String)}.
     */
    public EncryptedBlobClientBuilder keyResolver(KeyEncryptionKeyResolver keyResolver) {
        settings.keyResolver(keyResolver);
        return this;
    }

    /**
     * As {@link #keyResolver(KeyEncryptionKeyResolver)}, for an asynchronous resolver. Named apart from
     * {@code keyResolver} because resolvers that implement both interfaces (Key Vault's
     * {@code KeyEncryptionKeyClientBuilder}, {@code JsonWebKeySetResolver}) and lambdas would make one overloaded
     * name ambiguous.
     */
    public EncryptedBlobClientBuilder asyncKeyResolver(AsyncKeyEncryptionKeyResolver keyResolver) {
        settings.asyncKeyResolver(keyResolver);
        return this;
    }

    /**
     * The protocol uploads are written with: {@link EncryptionProtocol#V2_0} (default; AES-256-GCM, 4 MiB regions,
     * read by every current SDK) or {@link EncryptionProtocol#V2_1} (region length of your choice, see
     * {@link #regionLength(int)}; read by Microsoft's current .NET, Java and Python SDKs). Protocol 1.0 is never
     * written. Downloads read whatever protocol the blob has.
     */
    public EncryptedBlobClientBuilder protocol(EncryptionProtocol protocol) {
        Objects.requireNonNull(protocol, "protocol");
        if (!protocol.usesRegions()) {
            throw new IllegalArgumentException("Blobs are written with protocol 2.0 or 2.1, not " + protocol
                + ". Use EncryptionProtocol.V2_0 or V2_1" + (protocol == EncryptionProtocol.V1_0
                ? "; 1.0 (AES-CBC, unauthenticated) is never written. To read existing 1.0 blobs, set "
                + "allowUnauthenticatedV1Reads(true)." : "."));
        }
        this.protocol = protocol;
        return this;
    }

    /**
     * The plaintext bytes per region for protocol 2.1 uploads: 16 B to 1 GiB (default 4 MiB). Small regions cost 28
     * bytes each; large ones raise memory per transfer (a region is the unit verified before release).
     */
    public EncryptedBlobClientBuilder regionLength(int regionLength) {
        if (regionLength < EncryptedRegionInfo.MIN_DATA_LENGTH || regionLength > EncryptedRegionInfo.MAX_DATA_LENGTH) {
            throw new IllegalArgumentException("regionLength must be 16 bytes to 1 GiB (1073741824), not "
                + regionLength);
        }
        this.regionLength = regionLength;
        return this;
    }

    /**
     * Whether an unencrypted blob is refused on download (default true). With false, a blob without encryption
     * metadata is returned as it is stored. Uploads always encrypt.
     */
    public EncryptedBlobClientBuilder requireEncryption(boolean requireEncryption) {
        settings.requireEncryption(requireEncryption);
        return this;
    }

    /**
     * Whether legacy protocol 1.0 blobs (AES-CBC, <b>unauthenticated</b>: modifiable undetectably, and a padding
     * oracle, CVE-2022-30187) may be decrypted (default false: they are refused). Enable only to migrate data from a
     * storage account you trust, and re-encrypt it as 2.x.
     */
    public EncryptedBlobClientBuilder allowUnauthenticatedV1Reads(boolean allow) {
        settings.allowUnauthenticatedV1Reads(allow);
        return this;
    }

    /**
     * <b>Insecure recovery opt-in</b> (default false): accept 2.x regions whose nonces do not follow any SDK's
     * sequence, so regions reordered, duplicated or dropped by an attacker are not detected. Only for data known to
     * come from a writer with a non-standard nonce sequence.
     */
    public EncryptedBlobClientBuilder allowMisorderedRegions(boolean allow) {
        settings.allowMisorderedRegions(allow);
        return this;
    }

    /**
     * Default block size (plaintext bytes, rounded down to whole regions; default 4 MiB), blocks in flight (default
     * 8) and single-request upload limit (default 256 MiB) for every transfer, as in the Azure SDK; per-call options
     * override them. Memory per transfer is the blocks in flight × one block.
     */
    public EncryptedBlobClientBuilder parallelTransferOptions(ParallelTransferOptions parallelTransferOptions) {
        this.parallelTransferOptions = parallelTransferOptions;
        return this;
    }

    /** A JCA provider for AES-GCM (e.g. a faster native one); default the JDK's. */
    public EncryptedBlobClientBuilder cryptoProvider(Provider provider) {
        settings.cryptoProvider(provider);
        return this;
    }

    /**
     * @throws IllegalStateException naming the setter to call, if the blob's location or a key is missing or the
     *     settings contradict each other
     */
    public EncryptedBlobClient buildEncryptedBlobClient() {
        if (regionLength != null && protocol != EncryptionProtocol.V2_1) {
            throw new IllegalStateException("regionLength(" + regionLength + ") applies to protocol 2.1 only; also "
                + "set protocol(EncryptionProtocol.V2_1), or remove regionLength(...) to use 2.0's 4 MiB regions.");
        }
        EncryptionSettings encryption = settings.build();
        int region = regionLength != null ? regionLength : EncryptedRegionInfo.V2_0_DATA_LENGTH;
        return new EncryptedBlobClient(buildBlobClient(), encryption, protocol, region, parallelTransferOptions);
    }

    private BlobClient buildBlobClient() {
        int sources = (blobClient != null ? 1 : 0) + (connectionString != null ? 1 : 0) + (endpoint != null ? 1 : 0);
        if (sources == 0) {
            throw new IllegalStateException("No blob given: set blobClient(...), or connectionString(...) with "
                + "containerName(...) and blobName(...), or endpoint(...) with credential(...), containerName(...) "
                + "and blobName(...).");
        }
        if (sources > 1) {
            throw new IllegalStateException("Set only one of blobClient(...), connectionString(...) and "
                + "endpoint(...).");
        }
        if (blobClient != null) {
            if (httpClient != null || credential != null || containerName != null || blobName != null) {
                throw new IllegalStateException("blobClient(...) already names the blob and carries its pipeline; "
                    + "do not also set httpClient, credential, containerName or blobName (configure the "
                    + "BlobClient instead).");
            }
            return blobClient;
        }
        BlobClientBuilder builder = new BlobClientBuilder();
        if (connectionString != null) {
            if (containerName == null || blobName == null) {
                throw new IllegalStateException("With connectionString(...), also set "
                    + (containerName == null ? "containerName(...)" + (blobName == null ? " and " : "") : "")
                    + (blobName == null ? "blobName(...)" : "") + ".");
            }
            if (credential != null) {
                throw new IllegalStateException("A connection string carries its own credential; remove "
                    + "credential(...) or use endpoint(...) instead of connectionString(...).");
            }
            builder.connectionString(connectionString);
        } else {
            BlobUrlParts parts = BlobUrlParts.parse(endpoint);
            boolean namesBlob = parts.getBlobName() != null && !parts.getBlobName().isEmpty();
            if (blobName == null && !namesBlob) {
                throw new IllegalStateException("The endpoint does not name a blob: set containerName(...) and "
                    + "blobName(...), or give the blob's URL as endpoint(...).");
            }
            boolean hasSas = parts.getCommonSasQueryParameters() != null
                && parts.getCommonSasQueryParameters().getSignature() != null;
            if (credential == null && !hasSas) {
                throw new IllegalStateException("No credential for endpoint(...): set credential(...) with a "
                    + "StorageSharedKeyCredential, TokenCredential or AzureSasCredential, put a SAS in the URL, or "
                    + "use connectionString(...).");
            }
            builder.endpoint(endpoint);
            if (credential instanceof StorageSharedKeyCredential c) {
                builder.credential(c);
            } else if (credential instanceof TokenCredential c) {
                builder.credential(c);
            } else if (credential instanceof AzureSasCredential c) {
                builder.credential(c);
            }
        }
        if (containerName != null) {
            builder.containerName(containerName);
        }
        if (blobName != null) {
            builder.blobName(blobName);
        }
        if (httpClient != null) {
            builder.httpClient(httpClient);
        }
        return builder.buildClient();
    }
}
