package dev.cse4j.blob;

import com.azure.core.annotation.ServiceClientBuilder;
import com.azure.core.client.traits.AzureNamedKeyCredentialTrait;
import com.azure.core.client.traits.AzureSasCredentialTrait;
import com.azure.core.client.traits.ConnectionStringTrait;
import com.azure.core.client.traits.EndpointTrait;
import com.azure.core.client.traits.HttpTrait;
import com.azure.core.client.traits.TokenCredentialTrait;
import com.azure.core.credential.AzureNamedKeyCredential;
import com.azure.core.credential.AzureSasCredential;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.util.ClientOptions;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobClientBuilder;
import com.azure.storage.blob.BlobServiceVersion;
import com.azure.storage.blob.BlobUrlParts;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import dev.cse4j.blob.implementation.AsyncClients;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.implementation.EncryptionSettings;
import dev.cse4j.core.implementation.ServiceConnection;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds an {@link EncryptedBlobClient}, which wraps (never extends) an azure-storage-blob {@link BlobClient} and
 * encrypts everything it uploads.
 *
 * <pre>{@code
 * EncryptedBlobClient blob = new EncryptedBlobClientBuilder()
 *     .connectionString(connectionString).containerName("docs").blobName("report.pdf")
 *     .clientSideEncryptionOptions(ClientSideEncryptionOptions.builder()
 *         .key(keyEncryptionKey, KeyWrapAlgorithm.A256KW).build())
 *     .buildEncryptedBlobClient();
 * }</pre>
 *
 * <p>Where the blob is — exactly one of:
 * <ul>
 *   <li>{@link #blobClient(BlobClient)}: an existing plain client (not Microsoft's encrypted client);</li>
 *   <li>{@link #connectionString(String)} + {@link #containerName(String)} + {@link #blobName(String)};</li>
 *   <li>{@link #endpoint(String)} + a credential + container and blob name (or a blob URL that names them; a SAS in
 *       the URL serves as the credential).</li>
 * </ul>
 * With a connection string or endpoint, the HTTP settings of the Azure SDK's {@code BlobClientBuilder} apply
 * ({@link #httpClient}, {@link #pipeline}, {@link #addPolicy}, {@link #retryOptions(RetryOptions)},
 * {@link #httpLogOptions}, {@link #clientOptions}, {@link #serviceVersion}). Each client built here has a pipeline
 * of its own: for many blobs, get their clients from one {@link EncryptedBlobServiceClient} or
 * {@link EncryptedBlobContainerClient} instead, which share theirs.
 *
 * <p>Keys, formats and policy come whole from {@link #clientSideEncryptionOptions(ClientSideEncryptionOptions)}
 * (protocol 2.0 or 2.1 and its region length included). Transfer defaults: {@link #parallelTransferOptions}.
 *
 * <p>{@link #buildEncryptedBlobClient()} fails with an {@link IllegalStateException} naming the setter to call when
 * something needed is missing or settings contradict each other; every cse4j builder refuses the same connection
 * mistakes with the same messages.
 */
@ServiceClientBuilder(serviceClients = {EncryptedBlobClient.class, EncryptedBlobAsyncClient.class})
public final class EncryptedBlobClientBuilder implements HttpTrait<EncryptedBlobClientBuilder>,
    ConnectionStringTrait<EncryptedBlobClientBuilder>, EndpointTrait<EncryptedBlobClientBuilder>,
    TokenCredentialTrait<EncryptedBlobClientBuilder>, AzureSasCredentialTrait<EncryptedBlobClientBuilder>,
    AzureNamedKeyCredentialTrait<EncryptedBlobClientBuilder> {
    private final ServiceConnection connection = new ServiceConnection("blob", "blobClient(...)",
        "containerName(...) and blobName(...)");
    private BlobClient blobClient;
    private String containerName;
    private String blobName;
    private ClientSideEncryptionOptions options;
    private ParallelTransferOptions parallelTransferOptions;

    /** A builder with nothing set; nothing is read or loaded until {@link #buildEncryptedBlobClient()}. */
    public EncryptedBlobClientBuilder() {
    }

    /**
     * Wraps an existing plain {@link BlobClient} (its pipeline, credential and options are used as they are).
     * Microsoft's {@code EncryptedBlobClient} is refused: it would decrypt or encrypt a second time.
     */
    public EncryptedBlobClientBuilder blobClient(BlobClient blobClient) {
        Objects.requireNonNull(blobClient, "blobClient");
        if (blobClient.getClass().getName().startsWith("com.azure.storage.blob.specialized.cryptography.")) {
            throw ServiceConnection.refusedArgument("blobClient(...) takes a plain BlobClient, not Microsoft's "
                + blobClient.getClass().getSimpleName() + ": build one with BlobClientBuilder (or "
                + "BlobContainerClient.getBlobClient).");
        }
        this.blobClient = blobClient;
        return this;
    }

    /** The key, format and policy settings (required). */
    public EncryptedBlobClientBuilder clientSideEncryptionOptions(ClientSideEncryptionOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        return this;
    }

    /** A storage account connection string; also set {@link #containerName} and {@link #blobName}. */
    @Override
    public EncryptedBlobClientBuilder connectionString(String connectionString) {
        connection.connectionString(connectionString);
        return this;
    }

    /** The blob service endpoint, or the URL of the container or blob (which then supplies their names). */
    @Override
    public EncryptedBlobClientBuilder endpoint(String endpoint) {
        connection.endpoint(endpoint);
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

    /** An account name and key, for {@link #endpoint(String)}. */
    public EncryptedBlobClientBuilder credential(StorageSharedKeyCredential credential) {
        connection.credential("credential(StorageSharedKeyCredential)", credential);
        return this;
    }

    /** An account name and key, for {@link #endpoint(String)}. */
    @Override
    public EncryptedBlobClientBuilder credential(AzureNamedKeyCredential credential) {
        connection.credential("credential(AzureNamedKeyCredential)", credential);
        return this;
    }

    /** A Microsoft Entra ID token credential, for an HTTPS {@link #endpoint(String)}. */
    @Override
    public EncryptedBlobClientBuilder credential(TokenCredential credential) {
        connection.credential("credential(TokenCredential)", credential);
        return this;
    }

    /** A shared access signature, for {@link #endpoint(String)}. */
    @Override
    public EncryptedBlobClientBuilder credential(AzureSasCredential credential) {
        connection.credential("credential(AzureSasCredential)", credential);
        return this;
    }

    /** A shared access signature token, for {@link #endpoint(String)}. */
    public EncryptedBlobClientBuilder sasToken(String sasToken) {
        connection.sasToken(sasToken);
        return this;
    }

    @Override
    public EncryptedBlobClientBuilder httpClient(HttpClient httpClient) {
        connection.httpClient(httpClient);
        return this;
    }

    /** A complete HTTP pipeline (with its authentication); then only {@link #endpoint(String)} says where. */
    @Override
    public EncryptedBlobClientBuilder pipeline(HttpPipeline pipeline) {
        connection.pipeline(pipeline);
        return this;
    }

    @Override
    public EncryptedBlobClientBuilder addPolicy(HttpPipelinePolicy policy) {
        connection.addPolicy(policy);
        return this;
    }

    @Override
    public EncryptedBlobClientBuilder retryOptions(RetryOptions retryOptions) {
        connection.retryOptions("retryOptions(RetryOptions)", retryOptions);
        return this;
    }

    /** Azure Storage's retry options (one kind of retry options only). */
    public EncryptedBlobClientBuilder retryOptions(RequestRetryOptions retryOptions) {
        connection.retryOptions("retryOptions(RequestRetryOptions)", retryOptions);
        return this;
    }

    @Override
    public EncryptedBlobClientBuilder httpLogOptions(HttpLogOptions logOptions) {
        connection.httpLogOptions(logOptions);
        return this;
    }

    @Override
    public EncryptedBlobClientBuilder clientOptions(ClientOptions clientOptions) {
        connection.clientOptions(clientOptions);
        return this;
    }

    public EncryptedBlobClientBuilder serviceVersion(BlobServiceVersion version) {
        connection.serviceVersion(version);
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

    /**
     * @throws IllegalStateException naming the setter to call, if the blob's location or the options are missing or
     *     the settings contradict each other
     */
    public EncryptedBlobClient buildEncryptedBlobClient() {
        EncryptionSettings settings = EncryptionSettings.of(options);
        return new EncryptedBlobClient(blobClient != null ? wrapped() : connection.apply(configured()::buildClient),
            settings, parallelTransferOptions);
    }

    /**
     * The asynchronous client for the same blob, with the same options ({@link EncryptedBlobAsyncClient}); with
     * {@link #blobClient(BlobClient)}, on that client's pipeline.
     *
     * @throws IllegalStateException as {@link #buildEncryptedBlobClient()}
     */
    public EncryptedBlobAsyncClient buildEncryptedBlobAsyncClient() {
        EncryptionSettings settings = EncryptionSettings.of(options);
        return new EncryptedBlobAsyncClient(blobClient != null ? AsyncClients.of(wrapped())
            : connection.apply(configured()::buildAsyncClient), settings, parallelTransferOptions);
    }

    /** The wrapped client, refusing names set beside it. */
    private BlobClient wrapped() {
        List<String> names = new ArrayList<>();
        if (containerName != null) {
            names.add("containerName(...)");
        }
        if (blobName != null) {
            names.add("blobName(...)");
        }
        connection.refuseBesides(names);
        return blobClient;
    }

    /** An Azure SDK builder with the connection settings and the blob's names. */
    private BlobClientBuilder configured() {
        BlobClientBuilder builder = connection.configure(new BlobClientBuilder(), StorageValues.of(
            BlobClientBuilder::credential, BlobClientBuilder::retryOptions, BlobClientBuilder::serviceVersion));
        boolean urlNamesBlob = !connection.hasConnectionString() && connection.apply(() -> {
            String named = BlobUrlParts.parse(connection.endpoint()).getBlobName();
            return named != null && !named.isEmpty();
        });
        if (!urlNamesBlob && (containerName == null || blobName == null)) {
            throw ServiceConnection.refused("Name the blob: set containerName(...) and blobName(...)"
                + (connection.hasConnectionString() ? "" : ", or give the blob's URL as endpoint(...)") + ".");
        }
        if (containerName != null) {
            builder.containerName(containerName);
        }
        if (blobName != null) {
            builder.blobName(blobName);
        }
        return builder;
    }
}
