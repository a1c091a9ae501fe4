package dev.cse4j.queue;

import java.time.OffsetDateTime;

/**
 * A received or peeked message that could not be read, handed to the handler set with
 * {@link EncryptedQueueClientBuilder#processMessageDecryptionError} or
 * {@link EncryptedQueueClientBuilder#processMessageDecryptionErrorAsync}: the message's identity and the failure,
 * never its content. With a handler, such messages are left out of the result instead of failing the whole call.
 *
 * <p>A received message stays invisible until its visibility timeout ends, then comes back with a higher dequeue
 * count; a handler can delete a message that will never decrypt (a poison message) with
 * {@code getQueueClient().deleteMessage(getMessageId(), getPopReceipt())}, or, for a message read by an
 * {@link EncryptedQueueAsyncClient}, with {@code getQueueAsyncClient().deleteMessage(getMessageId(),
 * getPopReceipt())} returned from an asynchronous handler.
 */
public final class QueueMessageDecryptionError {
    private final EncryptedQueueClient queueClient;
    private final EncryptedQueueAsyncClient queueAsyncClient;
    private final String messageId;
    private final String popReceipt;
    private final long dequeueCount;
    private final OffsetDateTime insertionTime;
    private final RuntimeException cause;

    /** One of the two clients is the one that read the message; the other is {@code null}. */
    QueueMessageDecryptionError(EncryptedQueueClient queueClient, EncryptedQueueAsyncClient queueAsyncClient,
        String messageId, String popReceipt, long dequeueCount, OffsetDateTime insertionTime, RuntimeException cause) {
        this.queueClient = queueClient;
        this.queueAsyncClient = queueAsyncClient;
        this.messageId = messageId;
        this.popReceipt = popReceipt;
        this.dequeueCount = dequeueCount;
        this.insertionTime = insertionTime;
        this.cause = cause;
    }

    /**
     * @return the client that read the message, if it was an {@link EncryptedQueueClient}; {@code null} if it was an
     *     {@link EncryptedQueueAsyncClient} (see {@link #getQueueAsyncClient()})
     */
    public EncryptedQueueClient getQueueClient() {
        return queueClient;
    }

    /**
     * @return the client that read the message, if it was an {@link EncryptedQueueAsyncClient}; {@code null} if it
     *     was an {@link EncryptedQueueClient} (see {@link #getQueueClient()})
     */
    public EncryptedQueueAsyncClient getQueueAsyncClient() {
        return queueAsyncClient;
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
