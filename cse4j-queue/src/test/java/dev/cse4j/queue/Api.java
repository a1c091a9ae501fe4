package dev.cse4j.queue;

import com.azure.core.util.BinaryData;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.QueueProperties;
import com.azure.storage.queue.models.SendMessageResult;
import com.azure.storage.queue.models.UpdateMessageResult;
import org.junit.jupiter.params.provider.Arguments;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The two encrypted queue clients, built by the same builder with the same options: the suites that check formats,
 * interop, tampering and the handling of messages that cannot be read run against both through {@link TestQueue}.
 * The asynchronous client's operations are subscribed on a Reactor parallel worker, so BlockHound (installed for
 * every test of this module) fails any of them that blocks.
 */
enum Api {
    SYNC {
        @Override
        TestQueue build(EncryptedQueueClientBuilder builder) {
            EncryptedQueueClient client = builder.buildEncryptedQueueClient();
            return new TestQueue() {
                @Override
                public SendMessageResult sendMessage(String text) {
                    return client.sendMessage(text);
                }

                @Override
                public SendMessageResult sendMessage(BinaryData body) {
                    return client.sendMessage(body);
                }

                @Override
                public DecryptedQueueMessageItem receiveMessage() {
                    return client.receiveMessage();
                }

                @Override
                public DecryptedPeekedMessageItem peekMessage() {
                    return client.peekMessage();
                }

                @Override
                public List<DecryptedQueueMessageItem> receiveMessages(int maxMessages, Duration visibilityTimeout) {
                    return client.receiveMessages(maxMessages, visibilityTimeout, null, null);
                }

                @Override
                public List<DecryptedPeekedMessageItem> peekMessages(int maxMessages) {
                    return client.peekMessages(maxMessages, null, null);
                }

                @Override
                public UpdateMessageResult updateMessage(String messageId, String popReceipt, String text,
                    Duration visibilityTimeout) {
                    return client.updateMessage(messageId, popReceipt, text, visibilityTimeout);
                }

                @Override
                public void deleteMessage(String messageId, String popReceipt) {
                    client.deleteMessage(messageId, popReceipt);
                }

                @Override
                public QueueProperties getProperties() {
                    return client.getProperties();
                }

                @Override
                public String toString() {
                    return client.toString();
                }
            };
        }
    },
    ASYNC {
        @Override
        TestQueue build(EncryptedQueueClientBuilder builder) {
            EncryptedQueueAsyncClient client = builder.buildEncryptedQueueAsyncClient();
            return new TestQueue() {
                @Override
                public SendMessageResult sendMessage(String text) {
                    return onParallel(client.sendMessage(text));
                }

                @Override
                public SendMessageResult sendMessage(BinaryData body) {
                    return onParallel(client.sendMessage(body));
                }

                @Override
                public DecryptedQueueMessageItem receiveMessage() {
                    return onParallel(client.receiveMessage());
                }

                @Override
                public DecryptedPeekedMessageItem peekMessage() {
                    return onParallel(client.peekMessage());
                }

                @Override
                public List<DecryptedQueueMessageItem> receiveMessages(int maxMessages, Duration visibilityTimeout) {
                    return onParallel(client.receiveMessages(maxMessages, visibilityTimeout).collectList());
                }

                @Override
                public List<DecryptedPeekedMessageItem> peekMessages(int maxMessages) {
                    return onParallel(client.peekMessages(maxMessages).collectList());
                }

                @Override
                public UpdateMessageResult updateMessage(String messageId, String popReceipt, String text,
                    Duration visibilityTimeout) {
                    return onParallel(client.updateMessage(messageId, popReceipt, text, visibilityTimeout));
                }

                @Override
                public void deleteMessage(String messageId, String popReceipt) {
                    onParallel(client.deleteMessage(messageId, popReceipt));
                }

                @Override
                public QueueProperties getProperties() {
                    return onParallel(client.getProperties());
                }

                @Override
                public String toString() {
                    return client.toString();
                }
            };
        }
    };

    /** The longest any test waits for one asynchronous operation. */
    static final Duration TIMEOUT = Duration.ofMinutes(1);

    /** Every kind of client with every message encoding: {@code @MethodSource("dev.cse4j.queue.Api#byEncoding")}. */
    static Stream<Arguments> byEncoding() {
        return Stream.of(values()).flatMap(api -> Stream.of(QueueMessageEncoding.values())
            .map(encoding -> Arguments.of(api, encoding)));
    }

    /** A client of this kind, built by {@code builder}. */
    abstract TestQueue build(EncryptedQueueClientBuilder builder);

    /** {@code mono}, subscribed on a parallel worker (a thread that must never block), waited for. */
    static <T> T onParallel(Mono<T> mono) {
        return mono.subscribeOn(Schedulers.parallel()).block(TIMEOUT);
    }

    /** An encrypted queue client of either kind, as the suites use it (waiting for the asynchronous one). */
    interface TestQueue {
        SendMessageResult sendMessage(String text);

        SendMessageResult sendMessage(BinaryData body);

        /** The received messages, decrypted; a failure is thrown as the client signals it. */
        List<DecryptedQueueMessageItem> receiveMessages(int maxMessages, Duration visibilityTimeout);

        List<DecryptedPeekedMessageItem> peekMessages(int maxMessages);

        UpdateMessageResult updateMessage(String messageId, String popReceipt, String text,
            Duration visibilityTimeout);

        void deleteMessage(String messageId, String popReceipt);

        QueueProperties getProperties();

        default List<DecryptedQueueMessageItem> receiveMessages(int maxMessages) {
            return receiveMessages(maxMessages, null);
        }

        /** The next message, or {@code null} if there is none. */
        DecryptedQueueMessageItem receiveMessage();

        /** The next message, or {@code null} if there is none. */
        DecryptedPeekedMessageItem peekMessage();
    }
}
