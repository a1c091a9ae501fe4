package dev.cse4j.queue;

import com.azure.core.http.HttpPipeline;
import com.azure.core.http.rest.PagedIterable;
import com.azure.core.http.rest.Response;
import com.azure.core.http.rest.SimpleResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.QueueServiceVersion;
import com.azure.storage.queue.models.QueueProperties;
import com.azure.storage.queue.models.QueueSignedIdentifier;
import com.azure.storage.queue.models.QueueStorageException;
import com.azure.storage.queue.models.SendMessageResult;
import com.azure.storage.queue.models.UpdateMessageResult;
import com.azure.storage.queue.sas.QueueServiceSasSignatureValues;
import dev.cse4j.core.implementation.Blocking;
import dev.cse4j.core.implementation.EncryptionSettings;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A queue whose messages are encrypted on this machine before they are sent, and decrypted when they are received
 * or peeked: client-side envelope encryption compatible with Microsoft's .NET and Python queue encryption (protocol
 * 2.0) and able to read the legacy Java and .NET SDKs' protocol 1.0 messages on opt-in. Build one with
 * {@link EncryptedQueueClientBuilder}. Thread-safe.
 *
 * <h2>Wire form</h2>
 * Every message sent is, as its message text:
 * <pre>{@code
 * {"EncryptedMessageContents":"<base64(nonce(12) ‖ AES-256-GCM ciphertext ‖ tag(16))>",
 *  "EncryptionData":{"WrappedContentKey":{"KeyId":"…","EncryptedKey":"<base64>","Algorithm":"A256KW"},
 *                    "EncryptionAgent":{"Protocol":"2.0","EncryptionAlgorithm":"AES_GCM_256"},
 *                    "EncryptedRegionInfo":{"DataLength":4194304,"NonceLength":12},
 *                    "KeyWrappingMetadata":{"EncryptionLibrary":"cse4j <version>"}}}
 * }</pre>
 * with a fresh 256-bit content key per message (per update too), wrapped with the key encryption key together with
 * the protocol version ({@code "2.0"} and five zero bytes, then the key). The plaintext is the message's bytes (the
 * UTF-8 of a text message), never encoded first.
 *
 * <h2>Message encoding</h2>
 * <ul>
 *   <li>{@link QueueMessageEncoding#NONE} (the default): the JSON envelope is the message text. Readable by every
 *       SDK with 2.0 queue encryption: Python (with no encode policy), .NET (with no message encoding), and this
 *       client (the legacy Java and .NET SDKs read only 1.0). Use it for messages other SDKs must read.</li>
 *   <li>{@link QueueMessageEncoding#BASE64}: the whole envelope is base64-encoded, as .NET's {@code QueueClient}
 *       with {@code QueueMessageEncoding.Base64} writes and reads it. Python cannot read this form (it applies its
 *       encode policy to the plaintext instead), nor can the legacy Java SDK.</li>
 * </ul>
 * Reading accepts both forms whatever the encoding: raw JSON envelopes (Python, legacy Java, .NET without encoding)
 * and base64-encoded ones (.NET with Base64 encoding). The decrypted plaintext is returned as it was encrypted: a
 * Python writer with {@code TextBase64EncodePolicy} encrypts the base64 of its text, so that is what comes back
 * (decode it yourself). Under {@link QueueMessageEncoding#BASE64}, a message that is not encrypted is base64-decoded
 * as the SDK does (the legacy Java SDK base64-encodes its unencrypted messages).
 *
 * <h2>Size</h2>
 * The service accepts 64 KiB (65536 UTF-8 bytes) of message text. Encryption adds 28 bytes, base64 a third, and the
 * envelope a few hundred bytes (more for an RSA key or a long key id); Base64 encoding a further third. Each send
 * computes the exact size of what it would send and refuses an oversize message with a
 * {@link QueueMessageTooLargeException} naming the largest plaintext that fits, without calling the service. For
 * example (agent {@code "cse4j 0.1.0-SNAPSHOT"}): an A256KW key with id {@code local:kek1}, 48824 bytes with no
 * encoding and 36536 with Base64; an RSA-3072 key with a 79-character Key Vault key id, 48431 and 36143.
 *
 * <h2>Reading</h2>
 * Received and peeked messages come back decrypted, with their ids, pop receipts, dequeue counts and times intact.
 * Protocol 2.0 messages are authenticated; any nonce is accepted (Python's are random, .NET's a counter). Legacy 1.0
 * messages are unauthenticated and are decrypted only with
 * {@link dev.cse4j.core.ClientSideEncryptionOptions.Builder#allowUnauthenticatedV1Reads(boolean)}. A message that is not an encryption
 * envelope is refused while encryption is required (the default) and otherwise returned as it is; an envelope that
 * is damaged is a {@link dev.cse4j.core.MalformedEncryptionDataException}, never plaintext.
 *
 * <p>All messages of one receive or peek are fetched, then decrypted, before the call returns. If one fails, the
 * call throws (naming the message) unless a handler was set with
 * {@link EncryptedQueueClientBuilder#processMessageDecryptionError}; the other messages of a failed receive stay
 * invisible until their visibility timeout ends.
 */
public final class EncryptedQueueClient {
    private final QueueClient wire;
    private final QueueMessageEncoding encoding;
    private final MessageEncryptor encryptor;
    private final MessageReader reader;
    private final EncryptionSettings settings;

    /**
     * @param wire a client of the queue whose message encoding is {@code NONE}: this class encodes itself
     */
    EncryptedQueueClient(QueueClient wire, QueueMessageEncoding encoding, EncryptionSettings settings,
        DecryptionErrorHandler errorHandler) {
        this.wire = wire;
        this.encoding = encoding;
        this.settings = settings;
        this.encryptor = new MessageEncryptor(settings, encoding);
        this.reader = MessageReader.of(this, new MessageDecryptor(settings, encoding), errorHandler);
    }

    // ---- queue properties and management, passed through ----

    /** @return the queue's name */
    public String getQueueName() {
        return wire.getQueueName();
    }

    /** @return the queue's URL */
    public String getQueueUrl() {
        return wire.getQueueUrl();
    }

    /** @return the storage account's name */
    public String getAccountName() {
        return wire.getAccountName();
    }

    /** @return the service API version in use */
    public QueueServiceVersion getServiceVersion() {
        return wire.getServiceVersion();
    }

    /** @return how envelopes are encoded when sent (see the class description) */
    public QueueMessageEncoding getMessageEncoding() {
        return encoding;
    }

    /** @return the HTTP pipeline the client sends its requests through */
    public HttpPipeline getHttpPipeline() {
        return wire.getHttpPipeline();
    }

    /** Creates the queue. */
    public void create() {
        wire.create();
    }

    /** Creates the queue with metadata. */
    public Response<Void> createWithResponse(Map<String, String> metadata, Duration timeout, Context context) {
        return wire.createWithResponse(metadata, timeout, context);
    }

    /** @return whether the queue was created (false: it already existed) */
    public boolean createIfNotExists() {
        return wire.createIfNotExists();
    }

    /** Creates the queue with metadata if it does not exist; the value says whether it was created. */
    public Response<Boolean> createIfNotExistsWithResponse(Map<String, String> metadata, Duration timeout,
        Context context) {
        return wire.createIfNotExistsWithResponse(metadata, timeout, context);
    }

    /** Deletes the queue and its messages. */
    public void delete() {
        wire.delete();
    }

    /** Deletes the queue and its messages. */
    public Response<Void> deleteWithResponse(Duration timeout, Context context) {
        return wire.deleteWithResponse(timeout, context);
    }

    /** @return whether the queue was deleted (false: it did not exist) */
    public boolean deleteIfExists() {
        return wire.deleteIfExists();
    }

    /** Deletes the queue if it exists; the value says whether it was deleted. */
    public Response<Boolean> deleteIfExistsWithResponse(Duration timeout, Context context) {
        return wire.deleteIfExistsWithResponse(timeout, context);
    }

    /** @return whether the queue exists */
    public boolean exists() {
        return existsWithResponse(null, Context.NONE).getValue();
    }

    /** Whether the queue exists (asked with a get-properties request; 404 means it does not). */
    public Response<Boolean> existsWithResponse(Duration timeout, Context context) {
        try {
            return new SimpleResponse<>(wire.getPropertiesWithResponse(timeout, context), Boolean.TRUE);
        } catch (QueueStorageException e) {
            if (e.getStatusCode() == 404) {
                return QueueErrors.absent(e);
            }
            throw e;
        }
    }

    /** @return the queue's metadata and approximate message count */
    public QueueProperties getProperties() {
        return wire.getProperties();
    }

    /** The queue's metadata and approximate message count. */
    public Response<QueueProperties> getPropertiesWithResponse(Duration timeout, Context context) {
        return wire.getPropertiesWithResponse(timeout, context);
    }

    /** Replaces the queue's metadata (which is not encrypted). */
    public void setMetadata(Map<String, String> metadata) {
        wire.setMetadata(metadata);
    }

    /** Replaces the queue's metadata (which is not encrypted). */
    public Response<Void> setMetadataWithResponse(Map<String, String> metadata, Duration timeout, Context context) {
        return wire.setMetadataWithResponse(metadata, timeout, context);
    }

    /** @return the queue's stored access policies */
    public PagedIterable<QueueSignedIdentifier> getAccessPolicy() {
        return wire.getAccessPolicy();
    }

    /** Replaces the queue's stored access policies. */
    public void setAccessPolicy(List<QueueSignedIdentifier> permissions) {
        wire.setAccessPolicy(permissions);
    }

    /** Replaces the queue's stored access policies. */
    public Response<Void> setAccessPolicyWithResponse(List<QueueSignedIdentifier> permissions, Duration timeout,
        Context context) {
        return wire.setAccessPolicyWithResponse(permissions, timeout, context);
    }

    /** Deletes every message in the queue. */
    public void clearMessages() {
        wire.clearMessages();
    }

    /** Deletes every message in the queue. */
    public Response<Void> clearMessagesWithResponse(Duration timeout, Context context) {
        return wire.clearMessagesWithResponse(timeout, context);
    }

    /** @return a service SAS for this queue, signed with the client's shared key credential */
    public String generateSas(QueueServiceSasSignatureValues values) {
        return wire.generateSas(values);
    }

    /** @return a service SAS for this queue, signed with the client's shared key credential */
    public String generateSas(QueueServiceSasSignatureValues values, Context context) {
        return wire.generateSas(values, context);
    }

    // ---- messages ----

    /**
     * Encrypts and sends a text message (its UTF-8 bytes are the plaintext).
     *
     * @return the new message's id, pop receipt and times
     * @throws QueueMessageTooLargeException if the encrypted message would exceed 64 KiB; nothing is sent
     * @throws IllegalStateException if the client has no key encryption key (it was built to read only)
     * @throws dev.cse4j.core.KeyWrapException if the key encryption key fails to wrap the content key
     */
    public SendMessageResult sendMessage(String messageText) {
        return sendMessageWithResponse(messageText, null, null, null, Context.NONE).getValue();
    }

    /**
     * Encrypts and sends a message of any bytes.
     *
     * @return the new message's id, pop receipt and times
     * @throws QueueMessageTooLargeException if the encrypted message would exceed 64 KiB; nothing is sent
     */
    public SendMessageResult sendMessage(BinaryData message) {
        return sendMessageWithResponse(message, null, null, null, Context.NONE).getValue();
    }

    /**
     * Encrypts and sends a text message (its UTF-8 bytes are the plaintext).
     *
     * @param visibilityTimeout how long the message stays invisible after it is sent; {@code null}: visible at once
     * @param timeToLive how long the message lives; {@code null}: 7 days; {@code -1 s}: forever
     * @throws QueueMessageTooLargeException if the encrypted message would exceed 64 KiB; nothing is sent
     */
    public Response<SendMessageResult> sendMessageWithResponse(String messageText, Duration visibilityTimeout,
        Duration timeToLive, Duration timeout, Context context) {
        Objects.requireNonNull(messageText, "messageText");
        return sendEncrypted(messageText.getBytes(StandardCharsets.UTF_8), visibilityTimeout, timeToLive, timeout,
            context);
    }

    /**
     * Encrypts and sends a message of any bytes.
     *
     * @param visibilityTimeout how long the message stays invisible after it is sent; {@code null}: visible at once
     * @param timeToLive how long the message lives; {@code null}: 7 days; {@code -1 s}: forever
     * @throws QueueMessageTooLargeException if the encrypted message would exceed 64 KiB; nothing is sent
     */
    public Response<SendMessageResult> sendMessageWithResponse(BinaryData message, Duration visibilityTimeout,
        Duration timeToLive, Duration timeout, Context context) {
        Objects.requireNonNull(message, "message");
        return sendEncrypted(message.toBytes(), visibilityTimeout, timeToLive, timeout, context);
    }

    private Response<SendMessageResult> sendEncrypted(byte[] plaintext, Duration visibilityTimeout,
        Duration timeToLive, Duration timeout, Context context) {
        String text = encryptor.encrypt(plaintext);
        return wire.sendMessageWithResponse(text, visibilityTimeout, timeToLive, timeout, context);
    }

    /**
     * Receives the next message, if any, and decrypts it.
     *
     * @return the message, or {@code null} if the queue has no visible message (or its only message failed and a
     *     decryption error handler took it)
     */
    public DecryptedQueueMessageItem receiveMessage() {
        List<DecryptedQueueMessageItem> messages = receiveMessages(1, null, null, Context.NONE);
        return messages.isEmpty() ? null : messages.get(0);
    }

    /**
     * Receives up to {@code maxMessages} messages and decrypts them.
     *
     * @param maxMessages 1 to 32; {@code null}: 1
     */
    public List<DecryptedQueueMessageItem> receiveMessages(Integer maxMessages) {
        return receiveMessages(maxMessages, null, null, Context.NONE);
    }

    /**
     * Receives up to {@code maxMessages} messages, making them invisible for {@code visibilityTimeout}, and
     * decrypts them.
     *
     * @param maxMessages 1 to 32; {@code null}: 1
     * @param visibilityTimeout {@code null}: 30 seconds
     * @return the decrypted messages, in the order the service returned them
     * @throws dev.cse4j.core.ClientSideEncryptionException if a message cannot be decrypted or is refused by policy,
     *     and no decryption error handler is set
     */
    public List<DecryptedQueueMessageItem> receiveMessages(Integer maxMessages, Duration visibilityTimeout,
        Duration timeout, Context context) {
        return readAll(wire.receiveMessages(maxMessages, visibilityTimeout, timeout, context), reader::received);
    }

    /**
     * Peeks at the next message, if any, and decrypts it; its visibility does not change.
     *
     * @return the message, or {@code null} if the queue has no visible message
     */
    public DecryptedPeekedMessageItem peekMessage() {
        List<DecryptedPeekedMessageItem> messages = peekMessages(1, null, Context.NONE);
        return messages.isEmpty() ? null : messages.get(0);
    }

    /**
     * Peeks at up to {@code maxMessages} messages and decrypts them.
     *
     * @param maxMessages 1 to 32; {@code null}: 1
     * @throws dev.cse4j.core.ClientSideEncryptionException if a message cannot be decrypted or is refused by policy,
     *     and no decryption error handler is set
     */
    public List<DecryptedPeekedMessageItem> peekMessages(Integer maxMessages, Duration timeout, Context context) {
        return readAll(wire.peekMessages(maxMessages, timeout, context), reader::peeked);
    }

    /**
     * Replaces a received message's content (encrypted again, under a fresh content key) and/or its visibility.
     *
     * @param messageText the new text, or {@code null} to change only the visibility timeout
     * @param visibilityTimeout how long the message stays invisible from now
     * @return the new pop receipt and next visible time
     * @throws QueueMessageTooLargeException if the encrypted message would exceed 64 KiB; nothing is sent
     */
    public UpdateMessageResult updateMessage(String messageId, String popReceipt, String messageText,
        Duration visibilityTimeout) {
        return updateMessageWithResponse(messageId, popReceipt, messageText, visibilityTimeout, null, Context.NONE)
            .getValue();
    }

    /**
     * Replaces a received message's content (encrypted again, under a fresh content key) and/or its visibility.
     *
     * @param messageText the new text, or {@code null} to change only the visibility timeout
     * @throws QueueMessageTooLargeException if the encrypted message would exceed 64 KiB; nothing is sent
     */
    public Response<UpdateMessageResult> updateMessageWithResponse(String messageId, String popReceipt,
        String messageText, Duration visibilityTimeout, Duration timeout, Context context) {
        String text = messageText == null ? null : encryptor.encrypt(messageText.getBytes(StandardCharsets.UTF_8));
        return wire.updateMessageWithResponse(messageId, popReceipt, text, visibilityTimeout, timeout, context);
    }

    /** Deletes a received message. */
    public void deleteMessage(String messageId, String popReceipt) {
        wire.deleteMessage(messageId, popReceipt);
    }

    /** Deletes a received message. */
    public Response<Void> deleteMessageWithResponse(String messageId, String popReceipt, Duration timeout,
        Context context) {
        return wire.deleteMessageWithResponse(messageId, popReceipt, timeout, context);
    }

    /**
     * Fetches every item first (the service call), then decrypts each; items whose decryption failed and went to
     * the error handler are left out.
     */
    private static <T, R> List<R> readAll(Iterable<T> fetched, Function<T, Mono<R>> read) {
        List<T> items = new ArrayList<>();
        fetched.forEach(items::add);
        List<R> result = new ArrayList<>(items.size());
        for (T item : items) {
            R message = Blocking.await(read.apply(item));
            if (message != null) {
                result.add(message);
            }
        }
        return Collections.unmodifiableList(result);
    }

    @Override
    public String toString() {
        return "EncryptedQueueClient[queue=" + getQueueName() + ", encoding=" + encoding + ", " + settings + "]";
    }
}
