package dev.cse4j.cli;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueServiceClientBuilder;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.implementation.ServiceConnection;
import dev.cse4j.queue.EncryptedQueueClientBuilder;

/** The plain queue client (to create the queue) and encrypted-client builders on it, from the connection string. */
final class QueueStorage {
    private final QueueClient queue;

    QueueStorage(String connectionString, String queueName) {
        try {
            ServiceConnection.checkConnectionString("queue", connectionString);
            this.queue = new QueueServiceClientBuilder().connectionString(connectionString)
                .retryOptions(BlobStorage.RETRIES).buildClient().getQueueClient(queueName);
        } catch (RuntimeException e) {
            throw ConnectionOptions.invalid(e, connectionString);
        }
    }

    String name() {
        return queue.getQueueName();
    }

    void createIfMissing() {
        queue.createIfNotExists();
    }

    EncryptedQueueClientBuilder encrypted(ClientSideEncryptionOptions options) {
        return new EncryptedQueueClientBuilder().queueClient(queue).clientSideEncryptionOptions(options);
    }
}
