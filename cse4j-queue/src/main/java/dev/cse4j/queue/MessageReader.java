package dev.cse4j.queue;

import com.azure.core.util.BinaryData;
import com.azure.storage.queue.models.PeekedMessageItem;
import com.azure.storage.queue.models.QueueMessageItem;
import dev.cse4j.core.ClientSideEncryptionException;
import dev.cse4j.core.implementation.Blocking;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;

/**
 * Reads the messages that one client receives or peeks, the same way for both kinds of client: decrypts each
 * ({@link MessageDecryptor}) and, if it cannot be read, hands it to the decryption error handler (the message is then
 * left out) or fails. The client's {@link Blocking} mode says where the key and a synchronous handler may block.
 */
final class MessageReader {
    private final MessageDecryptor decryptor;
    private final DecryptionErrorHandler handler;
    private final String queueName;
    private final Blocking blocking;
    private final EncryptedQueueClient client;
    private final EncryptedQueueAsyncClient asyncClient;

    private MessageReader(MessageDecryptor decryptor, DecryptionErrorHandler handler, String queueName,
        Blocking blocking, EncryptedQueueClient client, EncryptedQueueAsyncClient asyncClient) {
        this.decryptor = decryptor;
        this.handler = handler;
        this.queueName = queueName;
        this.blocking = blocking;
        this.client = client;
        this.asyncClient = asyncClient;
    }

    /** The reader of a synchronous client, which waits for what it returns. */
    static MessageReader of(EncryptedQueueClient client, MessageDecryptor decryptor,
        DecryptionErrorHandler handler) {
        return new MessageReader(decryptor, handler, client.getQueueName(), Blocking.ALLOWED, client, null);
    }

    /** The reader of an asynchronous client: nothing it returns blocks the thread it runs on. */
    static MessageReader of(EncryptedQueueAsyncClient client, MessageDecryptor decryptor,
        DecryptionErrorHandler handler) {
        return new MessageReader(decryptor, handler, client.getQueueName(), Blocking.OFFLOADED, null, client);
    }

    /** @return the message decrypted; empty if it cannot be read and the handler took it */
    Mono<DecryptedQueueMessageItem> received(QueueMessageItem item) {
        return read(item.getBody(), item.getMessageId(), item.getPopReceipt(), item.getDequeueCount(),
            item.getInsertionTime()).map(content -> new DecryptedQueueMessageItem(item, content));
    }

    /** @return the message decrypted; empty if it cannot be read and the handler took it */
    Mono<DecryptedPeekedMessageItem> peeked(PeekedMessageItem item) {
        return read(item.getBody(), item.getMessageId(), null, item.getDequeueCount(), item.getInsertionTime())
            .map(content -> new DecryptedPeekedMessageItem(item, content));
    }

    private Mono<DecryptedContent> read(BinaryData body, String messageId, String popReceipt, long dequeueCount,
        OffsetDateTime insertionTime) {
        String text = body == null ? "" : body.toString();
        return decryptor.decrypt(text, "Message '" + messageId + "' of queue '" + queueName + "'", blocking)
            .onErrorResume(e -> handler.isSet()
                && (e instanceof ClientSideEncryptionException || e instanceof IllegalStateException),
                e -> handler.handle(new QueueMessageDecryptionError(client, asyncClient, messageId, popReceipt,
                    dequeueCount, insertionTime, (RuntimeException) e), blocking).then(Mono.empty()));
    }
}
