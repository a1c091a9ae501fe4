package dev.cse4j.blob;

import com.azure.core.annotation.ServiceClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.rest.PagedFlux;
import com.azure.core.http.rest.Response;
import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.BlobServiceVersion;
import com.azure.storage.blob.models.BlobContainerProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.models.PublicAccessType;
import com.azure.storage.blob.options.BlobContainerCreateOptions;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.implementation.EncryptionSettings;
import reactor.core.publisher.Mono;

import java.util.Map;
import java.util.Objects;

/**
 * The asynchronous twin of {@link EncryptedBlobContainerClient} (Project Reactor, as the Azure SDK's
 * {@code BlobContainerAsyncClient}): a container whose blobs are encrypted on the client, handing its
 * {@link ClientSideEncryptionOptions} down to every {@link EncryptedBlobAsyncClient} it gives, all on its one HTTP
 * pipeline, and listing its blobs with how each is encrypted ({@link PagedFlux}). Wraps (never extends) an
 * azure-storage-blob {@link BlobContainerAsyncClient}. Get one from an {@link EncryptedBlobServiceAsyncClient} or
 * build one with {@link EncryptedBlobContainerClientBuilder#buildEncryptedBlobContainerAsyncClient()}. Thread-safe;
 * nothing happens until a returned publisher is subscribed.
 */
@ServiceClient(builder = EncryptedBlobContainerClientBuilder.class, isAsync = true)
public final class EncryptedBlobContainerAsyncClient {
    private final BlobContainerAsyncClient container;
    private final EncryptionSettings settings;
    private final ParallelTransferOptions transferDefaults;

    EncryptedBlobContainerAsyncClient(BlobContainerAsyncClient container, EncryptionSettings settings,
        ParallelTransferOptions transferDefaults) {
        this.container = container;
        this.settings = settings;
        this.transferDefaults = transferDefaults;
    }

    // ------------------------------------------------------------------ identity

    public String getBlobContainerName() {
        return container.getBlobContainerName();
    }

    public String getBlobContainerUrl() {
        return container.getBlobContainerUrl();
    }

    public String getAccountName() {
        return container.getAccountName();
    }

    public String getAccountUrl() {
        return container.getAccountUrl();
    }

    public BlobServiceVersion getServiceVersion() {
        return container.getServiceVersion();
    }

    /** The HTTP pipeline this client and every client it gives send through. */
    public HttpPipeline getHttpPipeline() {
        return container.getHttpPipeline();
    }

    /** The key, format and policy settings handed down to the blob clients this client gives. */
    public ClientSideEncryptionOptions getClientSideEncryptionOptions() {
        return settings.options();
    }

    // ------------------------------------------------------------------ blobs

    /** A client for the blob {@code blobName} in this container, with this container's options and pipeline. */
    public EncryptedBlobAsyncClient getEncryptedBlobAsyncClient(String blobName) {
        return new EncryptedBlobAsyncClient(container.getBlobAsyncClient(Objects.requireNonNull(blobName,
            "blobName")), settings, transferDefaults);
    }

    /**
     * A client for the snapshot {@code snapshot} of the blob {@code blobName}, with this container's options and
     * pipeline (as {@code getSnapshotClient} on the blob's client).
     */
    public EncryptedBlobAsyncClient getEncryptedBlobAsyncClient(String blobName, String snapshot) {
        return new EncryptedBlobAsyncClient(container.getBlobAsyncClient(Objects.requireNonNull(blobName, "blobName"), snapshot), settings,
            transferDefaults);
    }

    /**
     * A client for the blob {@code blobName} with other options (e.g. another key, or protocol 2.1), on this
     * container's pipeline; this container's options do not change.
     */
    public EncryptedBlobAsyncClient getEncryptedBlobAsyncClient(String blobName, ClientSideEncryptionOptions options) {
        return new EncryptedBlobAsyncClient(container.getBlobAsyncClient(Objects.requireNonNull(blobName,
            "blobName")), EncryptionSettings.of(Objects.requireNonNull(options, "options")), transferDefaults);
    }

