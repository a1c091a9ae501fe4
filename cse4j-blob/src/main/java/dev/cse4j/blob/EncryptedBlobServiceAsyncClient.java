package dev.cse4j.blob;

import com.azure.core.annotation.ServiceClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.rest.PagedFlux;
import com.azure.core.http.rest.Response;
import com.azure.core.http.rest.SimpleResponse;
import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.BlobServiceAsyncClient;
import com.azure.storage.blob.BlobServiceVersion;
import com.azure.storage.blob.models.BlobContainerItem;
import com.azure.storage.blob.models.ListBlobContainersOptions;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.models.PublicAccessType;
import com.azure.storage.blob.options.BlobContainerCreateOptions;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.implementation.EncryptionSettings;
import reactor.core.publisher.Mono;

import java.util.Map;
import java.util.Objects;

/**
 * The asynchronous twin of {@link EncryptedBlobServiceClient} (Project Reactor, as the Azure SDK's
 * {@code BlobServiceAsyncClient}): a storage account's blob service whose {@link ClientSideEncryptionOptions} reach
 * every {@link EncryptedBlobContainerAsyncClient} it gives and their {@link EncryptedBlobAsyncClient}s, all on its one
 * HTTP pipeline. Wraps (never extends) an azure-storage-blob {@link BlobServiceAsyncClient}. Build one with
 * {@link EncryptedBlobServiceClientBuilder#buildEncryptedBlobServiceAsyncClient()}. Thread-safe; nothing happens
 * until a returned publisher is subscribed.
 *
 * <p>Container management and listing are the Azure SDK's, passed through; container metadata is not encrypted.
 */
@ServiceClient(builder = EncryptedBlobServiceClientBuilder.class, isAsync = true)
public final class EncryptedBlobServiceAsyncClient {
    private final BlobServiceAsyncClient service;
    private final EncryptionSettings settings;
    private final ParallelTransferOptions transferDefaults;

    EncryptedBlobServiceAsyncClient(BlobServiceAsyncClient service, EncryptionSettings settings,
        ParallelTransferOptions transferDefaults) {
        this.service = service;
        this.settings = settings;
        this.transferDefaults = transferDefaults;
    }

    public String getAccountName() {
        return service.getAccountName();
    }

    public String getAccountUrl() {
        return service.getAccountUrl();
    }

    public BlobServiceVersion getServiceVersion() {
        return service.getServiceVersion();
    }

    /** The HTTP pipeline this client and every client it gives send through. */
    public HttpPipeline getHttpPipeline() {
        return service.getHttpPipeline();
    }

    /** The key, format and policy settings handed down to the container clients this client gives. */
    public ClientSideEncryptionOptions getClientSideEncryptionOptions() {
        return settings.options();
    }

    /** A client for the container {@code containerName}, with this client's options and pipeline. */
    public EncryptedBlobContainerAsyncClient getEncryptedBlobContainerAsyncClient(String containerName) {
        return container(service.getBlobContainerAsyncClient(Objects.requireNonNull(containerName,
            "containerName")));
    }

    /**
     * A client for the container {@code containerName} with other options (e.g. another key, or protocol 2.1),
     * handed down to its blob clients, on this client's pipeline; this client's options do not change.
     */
    public EncryptedBlobContainerAsyncClient getEncryptedBlobContainerAsyncClient(String containerName,
        ClientSideEncryptionOptions options) {
        return new EncryptedBlobContainerAsyncClient(service.getBlobContainerAsyncClient(
            Objects.requireNonNull(containerName, "containerName")),
            EncryptionSettings.of(Objects.requireNonNull(options, "options")), transferDefaults);
    }

    /** Creates the container (it must not exist) and gives its client. */
    public Mono<EncryptedBlobContainerAsyncClient> createBlobContainer(String containerName) {
        return service.createBlobContainer(containerName).map(this::container);
    }

    public Mono<Response<EncryptedBlobContainerAsyncClient>> createBlobContainerWithResponse(String containerName,
        Map<String, String> metadata, PublicAccessType accessType) {
        return service.createBlobContainerWithResponse(containerName, metadata, accessType)
            .map(response -> new SimpleResponse<>(response, container(response.getValue())));
    }

    /** Creates the container if it does not exist, and gives its client either way. */
    public Mono<EncryptedBlobContainerAsyncClient> createBlobContainerIfNotExists(String containerName) {
        return service.createBlobContainerIfNotExists(containerName).map(this::container);
    }

    /** As {@link #createBlobContainerIfNotExists(String)}; the status is 201 if created, 409 if it existed. */
    public Mono<Response<EncryptedBlobContainerAsyncClient>> createBlobContainerIfNotExistsWithResponse(
        String containerName, BlobContainerCreateOptions options) {
        return service.createBlobContainerIfNotExistsWithResponse(containerName, options)
            .map(response -> new SimpleResponse<>(response, container(response.getValue())));
    }

    /** Deletes the container and every blob in it (it must exist). */
    public Mono<Void> deleteBlobContainer(String containerName) {
        return service.deleteBlobContainer(containerName);
    }

    public Mono<Response<Void>> deleteBlobContainerWithResponse(String containerName) {
        return service.deleteBlobContainerWithResponse(containerName);
    }

    /** Deletes the container and every blob in it if it exists; whether it deleted it. */
    public Mono<Boolean> deleteBlobContainerIfExists(String containerName) {
        return service.deleteBlobContainerIfExists(containerName);
    }

    public Mono<Response<Boolean>> deleteBlobContainerIfExistsWithResponse(String containerName) {
        return service.deleteBlobContainerIfExistsWithResponse(containerName);
    }

    /** The account's containers. */
    public PagedFlux<BlobContainerItem> listBlobContainers() {
        return service.listBlobContainers();
    }

    /** The containers the options select (prefix, page size, metadata, deleted). */
    public PagedFlux<BlobContainerItem> listBlobContainers(ListBlobContainersOptions options) {
        return service.listBlobContainers(options);
    }

    private EncryptedBlobContainerAsyncClient container(BlobContainerAsyncClient container) {
        return new EncryptedBlobContainerAsyncClient(container, settings, transferDefaults);
    }

    @Override
    public String toString() {
        return "EncryptedBlobServiceAsyncClient[" + getAccountUrl() + ", writes "
            + settings.options().getBlobProtocol().wireValue() + "]";
    }
}
