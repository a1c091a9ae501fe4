package dev.cse4j.queue;

import com.azure.storage.queue.QueueMessageEncoding;

/**
 * A message was refused before it was sent because, encrypted and encoded, it would exceed the queue service's limit
 * of 64 KiB (65536 bytes of UTF-8) per message text. Nothing was sent.
 *
 * <p>An {@link IllegalArgumentException}, as for any argument the caller can check and correct (the legacy Java SDK
 * refuses an oversize encrypted message the same way): it is not an encryption failure. {@link #getMaxPlaintextBytes()}
 * is exact for this client's key and message encoding: a plaintext of that many bytes fits, one byte more does not.
 */
public final class QueueMessageTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final long plaintextBytes;
    private final long messageBytes;
    private final long maxPlaintextBytes;

    QueueMessageTooLargeException(long plaintextBytes, long messageBytes, long maxPlaintextBytes,
        QueueMessageEncoding encoding) {
        super(describe(plaintextBytes, messageBytes, maxPlaintextBytes, encoding));
        this.plaintextBytes = plaintextBytes;
        this.messageBytes = messageBytes;
        this.maxPlaintextBytes = maxPlaintextBytes;
    }

    /** @return the plaintext's length in bytes (UTF-8 bytes of a text message) */
    public long getPlaintextBytes() {
        return plaintextBytes;
    }

    /** @return the length the encrypted, encoded message text would have had, in UTF-8 bytes */
    public long getMessageBytes() {
        return messageBytes;
    }

    /** @return the service's limit on a message text: 65536 bytes */
    public long getMaxMessageBytes() {
        return MessageSize.MAX_MESSAGE_BYTES;
    }

    /**
     * @return the largest plaintext, in bytes, that fits with this client's key and message encoding; {@code -1} if
     *     not even an empty message fits (the key id is too long)
     */
    public long getMaxPlaintextBytes() {
        return maxPlaintextBytes;
    }

    private static String describe(long plaintextBytes, long messageBytes, long max, QueueMessageEncoding encoding) {
        String encoded = encoding == QueueMessageEncoding.BASE64 ? "encrypted and Base64-encoded" : "encrypted";
        String head = "The message is too large: " + plaintextBytes + " bytes of plaintext become a " + messageBytes
            + "-byte message text when " + encoded + ", and the queue service accepts at most "
            + MessageSize.MAX_MESSAGE_BYTES + " bytes. Nothing was sent. ";
        if (max < 0) {
            return head + "Not even an empty message fits: the encryption metadata alone is too large. Use a key "
                + "with a shorter key id.";
        }
        return head + "The largest plaintext that fits is " + max + " bytes (as UTF-8: " + max + " ASCII characters, "
            + "fewer when characters take 2 to 4 bytes)"
            + (encoding == QueueMessageEncoding.BASE64 ? "; with QueueMessageEncoding.NONE more fits" : "")
            + ". Send larger payloads as an encrypted blob and queue a reference to it.";
    }
}
