package dev.cse4j.cli;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import dev.cse4j.blob.EncryptedBlobClientBuilder;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.implementation.ServiceConnection;

import java.time.Duration;

/** Plain and encrypted blob clients for one blob, from the connection string. */
final class BlobStorage {
    /** Fails within seconds when the service is down, rather than after minutes of retries. */
    static final RequestRetryOptions RETRIES = new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, 3, (Duration) null,
        Duration.ofMillis(500), Duration.ofSeconds(4), null);

    private final BlobContainerClient container;
    private final String blobName;

    BlobStorage(String connectionString, String containerName, String blobName) {
        try {
            ServiceConnection.checkConnectionString("blob", connectionString);
            this.container = new BlobServiceClientBuilder().connectionString(connectionString).retryOptions(RETRIES)
                .buildClient().getBlobContainerClient(containerName);
        } catch (RuntimeException e) {
            throw ConnectionOptions.invalid(e, connectionString);
        }
        this.blobName = blobName;
    }

    String describe() {
        return container.getBlobContainerName() + "/" + blobName;
    }

    void createContainerIfMissing() {
        container.createIfNotExists();
    }

    /** The container's plain client: for listings and the library's fleet operations, never to write data. */
    BlobContainerClient container() {
        return container;
    }

    /** The plain client: only for reading what is stored, never for writing. */
    BlobClient plain() {
        return container.getBlobClient(blobName);
    }

    /** An encrypted-client builder on this blob, sharing the plain client's pipeline. */
    EncryptedBlobClientBuilder encrypted(ClientSideEncryptionOptions options) {
        return new EncryptedBlobClientBuilder().blobClient(plain()).clientSideEncryptionOptions(options);
    }

    /** Turns "no such blob/container" into a clear exit-1 failure; other errors pass unchanged. */
    RuntimeException notFound(RuntimeException e) {
        BlobStorageException storage = find(e);
        if (storage != null && storage.getStatusCode() == 404) {
            boolean noContainer = BlobErrorCode.CONTAINER_NOT_FOUND.equals(storage.getErrorCode());
            return new CliFailure(ExitCode.OTHER, (noContainer ? "Container '" + container.getBlobContainerName()
                + "' does not exist" : "Blob '" + describe() + "' does not exist")
                + ". Check --container and --name (and the connection string's account).", e);
        }
        return e;
    }

    static BlobStorageException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BlobStorageException storage) {
                return storage;
            }
        }
        return null;
    }
}
