package dev.cse4j.queue;

import java.time.OffsetDateTime;

/**
 * A received or peeked message that could not be read, handed to the handler set with
 * {@link EncryptedQueueClientBuilder#processMessageDecryptionError}: the message's identity and the failure, never
 * its content. With a handler, such messages are left out of the result instead of failing the whole call.
 *
 * <p>A received message stays invisible until its visibility timeout ends, then comes back with a higher dequeue
 * count; a handler can delete a message that will never decrypt (a poison message) with
 * {@code getQueueClient().deleteMessage(getMessageId(), getPopReceipt())}.
 */
public final class QueueMessageDecryptionError {
    private final EncryptedQueueClient queueClient;
    private final String messageId;
    private final String popReceipt;
    private final long dequeueCount;
    private final OffsetDateTime insertionTime;
    private final RuntimeException cause;

    QueueMessageDecryptionError(EncryptedQueueClient queueClient, String messageId, String popReceipt,
        long dequeueCount, OffsetDateTime insertionTime, RuntimeException cause) {
        this.queueClient = queueClient;
        this.messageId = messageId;
        this.popReceipt = popReceipt;
        this.dequeueCount = dequeueCount;
        this.insertionTime = insertionTime;
        this.cause = cause;
    }

    /** @return the client that read the message */
    public EncryptedQueueClient getQueueClient() {
        return queueClient;
    }

    /** @return the message's id */
    public String getMessageId() {
        return messageId;
    }

    /** @return the pop receipt of a received message; {@code null} for a peeked one */
    public String getPopReceipt() {
        return popReceipt;
    }

    /** @return how many times the message has been received */
    public long getDequeueCount() {
        return dequeueCount;
    }

    /** @return when the message was added to the queue */
    public OffsetDateTime getInsertionTime() {
        return insertionTime;
    }

    /**
     * @return why it could not be read: a {@link dev.cse4j.core.ClientSideEncryptionException} subtype (tampered,
     *     malformed, unknown key, refused by policy), or an {@link IllegalStateException} for a plaintext message
     *     that is not valid Base64 under Base64 encoding
     */
    public RuntimeException getCause() {
        return cause;
    }

    @Override
    public String toString() {
        return "QueueMessageDecryptionError[id=" + messageId + ", dequeueCount=" + dequeueCount + ", "
            + cause.getClass().getSimpleName() + "]";
    }
}
