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
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.BlobServiceVersion;
import com.azure.storage.blob.BlobUrlParts;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import dev.cse4j.blob.implementation.AsyncClients;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.implementation.EncryptionSettings;
import dev.cse4j.core.implementation.ServiceConnection;

import java.util.List;
import java.util.Objects;

/**
 * Builds an {@link EncryptedBlobContainerClient}: a container whose blobs get this builder's
 * {@link ClientSideEncryptionOptions}, all on one HTTP pipeline.
 *
 * <pre>{@code
 * EncryptedBlobContainerClient container = new EncryptedBlobContainerClientBuilder()
 *     .connectionString(connectionString).containerName("docs")
 *     .clientSideEncryptionOptions(ClientSideEncryptionOptions.builder()
 *         .key(keyEncryptionKey, KeyWrapAlgorithm.A256KW).build())
 *     .buildEncryptedBlobContainerClient();
 * }</pre>
 *
 * <p>The container — exactly one of: {@link #blobContainerClient(BlobContainerClient)} (an existing plain
 * client), {@link #connectionString(String)} + {@link #containerName(String)}, or {@link #endpoint(String)} with a
 * credential (or a SAS in the URL) + {@link #containerName(String)} (or the container's URL, which names it). With a
 * connection string or endpoint, the HTTP settings of the Azure SDK's {@code BlobContainerClientBuilder} apply
 * ({@link #httpClient}, {@link #pipeline}, {@link #addPolicy}, {@link #retryOptions(RetryOptions)},
 * {@link #httpLogOptions}, {@link #clientOptions}, {@link #serviceVersion}).
 *
 * <p>{@link #buildEncryptedBlobContainerClient()} fails with an {@link IllegalStateException} naming the setter to
 * call when something needed is missing or settings contradict each other; every cse4j builder refuses the same
 * connection mistakes with the same messages.
 */
