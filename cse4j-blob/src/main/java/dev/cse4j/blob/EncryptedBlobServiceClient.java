package dev.cse4j.blob;

import com.azure.core.annotation.ServiceClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.rest.PagedIterable;
import com.azure.core.http.rest.Response;
import com.azure.core.http.rest.SimpleResponse;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceVersion;
import com.azure.storage.blob.models.BlobContainerItem;
import com.azure.storage.blob.models.ListBlobContainersOptions;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.models.PublicAccessType;
import com.azure.storage.blob.options.BlobContainerCreateOptions;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.implementation.EncryptionSettings;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A storage account's blob service, with client-side encryption options set once and handed down: every
 * {@link EncryptedBlobContainerClient} it gives, and every {@link EncryptedBlobClient} those give, encrypts with
 * this client's {@link ClientSideEncryptionOptions} (unless given others) and sends through this client's one HTTP
 * pipeline. Wraps (never extends) an azure-storage-blob {@link BlobServiceClient}. Build one with
 * {@link EncryptedBlobServiceClientBuilder}. Thread-safe.
 *
 * <pre>{@code
 * EncryptedBlobServiceClient service = new EncryptedBlobServiceClientBuilder()
 *     .connectionString(connectionString).clientSideEncryptionOptions(options).buildEncryptedBlobServiceClient();
 * EncryptedBlobContainerClient docs = service.createBlobContainerIfNotExists("docs");
 * docs.getEncryptedBlobClient("report.pdf").uploadFromFile("report.pdf", true);
 * }</pre>
 *
 * <p>Container management and listing are the Azure SDK's, passed through; container metadata is not encrypted.
 */
@ServiceClient(builder = EncryptedBlobServiceClientBuilder.class)
public final class EncryptedBlobServiceClient {
    private final BlobServiceClient service;
    private final EncryptionSettings settings;
    private final ParallelTransferOptions transferDefaults;

    EncryptedBlobServiceClient(BlobServiceClient service, EncryptionSettings settings,
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
    public EncryptedBlobContainerClient getEncryptedBlobContainerClient(String containerName) {
        return container(service.getBlobContainerClient(Objects.requireNonNull(containerName, "containerName")));
    }

    /**
     * A client for the container {@code containerName} with other options (e.g. another key, or protocol 2.1),
     * handed down to its blob clients, on this client's pipeline; this client's options do not change.
     */
    public EncryptedBlobContainerClient getEncryptedBlobContainerClient(String containerName,
        ClientSideEncryptionOptions options) {
        return new EncryptedBlobContainerClient(service.getBlobContainerClient(Objects.requireNonNull(containerName,
            "containerName")), EncryptionSettings.of(Objects.requireNonNull(options, "options")), transferDefaults);
    }

    /** Creates the container (it must not exist) and returns its client. */
    public EncryptedBlobContainerClient createBlobContainer(String containerName) {
        return container(service.createBlobContainer(containerName));
    }

    public Response<EncryptedBlobContainerClient> createBlobContainerWithResponse(String containerName,
        Map<String, String> metadata, PublicAccessType accessType, Context context) {
        Response<BlobContainerClient> response = service.createBlobContainerWithResponse(containerName, metadata,
            accessType, context);
        return new SimpleResponse<>(response, container(response.getValue()));
    }

    /** Creates the container if it does not exist, and returns its client either way. */
    public EncryptedBlobContainerClient createBlobContainerIfNotExists(String containerName) {
        return container(service.createBlobContainerIfNotExists(containerName));
    }

    /** As {@link #createBlobContainerIfNotExists(String)}; the status is 201 if created, 409 if it existed. */
    public Response<EncryptedBlobContainerClient> createBlobContainerIfNotExistsWithResponse(String containerName,
        BlobContainerCreateOptions options, Context context) {
        Response<BlobContainerClient> response = service.createBlobContainerIfNotExistsWithResponse(containerName,
            options, context);
        return new SimpleResponse<>(response, container(response.getValue()));
    }

    /** Deletes the container and every blob in it (it must exist). */
    public void deleteBlobContainer(String containerName) {
        service.deleteBlobContainer(containerName);
    }

    public Response<Void> deleteBlobContainerWithResponse(String containerName, Context context) {
        return service.deleteBlobContainerWithResponse(containerName, context);
    }

    /** Deletes the container and every blob in it if it exists; whether it deleted it. */
    public boolean deleteBlobContainerIfExists(String containerName) {
        return service.deleteBlobContainerIfExists(containerName);
    }

    public Response<Boolean> deleteBlobContainerIfExistsWithResponse(String containerName, Context context) {
        return service.deleteBlobContainerIfExistsWithResponse(containerName, context);
    }

    /** The account's containers. */
    public PagedIterable<BlobContainerItem> listBlobContainers() {
        return service.listBlobContainers();
    }

    /** The containers the options select (prefix, page size, metadata, deleted). */
    public PagedIterable<BlobContainerItem> listBlobContainers(ListBlobContainersOptions options, Duration timeout) {
        return service.listBlobContainers(options, timeout);
    }

    private EncryptedBlobContainerClient container(BlobContainerClient container) {
        return new EncryptedBlobContainerClient(container, settings, transferDefaults);
    }

    @Override
    public String toString() {
        return "EncryptedBlobServiceClient[" + getAccountUrl() + ", writes "
            + settings.options().getBlobProtocol().wireValue() + "]";
    }
}