    /** Every blob of the container, each with its encryption info (metadata always retrieved). */
    public PagedFlux<EncryptedBlobItem> listBlobs() {
        return listBlobs(null, null);
    }

    /**
     * The blobs the options select (prefix, page size, details), each with its encryption info; metadata is always
     * retrieved, whatever the options' details say (the options are not changed).
     */
    public PagedFlux<EncryptedBlobItem> listBlobs(ListBlobsOptions options) {
        return listBlobs(options, null);
    }

    /**
     * As {@link #listBlobs(ListBlobsOptions)}, starting at a continuation token a previous listing's page gave
     * ({@code null}: from the start), to resume a listing.
     */
    public PagedFlux<EncryptedBlobItem> listBlobs(ListBlobsOptions options, String continuationToken) {
        return container.listBlobs(EncryptedBlobContainerClient.withMetadata(options), continuationToken)
            .mapPage(EncryptedBlobItem::of);
    }

    /**
     * The blobs and virtual directories directly under {@code directory} (delimiter {@code /}), each blob with its
     * encryption info.
     */
    public PagedFlux<EncryptedBlobItem> listBlobsByHierarchy(String directory) {
        return listBlobsByHierarchy("/", new ListBlobsOptions().setPrefix(directory));
    }

    /**
     * The blobs and virtual directories (items whose name ends at the next {@code delimiter} after the options'
     * prefix) that the options select, each blob with its encryption info; metadata is always retrieved.
     */
    public PagedFlux<EncryptedBlobItem> listBlobsByHierarchy(String delimiter, ListBlobsOptions options) {
        return container.listBlobsByHierarchy(delimiter, EncryptedBlobContainerClient.withMetadata(options))
            .mapPage(EncryptedBlobItem::of);
    }

    // ------------------------------------------------------------------ the container, passed through

    public Mono<Boolean> exists() {
        return container.exists();
    }

    public Mono<Response<Boolean>> existsWithResponse() {
        return container.existsWithResponse();
    }

    /** Creates the container; fails if it exists. */
    public Mono<Void> create() {
        return container.create();
    }

    public Mono<Response<Void>> createWithResponse(Map<String, String> metadata, PublicAccessType accessType) {
        return container.createWithResponse(metadata, accessType);
    }

    /** Creates the container if it does not exist; whether it created it. */
    public Mono<Boolean> createIfNotExists() {
        return container.createIfNotExists();
    }

    public Mono<Response<Boolean>> createIfNotExistsWithResponse(BlobContainerCreateOptions options) {
        return container.createIfNotExistsWithResponse(options);
    }

    /** Deletes the container and every blob in it; fails if it does not exist. */
    public Mono<Void> delete() {
        return container.delete();
    }

    public Mono<Response<Void>> deleteWithResponse(BlobRequestConditions requestConditions) {
        return container.deleteWithResponse(requestConditions);
    }

    /** Deletes the container and every blob in it if it exists; whether it deleted it. */
    public Mono<Boolean> deleteIfExists() {
        return container.deleteIfExists();
    }

    public Mono<Response<Boolean>> deleteIfExistsWithResponse(BlobRequestConditions requestConditions) {
        return container.deleteIfExistsWithResponse(requestConditions);
    }

    /** The container's properties (its metadata is not encrypted). */
    public Mono<BlobContainerProperties> getProperties() {
        return container.getProperties();
    }

    public Mono<Response<BlobContainerProperties>> getPropertiesWithResponse(String leaseId) {
        return container.getPropertiesWithResponse(leaseId);
    }

    @Override
    public String toString() {
        return "EncryptedBlobContainerAsyncClient[" + getBlobContainerUrl() + ", writes "
            + settings.options().getBlobProtocol().wireValue() + "]";
    }
}
