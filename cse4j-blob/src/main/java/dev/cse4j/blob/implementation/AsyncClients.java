package dev.cse4j.blob.implementation;

import com.azure.storage.blob.BlobAsyncClient;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobClientBuilder;
import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.BlobServiceAsyncClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.CpkInfo;
import com.azure.storage.blob.models.CustomerProvidedKey;

/**
 * The asynchronous Azure SDK client for what a synchronous one reaches, on the same HTTP pipeline: how a
 * synchronous client reaches the transfer engine (which is asynchronous), and how a builder given a synchronous
 * client builds an asynchronous one. The blob and container clients carry their service version, encryption scope
 * and customer-provided key; the service client exposes neither of the last two, so a service client built this
 * way has only the pipeline, the endpoint and the service version.
 */
public final class AsyncClients {
    private AsyncClients() {
    }

    public static BlobAsyncClient of(BlobClient blob) {
        CpkInfo cpk = blob.getCustomerProvidedKey();
        return new BlobClientBuilder().pipeline(blob.getHttpPipeline()).endpoint(blob.getBlobUrl())
            .serviceVersion(blob.getServiceVersion()).encryptionScope(blob.getEncryptionScope())
            .customerProvidedKey(cpk == null ? null : new CustomerProvidedKey(cpk.getEncryptionKey()))
            .buildAsyncClient();
    }

    public static BlobContainerAsyncClient of(BlobContainerClient container) {
        CpkInfo cpk = container.getCustomerProvidedKey();
        return new BlobContainerClientBuilder().pipeline(container.getHttpPipeline())
            .endpoint(container.getBlobContainerUrl()).serviceVersion(container.getServiceVersion())
            .encryptionScope(container.getEncryptionScope())
            .customerProvidedKey(cpk == null ? null : new CustomerProvidedKey(cpk.getEncryptionKey()))
            .buildAsyncClient();
    }

    public static BlobServiceAsyncClient of(BlobServiceClient service) {
        return new BlobServiceClientBuilder().pipeline(service.getHttpPipeline()).endpoint(service.getAccountUrl())
            .serviceVersion(service.getServiceVersion()).buildAsyncClient();
    }
}
