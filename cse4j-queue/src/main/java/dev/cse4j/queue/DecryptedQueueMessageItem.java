package dev.cse4j.queue;

import com.azure.storage.queue.models.QueueMessageItem;

import java.time.OffsetDateTime;

/**
 * A received message, decrypted, with its pop receipt and next visible time as the service returned them (see
 * {@link DecryptedMessage}). Immutable.
 */
public final class DecryptedQueueMessageItem extends DecryptedMessage {
    private final String popReceipt;
    private final OffsetDateTime timeNextVisible;

    DecryptedQueueMessageItem(QueueMessageItem item, DecryptedContent content) {
        super(item.getMessageId(), item.getDequeueCount(), item.getInsertionTime(), item.getExpirationTime(),
            content);
        this.popReceipt = item.getPopReceipt();
        this.timeNextVisible = item.getTimeNextVisible();
    }

    /** @return the pop receipt that {@code deleteMessage} and {@code updateMessage} need */
    public String getPopReceipt() {
        return popReceipt;
    }

    /** @return when the message becomes visible again */
    public OffsetDateTime getTimeNextVisible() {
        return timeNextVisible;
    }
}
