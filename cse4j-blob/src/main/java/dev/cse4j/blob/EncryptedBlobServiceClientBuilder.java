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
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.BlobServiceVersion;
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
 * Builds an {@link EncryptedBlobServiceClient}: a storage account's blob service whose containers and blobs get
 * this builder's {@link ClientSideEncryptionOptions}, all on one HTTP pipeline.
 *
 * <pre>{@code
 * EncryptedBlobServiceClient service = new EncryptedBlobServiceClientBuilder()
 *     .connectionString(connectionString)
 *     .clientSideEncryptionOptions(ClientSideEncryptionOptions.builder()
 *         .key(keyEncryptionKey, KeyWrapAlgorithm.A256KW).build())
 *     .buildEncryptedBlobServiceClient();
 * }</pre>
 *
 * <p>The service — exactly one of: {@link #blobServiceClient(BlobServiceClient)} (an existing plain client),
 * {@link #connectionString(String)}, or {@link #endpoint(String)} with a credential (or a SAS in the URL). With a
 * connection string or endpoint, the HTTP settings of the Azure SDK's {@code BlobServiceClientBuilder} apply
 * ({@link #httpClient}, {@link #pipeline}, {@link #addPolicy}, {@link #retryOptions(RetryOptions)},
 * {@link #httpLogOptions}, {@link #clientOptions}, {@link #serviceVersion}).
 *
 * <p>{@link #buildEncryptedBlobServiceClient()} fails with an {@link IllegalStateException} naming the setter to call
 * when something needed is missing or settings contradict each other; every cse4j builder refuses the same
 * connection mistakes with the same messages.
 */
@ServiceClientBuilder(serviceClients = {EncryptedBlobServiceClient.class, EncryptedBlobServiceAsyncClient.class})
public final class EncryptedBlobServiceClientBuilder implements HttpTrait<EncryptedBlobServiceClientBuilder>,
    ConnectionStringTrait<EncryptedBlobServiceClientBuilder>, EndpointTrait<EncryptedBlobServiceClientBuilder>,
    TokenCredentialTrait<EncryptedBlobServiceClientBuilder>,
    AzureSasCredentialTrait<EncryptedBlobServiceClientBuilder>,
    AzureNamedKeyCredentialTrait<EncryptedBlobServiceClientBuilder> {
    private final ServiceConnection connection = new ServiceConnection("blob", "blobServiceClient(...)", "");
    private BlobServiceClient blobServiceClient;
    private ClientSideEncryptionOptions options;
    private ParallelTransferOptions parallelTransferOptions;

    /** A builder with nothing set; nothing is read or loaded until it builds. */
    public EncryptedBlobServiceClientBuilder() {
    }

    /**
     * Wraps an existing plain {@link BlobServiceClient}: its pipeline, credential and options are used as they
     * are.
     */
    public EncryptedBlobServiceClientBuilder blobServiceClient(BlobServiceClient blobServiceClient) {
        this.blobServiceClient = Objects.requireNonNull(blobServiceClient, "blobServiceClient");
        return this;
    }

    /** The key, format and policy settings (required). */
    public EncryptedBlobServiceClientBuilder clientSideEncryptionOptions(ClientSideEncryptionOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        return this;
    }

    /** A storage account connection string. */
    @Override
    public EncryptedBlobServiceClientBuilder connectionString(String connectionString) {
        connection.connectionString(connectionString);
        return this;
    }

    /**
     * The blob service endpoint, e.g. {@code https://account.blob.core.windows.net} (for Azurite, path-style:
     * {@code http://127.0.0.1:10000/devstoreaccount1}).
     */
    @Override
    public EncryptedBlobServiceClientBuilder endpoint(String endpoint) {
        connection.endpoint(endpoint);
        return this;
    }

    /** An account name and key, for {@link #endpoint(String)}. */
    public EncryptedBlobServiceClientBuilder credential(StorageSharedKeyCredential credential) {
        connection.credential("credential(StorageSharedKeyCredential)", credential);
        return this;
    }

    /** An account name and key, for {@link #endpoint(String)}. */
    @Override
    public EncryptedBlobServiceClientBuilder credential(AzureNamedKeyCredential credential) {
        connection.credential("credential(AzureNamedKeyCredential)", credential);
        return this;
    }

    /** A Microsoft Entra ID token credential, for an HTTPS {@link #endpoint(String)}. */
    @Override
    public EncryptedBlobServiceClientBuilder credential(TokenCredential credential) {
        connection.credential("credential(TokenCredential)", credential);
        return this;
    }

    /** A shared access signature, for {@link #endpoint(String)}. */
    @Override
    public EncryptedBlobServiceClientBuilder credential(AzureSasCredential credential) {
        connection.credential("credential(AzureSasCredential)", credential);
        return this;
    }

    /** A shared access signature token, for {@link #endpoint(String)}. */
    public EncryptedBlobServiceClientBuilder sasToken(String sasToken) {
        connection.sasToken(sasToken);
        return this;
    }

    @Override
    public EncryptedBlobServiceClientBuilder httpClient(HttpClient httpClient) {
        connection.httpClient(httpClient);
        return this;
    }

    /** A complete HTTP pipeline (with its authentication); then only {@link #endpoint(String)} says where. */
    @Override
    public EncryptedBlobServiceClientBuilder pipeline(HttpPipeline pipeline) {
        connection.pipeline(pipeline);
        return this;
    }

    @Override
    public EncryptedBlobServiceClientBuilder addPolicy(HttpPipelinePolicy policy) {
        connection.addPolicy(policy);
        return this;
    }

    @Override
    public EncryptedBlobServiceClientBuilder retryOptions(RetryOptions retryOptions) {
        connection.retryOptions("retryOptions(RetryOptions)", retryOptions);
        return this;
    }

    /** Azure Storage's retry options (one kind of retry options only). */
    public EncryptedBlobServiceClientBuilder retryOptions(RequestRetryOptions retryOptions) {
        connection.retryOptions("retryOptions(RequestRetryOptions)", retryOptions);
        return this;
    }

    @Override
    public EncryptedBlobServiceClientBuilder httpLogOptions(HttpLogOptions logOptions) {
        connection.httpLogOptions(logOptions);
        return this;
    }

    @Override
    public EncryptedBlobServiceClientBuilder clientOptions(ClientOptions clientOptions) {
        connection.clientOptions(clientOptions);
        return this;
    }

    public EncryptedBlobServiceClientBuilder serviceVersion(BlobServiceVersion version) {
        connection.serviceVersion(version);
        return this;
    }

    /**
     * Default block size (plaintext bytes, rounded down to whole regions; default 4 MiB), blocks in flight (default
     * 8) and single-request upload limit (default 256 MiB) for every transfer, as in the Azure SDK; per-call options
     * override them. Memory per transfer is the blocks in flight × one block.
     */
    public EncryptedBlobServiceClientBuilder parallelTransferOptions(ParallelTransferOptions parallelTransferOptions) {
        this.parallelTransferOptions = parallelTransferOptions;
        return this;
    }

    /**
     * @throws IllegalStateException naming the setter to call, if the service or the options are missing or the
     *     settings contradict each other
     */
    public EncryptedBlobServiceClient buildEncryptedBlobServiceClient() {
        EncryptionSettings settings = EncryptionSettings.of(options);
        return new EncryptedBlobServiceClient(blobServiceClient != null ? wrapped()
            : connection.apply(configured()::buildClient), settings, parallelTransferOptions);
    }

    /**
     * The asynchronous client for the same account, with the same options ({@link EncryptedBlobServiceAsyncClient}).
     * With {@link #blobServiceClient(BlobServiceClient)}, on that client's pipeline, endpoint and service version
     * (an encryption scope or customer-provided key it was built with is not visible on it, so not carried: build
     * with a connection string or endpoint for those).
     *
     * @throws IllegalStateException as {@link #buildEncryptedBlobServiceClient()}
     */
    public EncryptedBlobServiceAsyncClient buildEncryptedBlobServiceAsyncClient() {
        EncryptionSettings settings = EncryptionSettings.of(options);
        return new EncryptedBlobServiceAsyncClient(blobServiceClient != null ? AsyncClients.of(wrapped())
            : connection.apply(configured()::buildAsyncClient), settings, parallelTransferOptions);
    }

    private BlobServiceClient wrapped() {
        connection.refuseBesides(List.of());
        return blobServiceClient;
    }

    private BlobServiceClientBuilder configured() {
        return connection.configure(new BlobServiceClientBuilder(), StorageValues.of(
            BlobServiceClientBuilder::credential, BlobServiceClientBuilder::retryOptions,
            BlobServiceClientBuilder::serviceVersion));
    }
}