@ServiceClientBuilder(serviceClients = {EncryptedBlobContainerClient.class, EncryptedBlobContainerAsyncClient.class})
public final class EncryptedBlobContainerClientBuilder implements HttpTrait<EncryptedBlobContainerClientBuilder>,
    ConnectionStringTrait<EncryptedBlobContainerClientBuilder>, EndpointTrait<EncryptedBlobContainerClientBuilder>,
    TokenCredentialTrait<EncryptedBlobContainerClientBuilder>,
    AzureSasCredentialTrait<EncryptedBlobContainerClientBuilder>,
    AzureNamedKeyCredentialTrait<EncryptedBlobContainerClientBuilder> {
    private final ServiceConnection connection = new ServiceConnection("blob", "blobContainerClient(...)",
        "containerName(...)");
    private BlobContainerClient blobContainerClient;
    private String containerName;
    private ClientSideEncryptionOptions options;
    private ParallelTransferOptions parallelTransferOptions;

    /** A builder with nothing set; nothing is read or loaded until it builds. */
    public EncryptedBlobContainerClientBuilder() {
    }

    /**
     * Wraps an existing plain {@link BlobContainerClient}: its pipeline, credential and options are used as they
     * are.
     */
    public EncryptedBlobContainerClientBuilder blobContainerClient(BlobContainerClient blobContainerClient) {
        this.blobContainerClient = Objects.requireNonNull(blobContainerClient, "blobContainerClient");
        return this;
    }

    /** The key, format and policy settings (required). */
    public EncryptedBlobContainerClientBuilder clientSideEncryptionOptions(ClientSideEncryptionOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        return this;
    }

    /** A storage account connection string; also set {@link #containerName}. */
    @Override
    public EncryptedBlobContainerClientBuilder connectionString(String connectionString) {
        connection.connectionString(connectionString);
        return this;
    }

    /** The blob service endpoint, or the URL of the container (which then supplies its name). */
    @Override
    public EncryptedBlobContainerClientBuilder endpoint(String endpoint) {
        connection.endpoint(endpoint);
        return this;
    }

    /** An account name and key, for {@link #endpoint(String)}. */
    public EncryptedBlobContainerClientBuilder credential(StorageSharedKeyCredential credential) {
        connection.credential("credential(StorageSharedKeyCredential)", credential);
        return this;
    }

    /** An account name and key, for {@link #endpoint(String)}. */
    @Override
    public EncryptedBlobContainerClientBuilder credential(AzureNamedKeyCredential credential) {
        connection.credential("credential(AzureNamedKeyCredential)", credential);
        return this;
    }

    /** A Microsoft Entra ID token credential, for an HTTPS {@link #endpoint(String)}. */
    @Override
    public EncryptedBlobContainerClientBuilder credential(TokenCredential credential) {
        connection.credential("credential(TokenCredential)", credential);
        return this;
    }

    /** A shared access signature, for {@link #endpoint(String)}. */
    @Override
    public EncryptedBlobContainerClientBuilder credential(AzureSasCredential credential) {
        connection.credential("credential(AzureSasCredential)", credential);
        return this;
    }

    /** A shared access signature token, for {@link #endpoint(String)}. */
    public EncryptedBlobContainerClientBuilder sasToken(String sasToken) {
        connection.sasToken(sasToken);
        return this;
    }

    @Override
    public EncryptedBlobContainerClientBuilder httpClient(HttpClient httpClient) {
        connection.httpClient(httpClient);
        return this;
    }

    /** A complete HTTP pipeline (with its authentication); then only {@link #endpoint(String)} says where. */
    @Override
    public EncryptedBlobContainerClientBuilder pipeline(HttpPipeline pipeline) {
        connection.pipeline(pipeline);
        return this;
    }

    @Override
    public EncryptedBlobContainerClientBuilder addPolicy(HttpPipelinePolicy policy) {
        connection.addPolicy(policy);
        return this;
    }

    @Override
    public EncryptedBlobContainerClientBuilder retryOptions(RetryOptions retryOptions) {
        connection.retryOptions("retryOptions(RetryOptions)", retryOptions);
        return this;
    }

    /** Azure Storage's retry options (one kind of retry options only). */
    public EncryptedBlobContainerClientBuilder retryOptions(RequestRetryOptions retryOptions) {
        connection.retryOptions("retryOptions(RequestRetryOptions)", retryOptions);
        return this;
    }

    @Override
    public EncryptedBlobContainerClientBuilder httpLogOptions(HttpLogOptions logOptions) {
        connection.httpLogOptions(logOptions);
        return this;
    }

    @Override
    public EncryptedBlobContainerClientBuilder clientOptions(ClientOptions clientOptions) {
        connection.clientOptions(clientOptions);
        return this;
    }

    public EncryptedBlobContainerClientBuilder serviceVersion(BlobServiceVersion version) {
        connection.serviceVersion(version);
        return this;
    }

    /**
     * Default block size (plaintext bytes, rounded down to whole regions; default 4 MiB), blocks in flight (default
     * 8) and single-request upload limit (default 256 MiB) for every transfer, as in the Azure SDK; per-call options
     * override them. Memory per transfer is the blocks in flight × one block.
     */
    public EncryptedBlobContainerClientBuilder parallelTransferOptions(
        ParallelTransferOptions parallelTransferOptions) {
        this.parallelTransferOptions = parallelTransferOptions;
        return this;
    }

    /** The container's name. */
    public EncryptedBlobContainerClientBuilder containerName(String containerName) {
        this.containerName = Objects.requireNonNull(containerName, "containerName");
        return this;
    }

    /**
     * @throws IllegalStateException naming the setter to call, if the container or the options are missing or the
     *     settings contradict each other
     */
    public EncryptedBlobContainerClient buildEncryptedBlobContainerClient() {
        EncryptionSettings settings = EncryptionSettings.of(options);
        return new EncryptedBlobContainerClient(blobContainerClient != null ? wrapped()
            : connection.apply(configured()::buildClient), settings, parallelTransferOptions);
    }

    /**
     * The asynchronous client for the same container, with the same options
     * ({@link EncryptedBlobContainerAsyncClient}); with {@link #blobContainerClient(BlobContainerClient)}, on that
     * client's pipeline.
     *
     * @throws IllegalStateException as {@link #buildEncryptedBlobContainerClient()}
     */
    public EncryptedBlobContainerAsyncClient buildEncryptedBlobContainerAsyncClient() {
        EncryptionSettings settings = EncryptionSettings.of(options);
        return new EncryptedBlobContainerAsyncClient(blobContainerClient != null ? AsyncClients.of(wrapped())
            : connection.apply(configured()::buildAsyncClient), settings, parallelTransferOptions);
    }

    /** The wrapped client, refusing a name set beside it. */
    private BlobContainerClient wrapped() {
        connection.refuseBesides(containerName == null ? List.of() : List.of("containerName(...)"));
        return blobContainerClient;
    }

    /** An Azure SDK builder with the connection settings and the container's name. */
    private BlobContainerClientBuilder configured() {
        BlobContainerClientBuilder builder = connection.configure(new BlobContainerClientBuilder(),
            StorageValues.of(BlobContainerClientBuilder::credential, BlobContainerClientBuilder::retryOptions,
                BlobContainerClientBuilder::serviceVersion));
        boolean urlNamesContainer = !connection.hasConnectionString() && connection.apply(() -> {
            String named = BlobUrlParts.parse(connection.endpoint()).getBlobContainerName();
            return named != null && !named.isEmpty();
        });
        if (containerName == null && !urlNamesContainer) {
            throw ServiceConnection.refused("Name the container: set containerName(...)"
                + (connection.hasConnectionString() ? "" : ", or give the container's URL as endpoint(...)") + ".");
        }
        if (containerName != null) {
            builder.containerName(containerName);
        }
        return builder;
    }
}
