package dev.cse4j.queue;

import com.azure.core.annotation.ServiceClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.rest.PagedFlux;
import com.azure.core.http.rest.Response;
import com.azure.core.http.rest.SimpleResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.core.util.FluxUtil;
import com.azure.storage.queue.QueueAsyncClient;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.QueueServiceVersion;
import com.azure.storage.queue.models.QueueProperties;
import com.azure.storage.queue.models.QueueSignedIdentifier;
import com.azure.storage.queue.models.QueueStorageException;
import com.azure.storage.queue.models.SendMessageResult;
import com.azure.storage.queue.models.UpdateMessageResult;
import com.azure.storage.queue.sas.QueueServiceSasSignatureValues;
import dev.cse4j.core.implementation.AsyncPages;
import dev.cse4j.core.implementation.Blocking;
import dev.cse4j.core.implementation.EncryptionSettings;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The asynchronous twin of {@link EncryptedQueueClient} (Project Reactor, as the Azure SDK's
 * {@link QueueAsyncClient}): a queue whose messages are encrypted on this machine before they are sent and decrypted
 * when they are received or peeked, with the same options, wire form, message encodings, size limit and checks (see
 * {@link EncryptedQueueClient} and docs/formats.md §7). Wraps (never extends) an azure-storage-queue
 * {@link QueueAsyncClient}. Build one with {@link EncryptedQueueClientBuilder#buildEncryptedQueueAsyncClient()}.
 * Thread-safe. Nothing happens until a returned publisher is subscribed.
 *
 * <h2>One implementation</h2>
 * Both clients run the same code for everything but the service call: the same encryptor (fresh content key,
 * envelope, exact size check before anything is sent), the same decryptor (envelope recognition in both encodings,
 * policy, tamper checks, typed failures naming the message) and the same handling of messages that cannot be read.
 * That code is written once, as a {@link Mono}, and takes the client's mode: the synchronous client runs it on its own
 * thread, calling keys synchronously, and then calls the SDK's synchronous {@code QueueClient} (which sends without
 * Reactor, the faster path the SDK moved its synchronous clients to); this client runs it without ever blocking and
 * calls the SDK's {@link QueueAsyncClient}.
 *
 * <h2>Never blocking</h2>
 * No publisher of this client blocks the thread it is subscribed or signalled on (a Reactor parallel worker, the HTTP
 * client's event loop). Asynchronous keys and resolvers ({@code AsyncKeyEncryptionKey}, Key Vault's async client,
 * {@code CachingAsyncKeyEncryptionKeyResolver}) are called asynchronously end to end; synchronous keys and resolvers
 * other than cse4j's local ones on {@link Schedulers#boundedElastic()}; a content key is drawn from the system's
 * random source on {@link Schedulers#boundedElastic()} too (it may read a device). A message's crypto (one AES-GCM
 * region of at most 64 KiB, tens of microseconds) runs on the thread the key's answer arrives on: moving it to another
 * thread would cost more than it does. A decryption error handler set with
 * {@link EncryptedQueueClientBuilder#processMessageDecryptionError} (a synchronous one, which may block) is called on
 * {@link Schedulers#boundedElastic()}; one set with {@link EncryptedQueueClientBuilder#processMessageDecryptionErrorAsync}
 * is subscribed where the failure was signalled.
 *
 * <h2>Reading</h2>
 * A receive or peek returns a {@link PagedFlux} of one page, as the SDK's does. The page is emitted only after every
 * message of it was decrypted (at most 8 at a time, so that calls to a key service overlap); if one cannot be read
 * and no handler is set, the page fails with that message's typed exception
 * ({@link dev.cse4j.core.ClientSideEncryptionException} subtypes, naming the message) and none of its messages is
 * emitted, as the synchronous client throws. Plaintext of a message that did not verify is never emitted.
 */
@ServiceClient(builder = EncryptedQueueClientBuilder.class, isAsync = true)
public final class EncryptedQueueAsyncClient {
    private final QueueAsyncClient wire;
    private final QueueMessageEncoding encoding;
    private final MessageEncryptor encryptor;
    private final MessageReader reader;
    private final EncryptionSettings settings;

    /**
     * @param wire a client of the queue whose message encoding is {@code NONE}: this class encodes itself
     */
    EncryptedQueueAsyncClient(QueueAsyncClient wire, QueueMessageEncoding encoding, EncryptionSettings settings,
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

    /** @return how envelopes are encoded when sent (see {@link EncryptedQueueClient}) */
    public QueueMessageEncoding getMessageEncoding() {
        return encoding;
    }

    /** @return the HTTP pipeline the client sends its requests through */
    public HttpPipeline getHttpPipeline() {
        return wire.getHttpPipeline();
    }

    /** Creates the queue. */
    public Mono<Void> create() {
        return wire.create();
    }

    /** Creates the queue with metadata. */
    public Mono<Response<Void>> createWithResponse(Map<String, String> metadata) {
        return wire.createWithResponse(metadata);
    }

    /** @return whether the queue was created (false: it already existed) */
    public Mono<Boolean> createIfNotExists() {
        return wire.createIfNotExists();
    }

    /** Creates the queue with metadata if it does not exist; the value says whether it was created. */
    public Mono<Response<Boolean>> createIfNotExistsWithResponse(Map<String, String> metadata) {
        return wire.createIfNotExistsWithResponse(metadata);
    }

    /** Deletes the queue and its messages. */
    public Mono<Void> delete() {
        return wire.delete();
    }

    /** Deletes the queue and its messages. */
    public Mono<Response<Void>> deleteWithResponse() {
        return wire.deleteWithResponse();
    }

    /** @return whether the queue was deleted (false: it did not exist) */
    public Mono<Boolean> deleteIfExists() {
        return wire.deleteIfExists();
    }

    /** Deletes the queue if it exists; the value says whether it was deleted. */
    public Mono<Response<Boolean>> deleteIfExistsWithResponse() {
        return wire.deleteIfExistsWithResponse();
    }

    /** @return whether the queue exists */
    public Mono<Boolean> exists() {
        return existsWithResponse().map(Response::getValue);
    }

    /** Whether the queue exists (asked with a get-properties request; 404 means it does not). */
    public Mono<Response<Boolean>> existsWithResponse() {
        return wire.getPropertiesWithResponse().<Response<Boolean>>map(r -> new SimpleResponse<>(r, Boolean.TRUE))
            .onErrorResume(QueueStorageException.class, e -> e.getStatusCode() == 404
                ? Mono.just(QueueErrors.absent(e)) : Mono.error(e));
    }

    /** @return the queue's metadata and approximate message count */
    public Mono<QueueProperties> getProperties() {
        return wire.getProperties();
    }

    /** The queue's metadata and approximate message count. */
    public Mono<Response<QueueProperties>> getPropertiesWithResponse() {
        return wire.getPropertiesWithResponse();
    }

    /** Replaces the queue's metadata (which is not encrypted). */
    public Mono<Void> setMetadata(Map<String, String> metadata) {
        return wire.setMetadata(metadata);
    }

    /** Replaces the queue's metadata (which is not encrypted). */
    public Mono<Response<Void>> setMetadataWithResponse(Map<String, String> metadata) {
        return wire.setMetadataWithResponse(metadata);
    }

    /** @return the queue's stored access policies */
    public PagedFlux<QueueSignedIdentifier> getAccessPolicy() {
        return wire.getAccessPolicy();
    }

    /** Replaces the queue's stored access policies. */
    public Mono<Void> setAccessPolicy(Iterable<QueueSignedIdentifier> permissions) {
        return wire.setAccessPolicy(permissions);
    }

    /** Replaces the queue's stored access policies. */
    public Mono<Response<Void>> setAccessPolicyWithResponse(Iterable<QueueSignedIdentifier> permissions) {
        return wire.setAccessPolicyWithResponse(permissions);
    }

    /** Deletes every message in the queue. */
    public Mono<Void> clearMessages() {
        return wire.clearMessages();
    }

    /** Deletes every message in the queue. */
    public Mono<Response<Void>> clearMessagesWithResponse() {
        return wire.clearMessagesWithResponse();
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
     * @return the new message's id, pop receipt and times; an error signal {@link QueueMessageTooLargeException} if
     *     the encrypted message would exceed 64 KiB (nothing is sent), {@link IllegalStateException} if the client
     *     has no key encryption key, {@link dev.cse4j.core.KeyWrapException} if the key fails to wrap
     */
    public Mono<SendMessageResult> sendMessage(String messageText) {
        return sendMessageWithResponse(messageText, null, null).map(Response::getValue);
    }

    /** Encrypts and sends a message of any bytes (see {@link #sendMessage(String)}). */
    public Mono<SendMessageResult> sendMessage(BinaryData message) {
        return sendMessageWithResponse(message, null, null).map(Response::getValue);
    }

    /**
     * Encrypts and sends a text message (see {@link #sendMessage(String)}).
     *
     * @param visibilityTimeout how long the message stays invisible after it is sent; {@code null}: visible at once
     * @param timeToLive how long the message lives; {@code null}: 7 days; {@code -1 s}: forever
     */
    public Mono<Response<SendMessageResult>> sendMessageWithResponse(String messageText, Duration visibilityTimeout,
        Duration timeToLive) {
        Objects.requireNonNull(messageText, "messageText");
        return sendEncrypted(Mono.fromSupplier(() -> messageText.getBytes(StandardCharsets.UTF_8)),
            visibilityTimeout, timeToLive);
    }

    /**
     * Encrypts and sends a message of any bytes (see {@link #sendMessage(String)}); its content is read without
     * blocking.
     *
     * @param visibilityTimeout how long the message stays invisible after it is sent; {@code null}: visible at once
     * @param timeToLive how long the message lives; {@code null}: 7 days; {@code -1 s}: forever
     */
    public Mono<Response<SendMessageResult>> sendMessageWithResponse(BinaryData message, Duration visibilityTimeout,
        Duration timeToLive) {
        Objects.requireNonNull(message, "message");
        return sendEncrypted(FluxUtil.collectBytesInByteBufferStream(message.toFluxByteBuffer()), visibilityTimeout,
            timeToLive);
    }

    private Mono<Response<SendMessageResult>> sendEncrypted(Mono<byte[]> plaintext, Duration visibilityTimeout,
        Duration timeToLive) {
        return plaintext.flatMap(bytes -> encryptor.encrypt(bytes, Blocking.OFFLOADED))
            .flatMap(text -> wire.sendMessageWithResponse(text, visibilityTimeout, timeToLive));
    }

    /**
     * Receives the next message, if any, and decrypts it.
     *
     * @return the message; empty if the queue has no visible message (or its only message failed and a decryption
     *     error handler took it)
     */
    public Mono<DecryptedQueueMessageItem> receiveMessage() {
        return receiveMessages(1).next();
    }

    /**
     * Receives up to {@code maxMessages} messages and decrypts them.
     *
     * @param maxMessages 1 to 32; {@code null}: 1
     */
    public PagedFlux<DecryptedQueueMessageItem> receiveMessages(Integer maxMessages) {
        return receiveMessages(maxMessages, null);
    }

    /**
     * Receives up to {@code maxMessages} messages, making them invisible for {@code visibilityTimeout}, and
     * decrypts them.
     *
     * @param maxMessages 1 to 32; {@code null}: 1
     * @param visibilityTimeout {@code null}: 30 seconds
     * @return the decrypted messages, in the order the service returned them, as one page emitted when all are
     *     decrypted; an error signal ({@link dev.cse4j.core.ClientSideEncryptionException} subtypes) if a message
     *     cannot be decrypted or is refused by policy, and no decryption error handler is set
     */
    public PagedFlux<DecryptedQueueMessageItem> receiveMessages(Integer maxMessages, Duration visibilityTimeout) {
        return AsyncPages.map(wire.receiveMessages(maxMessages, visibilityTimeout), reader::received);
    }

    /**
     * Peeks at the next message, if any, and decrypts it; its visibility does not change.
     *
     * @return the message; empty if the queue has no visible message
     */
    public Mono<DecryptedPeekedMessageItem> peekMessage() {
        return peekMessages(1).next();
    }

    /**
     * Peeks at up to {@code maxMessages} messages and decrypts them (see {@link #receiveMessages(Integer, Duration)}
     * for how they are emitted and how a failure is signalled).
     *
     * @param maxMessages 1 to 32; {@code null}: 1
     */
    public PagedFlux<DecryptedPeekedMessageItem> peekMessages(Integer maxMessages) {
        return AsyncPages.map(wire.peekMessages(maxMessages), reader::peeked);
    }

    /**
     * Replaces a received message's content (encrypted again, under a fresh content key) and/or its visibility.
     *
     * @param messageText the new text, or {@code null} to change only the visibility timeout
     * @param visibilityTimeout how long the message stays invisible from now
     * @return the new pop receipt and next visible time; an error signal {@link QueueMessageTooLargeException} if the
     *     encrypted message would exceed 64 KiB (nothing is sent)
     */
    public Mono<UpdateMessageResult> updateMessage(String messageId, String popReceipt, String messageText,
        Duration visibilityTimeout) {
        return updateMessageWithResponse(messageId, popReceipt, messageText, visibilityTimeout).map(Response::getValue);
    }

    /** As {@link #updateMessage(String, String, String, Duration)}, with the service's response. */
    public Mono<Response<UpdateMessageResult>> updateMessageWithResponse(String messageId, String popReceipt,
        String messageText, Duration visibilityTimeout) {
        if (messageText == null) {
            return wire.updateMessageWithResponse(messageId, popReceipt, null, visibilityTimeout);
        }
        return encryptor.encrypt(messageText.getBytes(StandardCharsets.UTF_8), Blocking.OFFLOADED)
            .flatMap(text -> wire.updateMessageWithResponse(messageId, popReceipt, text, visibilityTimeout));
    }

    /** Deletes a received message. */
    public Mono<Void> deleteMessage(String messageId, String popReceipt) {
        return wire.deleteMessage(messageId, popReceipt);
    }

    /** Deletes a received message. */
    public Mono<Response<Void>> deleteMessageWithResponse(String messageId, String popReceipt) {
        return wire.deleteMessageWithResponse(messageId, popReceipt);
    }

    @Override
    public String toString() {
        return "EncryptedQueueAsyncClient[queue=" + getQueueName() + ", encoding=" + encoding + ", " + settings + "]";
    }
}
