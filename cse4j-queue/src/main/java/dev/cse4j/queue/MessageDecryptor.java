package dev.cse4j.queue;

import com.azure.storage.queue.QueueMessageEncoding;
import dev.cse4j.core.ClientSideEncryptionException;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.implementation.Blocking;
import dev.cse4j.core.implementation.EncryptionSettings;
import dev.cse4j.core.implementation.Envelope;
import dev.cse4j.core.implementation.JsonMembers;
import dev.cse4j.core.implementation.RegionLayout;
import reactor.core.publisher.Mono;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a received message text into its plaintext.
 *
 * <p>Recognised forms, whatever this client's message encoding: the raw JSON envelope (Python, the legacy Java SDK,
 * .NET with no encoding) and the envelope base64-encoded as a whole (.NET with Base64 encoding, cse4j with
 * {@link QueueMessageEncoding#BASE64}). Protocol 2.0 is one AES-GCM region with its nonce inline (any nonce: Python's
 * is random); legacy 1.0 is AES-CBC and is read only when unauthenticated 1.0 reads are allowed.
 *
 * <p>A text that is no envelope in either form is plaintext: refused when encryption is required, otherwise returned
 * as it is (base64-decoded under {@link QueueMessageEncoding#BASE64}, as the SDK does).
 */
final class MessageDecryptor {
    private final EncryptionSettings settings;
    private final QueueMessageEncoding encoding;

    MessageDecryptor(EncryptionSettings settings, QueueMessageEncoding encoding) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.encoding = Objects.requireNonNull(encoding, "encoding");
    }

    /**
     * The plaintext of a received message text, waiting for the key encryption key (a synchronous client's call).
     *
     * @param what the message, for error messages, e.g. {@code "Message 'id' of queue 'q'"}
     * @throws ClientSideEncryptionException if the message is encrypted and cannot be decrypted, or is not encrypted
     *     and encryption is required; its message names {@code what}
     * @throws IllegalStateException if the message is not encrypted, the encoding is Base64 and the text is not
     */
    DecryptedContent decrypt(String text, String what) {
        return Blocking.await(decrypt(text, what, Blocking.ALLOWED));
    }

    /**
     * As {@link #decrypt(String, String)}, as one {@link Mono} for either kind of client: the text is parsed when it
     * is subscribed, the content key is unwrapped as {@code blocking} allows ({@link Envelope#open}), and the single
     * region (at most 64 KiB) is verified and decrypted on the thread the key's answer arrives on.
     *
     * @return the content; an error signal with what {@link #decrypt(String, String)} throws
     */
    Mono<DecryptedContent> decrypt(String text, String what, Blocking blocking) {
        return Mono.defer(() -> {
            byte[] decoded = decodeBase64(text);
            Optional<MessageEnvelopeJson.Parsed> envelope = MessageEnvelopeJson.read(text);
            if (envelope.isEmpty() && decoded != null) {
                String inner = strictUtf8(decoded);
                envelope = inner == null ? Optional.empty() : MessageEnvelopeJson.read(inner);
            }
            if (envelope.isPresent()) {
                return open(envelope.get(), what, blocking);
            }
            settings.checkUnencryptedAllowed(what);
            return Mono.just(unencrypted(text, decoded, what));
        }).onErrorMap(ClientSideEncryptionException.class, e -> QueueErrors.withContext(e, what));
    }

    private DecryptedContent unencrypted(String text, byte[] decoded, String what) {
        if (encoding == QueueMessageEncoding.NONE) {
            return new DecryptedContent(text.getBytes(StandardCharsets.UTF_8), null);
        }
        if (decoded == null) {
            throw new IllegalStateException(what + " is not encrypted and its text is not valid Base64, but this "
                + "client's message encoding is BASE64. Read it with QueueMessageEncoding.NONE.");
        }
        return new DecryptedContent(decoded, null);
    }

    private Mono<DecryptedContent> open(MessageEnvelopeJson.Parsed parsed, String what, Blocking blocking) {
        EncryptionData data = parsed.encryptionData();
        if (data.protocol() != EncryptionProtocol.V2_0 && data.protocol() != EncryptionProtocol.V1_0) {
            throw JsonMembers.malformed("EncryptionData.EncryptionAgent.Protocol is " + data.protocol().wireValue()
                + ", which is not a queue message format (queue messages are 2.0, or legacy 1.0)");
        }
        byte[] contents;
        try {
            contents = Base64.getDecoder().decode(parsed.contentsBase64());
        } catch (IllegalArgumentException e) {
            throw JsonMembers.malformed(MessageEnvelopeJson.CONTENTS + " is not valid base64");
        }
        return Envelope.open(settings, data, what, blocking).map(envelope -> {
            try {
                if (data.protocol() == EncryptionProtocol.V1_0) {
                    return new DecryptedContent(envelope.cbc().decrypt(contents, true), data);
                }
                byte[] plaintext = new byte[Math.max(0, contents.length - RegionLayout.OVERHEAD)];
                envelope.singleRegionDecryptor().decryptRegion(0, contents, 0, contents.length, plaintext, 0);
                return new DecryptedContent(plaintext, data);
            } finally {
                envelope.destroy();
            }
        });
    }

    /** The bytes of a standard, padded base64 text, or {@code null} if it is not one. */
    private static byte[] decodeBase64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
