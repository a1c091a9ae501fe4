package dev.cse4j.queue;

import com.azure.storage.queue.models.PeekedMessageItem;

/**
 * A peeked message, decrypted (see {@link DecryptedMessage}). A peek has no pop receipt and does not change the
 * message's visibility or dequeue count. Immutable.
 */
public final class DecryptedPeekedMessageItem extends DecryptedMessage {
    DecryptedPeekedMessageItem(PeekedMessageItem item, DecryptedContent content) {
        super(item.getMessageId(), item.getDequeueCount(), item.getInsertionTime(), item.getExpirationTime(),
            content);
    }
}
