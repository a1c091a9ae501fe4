package dev.cse4j.queue;

import com.azure.storage.queue.QueueMessageEncoding;
import dev.cse4j.core.EncryptedRegionInfo;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.implementation.Blocking;
import dev.cse4j.core.implementation.EncryptionSettings;
import dev.cse4j.core.implementation.Envelope;
import dev.cse4j.core.implementation.RegionLayout;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Turns a plaintext into the message text to send: protocol 2.0, one GCM region under a fresh content key, in the
 * JSON envelope, base64-encoded as a whole under {@link QueueMessageEncoding#BASE64} (as .NET does).
 *
 * <p>The region's nonce is Java's region-0 nonce (twelve zero bytes); it is safe because the content key is fresh
 * for every message, and every SDK reads the nonce from the message.
 */
final class MessageEncryptor {
    private final EncryptionSettings settings;
    private final QueueMessageEncoding encoding;

    MessageEncryptor(EncryptionSettings settings, QueueMessageEncoding encoding) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.encoding = Objects.requireNonNull(encoding, "encoding");
    }

    /**
     * The message text for {@code plaintext}, waiting for the key encryption key (a synchronous client's call).
     *
     * @throws QueueMessageTooLargeException if the message text would exceed the service limit
     * @throws IllegalStateException if no key encryption key is configured
     * @throws dev.cse4j.core.KeyWrapException if the key fails to wrap the content key
     */
    String encrypt(byte[] plaintext) {
        return Blocking.await(encrypt(plaintext, Blocking.ALLOWED));
    }

    /**
     * The message text for {@code plaintext}, as one {@link Mono} for either kind of client: the content key is made
     * and wrapped as {@code blocking} allows ({@link Envelope#seal}); the rest is a single AES-GCM region of at most
     * 64 KiB and the envelope's JSON, done on the thread the key's answer arrives on (tens of microseconds: cheaper
     * than moving to another thread).
     *
     * @return the text; an error signal with what {@link #encrypt(byte[])} throws
     */
    Mono<String> encrypt(byte[] plaintext, Blocking blocking) {
        Objects.requireNonNull(plaintext, "plaintext");
        return Envelope.seal(settings, EncryptionProtocol.V2_0, EncryptedRegionInfo.V2_0_DATA_LENGTH, null, blocking)
            .map(envelope -> {
                try {
                    return text(plaintext, envelope);
                } finally {
                    envelope.destroy();
                }
            });
    }

    private String text(byte[] plaintext, Envelope envelope) {
        long fixed = utf8Length(MessageEnvelopeJson.write("", envelope.data()));
        long predicted = MessageSize.sentLength(fixed, plaintext.length, encoding);
        if (predicted > MessageSize.MAX_MESSAGE_BYTES) {
            throw tooLarge(plaintext.length, predicted, fixed);
        }
        byte[] region = new byte[plaintext.length + RegionLayout.OVERHEAD];
        envelope.regionEncryptor().encryptRegion(0, plaintext, 0, plaintext.length, region, 0);
        String json = MessageEnvelopeJson.write(Base64.getEncoder().encodeToString(region), envelope.data());
        String text = encoding == QueueMessageEncoding.BASE64
            ? Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)) : json;
        long sent = utf8Length(text);
        if (sent > MessageSize.MAX_MESSAGE_BYTES) {
            throw tooLarge(plaintext.length, sent, fixed);
        }
        return text;
    }

    private QueueMessageTooLargeException tooLarge(long plaintextBytes, long sent, long fixed) {
        return new QueueMessageTooLargeException(plaintextBytes, sent, MessageSize.maxPlaintextBytes(fixed, encoding),
            encoding);
    }

    private static long utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
