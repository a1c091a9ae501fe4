package dev.cse4j.queue;

import com.azure.storage.queue.QueueMessageEncoding;
import dev.cse4j.core.implementation.RegionLayout;

/**
 * Length arithmetic of an encrypted queue message, and nothing else (docs/formats.md §7.5).
 *
 * <p>The service accepts a message text of at most 64 KiB (65536 bytes of UTF-8). An encrypted message's text is
 * the envelope {@code {"EncryptedMessageContents":"<base64(nonce ‖ ciphertext ‖ tag)>","EncryptionData":{…}}},
 * base64-encoded once more as a whole under {@link QueueMessageEncoding#BASE64}. For {@code n} plaintext bytes:
 * <pre>
 *   contents = 4·⌈(n + 28) / 3⌉                       (base64 characters)
 *   envelope = F + contents                           (F: UTF-8 bytes of the envelope with empty contents)
 *   sent     = envelope (NONE), or 4·⌈envelope / 3⌉ (BASE64)
 * </pre>
 * {@code F} depends on the key id, the key-wrap algorithm, the wrapped key's length (48 bytes for A256KW, the
 * modulus length for RSA) and the agent string, so it is measured on the real envelope of each message.
 */
final class MessageSize {
    /** The service's limit on a message text, in UTF-8 bytes. */
    static final int MAX_MESSAGE_BYTES = 64 * 1024;

    private MessageSize() {
    }

    static long base64Length(long bytes) {
        return 4 * ((bytes + 2) / 3);
    }

    /** UTF-8 bytes of the message text sent for {@code plaintextBytes} with an envelope of fixed part {@code fixed}. */
    static long sentLength(long fixed, long plaintextBytes, QueueMessageEncoding encoding) {
        long envelope = fixed + base64Length(plaintextBytes + RegionLayout.OVERHEAD);
        return encoding == QueueMessageEncoding.BASE64 ? base64Length(envelope) : envelope;
    }

    /**
     * The largest plaintext, in bytes, whose message fits the service limit, or {@code -1} if not even an empty one
     * fits (an envelope this large means an unusually long key id).
     */
    static long maxPlaintextBytes(long fixed, QueueMessageEncoding encoding) {
        // BASE64: 4·⌈e/3⌉ ≤ 65536 ⇔ e ≤ 49152, so both encodings reduce to a limit on the envelope.
        long envelopeLimit = encoding == QueueMessageEncoding.BASE64 ? MAX_MESSAGE_BYTES / 4 * 3 : MAX_MESSAGE_BYTES;
        // F + 4·⌈(n+28)/3⌉ ≤ L ⇔ ⌈(n+28)/3⌉ ≤ ⌊(L−F)/4⌋ =: k ⇔ n ≤ 3k − 28
        long available = envelopeLimit - fixed;
        if (available < 0) {
            return -1;
        }
        long max = 3 * (available / 4) - RegionLayout.OVERHEAD;
        return max < 0 ? -1 : max;
    }
}
