package dev.cse4j.cli;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueServiceClientBuilder;
import com.azure.storage.queue.models.QueueStorageException;
import dev.cse4j.queue.EncryptedQueueClientBuilder;

/** The plain queue client (to create the queue) and encrypted-client builders on it, from the connection string. */
final class QueueStorage {
    private final QueueClient queue;

    QueueStorage(String connectionString, String queueName) {
        try {
            this.queue = new QueueServiceClientBuilder().connectionString(connectionString)
                .retryOptions(BlobStorage.RETRIES).buildClient().getQueueClient(queueName);
        } catch (IllegalArgumentException e) {
            throw ConnectionOptions.invalid(e);
        }
    }

    String name() {
        return queue.getQueueName();
    }

    void createIfMissing() {
        queue.createIfNotExists();
    }

    EncryptedQueueClientBuilder encrypted() {
        return new EncryptedQueueClientBuilder().queueClient(queue);
    }

    /** Turns "no such queue" into a clear exit-1 failure; other errors pass unchanged. */
    RuntimeException notFound(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof QueueStorageException storage && storage.getStatusCode() == 404) {
                return new CliFailure(ExitCode.OTHER, "Queue '" + name() + "' does not exist. Check --queue (and "
                    + "the connection string's account).", e);
            }
        }
        return e;
    }
}
