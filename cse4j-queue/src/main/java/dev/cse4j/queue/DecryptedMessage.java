package dev.cse4j.queue;

import com.azure.core.util.BinaryData;
import dev.cse4j.core.EncryptionData;

import java.time.OffsetDateTime;

/**
 * A message as read through an {@link EncryptedQueueClient}: its plaintext with the identity and times the service
 * returned. Immutable; {@link #toString()} never shows the plaintext.
 *
 * <p>{@link #getBody()} is the exact plaintext bytes; {@link #getMessageText()} is their UTF-8 decoding.
 * {@link #getEncryptionData()} tells how the message was stored: its protocol, key id and writer, or {@code null}
 * for a message that was not encrypted (returned only by a client that does not require encryption).
 */
public abstract class DecryptedMessage {
    private final String messageId;
    private final long dequeueCount;
    private final OffsetDateTime insertionTime;
    private final OffsetDateTime expirationTime;
    private final DecryptedContent content;

    DecryptedMessage(String messageId, long dequeueCount, OffsetDateTime insertionTime,
        OffsetDateTime expirationTime, DecryptedContent content) {
        this.messageId = messageId;
        this.dequeueCount = dequeueCount;
        this.insertionTime = insertionTime;
        this.expirationTime = expirationTime;
        this.content = content;
    }

    /** @return the message's id */
    public final String getMessageId() {
        return messageId;
    }

    /** @return how many times the message has been received (a received message counts this time) */
    public final long getDequeueCount() {
        return dequeueCount;
    }

    /** @return when the message was added to the queue */
    public final OffsetDateTime getInsertionTime() {
        return insertionTime;
    }

    /** @return when the message expires */
    public final OffsetDateTime getExpirationTime() {
        return expirationTime;
    }

    /** @return the plaintext bytes */
    public final BinaryData getBody() {
        return content.body();
    }

    /** @return the plaintext decoded as UTF-8 */
    public final String getMessageText() {
        return content.text();
    }

    /** @return whether the message was stored encrypted */
    public final boolean isEncrypted() {
        return content.encryptionData() != null;
    }

    /** @return the stored encryption metadata (protocol, key id, writer), or {@code null} if it was not encrypted */
    public final EncryptionData getEncryptionData() {
        return content.encryptionData();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[id=" + messageId + ", dequeueCount=" + dequeueCount + ", "
            + content.describe() + "]";
    }
}
