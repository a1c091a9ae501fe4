package dev.cse4j.queue;

import com.azure.core.exception.AzureException;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import dev.cse4j.core.ClientSideEncryptionException;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteOptions;
import dev.cse4j.testing.FaultMatrix;
import dev.cse4j.testing.FaultProxy;
import dev.cse4j.testing.FaultRule;
import dev.cse4j.testing.ServiceCrash;
import io.netty.handler.codec.PrematureChannelClosureException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Azurite killed (SIGKILL) and started again while a received and decrypted message is being deleted, or while it
 * is being received (issue 14, fault injection). Azurite keeps its data on disk here (a temporary folder), so the
 * restarted server has the queue; the message was written before a graceful restart, so it survives the crash
 * (Azurite saves its metadata every 5 s and when stopped; a crash loses the last seconds). The message is never
 * lost: the delete either succeeded (the message was handled and is gone) or failed with a typed exception and the
 * message comes back; a receive cut by the crash leaves it in the queue.
 * <p>Tag {@code large} ({@code -Dgroups=large}, README "Tests"): each case kills and restarts a Node.js server and
 * waits out retries and visibility timeouts; the fault-proxy tests cut the same operations in the default suite.
 */
@Tag("large")
class QueueRestartTest {
    private static final Duration VISIBILITY = Duration.ofSeconds(2);
    // the synchronous queue client passes the plain QueueClient's failures through, including the Netty HTTP
    // client's own PrematureChannelClosureException (a response closed before its headers), as that client does
    private static final FaultMatrix MATRIX = new FaultMatrix("queue, Azurite killed and restarted",
        AzureException.class, UncheckedIOException.class, ClientSideEncryptionException.class,
        PrematureChannelClosureException.class);
    private static final String TEXT = "ship order 1234";

    @TempDir
    static Path data;

    private static Azurite azurite;

    @BeforeAll
    static void start() {
        azurite = Azurite.start(AzuriteOptions.defaults().withPersistenceDirectory(data));
    }

    @AfterAll
    static void stop() {
        azurite.close();
        MATRIX.print();
    }

    /** A queue with one message, saved (a graceful restart) so that a crash cannot lose it. */
    private static QueueClient queueWithOneMessage() {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        QueueFixtures.encryptedClient(azurite, plain, QueueMessageEncoding.NONE).sendMessage(TEXT);
        azurite.close();
        azurite = azurite.startAgain();
        return plain;
    }

    /** The encrypted client through the proxy, retrying for about 6 s: long enough to reach the restarted server. */
    private static EncryptedQueueClient throughProxy(FaultProxy proxy, QueueClient plain) {
        return new EncryptedQueueClientBuilder().connectionString(azurite.connectionStringThrough(proxy))
            .queueName(plain.getQueueName()).messageEncoding(QueueMessageEncoding.NONE)
            .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 7, Duration.ofSeconds(30),
                Duration.ofSeconds(1), Duration.ofSeconds(1), null))
            .clientSideEncryptionOptions(QueueFixtures.options().build()).buildEncryptedQueueClient();
    }

    @Test
    void killedWhileDeletingADecryptedMessage_theMessageIsDeletedOrComesBack() {
        QueueClient plain = queueWithOneMessage();
        try (FaultProxy proxy = FaultProxy.start(azurite.queuePort())) {
            EncryptedQueueClient queue = throughProxy(proxy, plain);
            DecryptedQueueMessageItem received = queue.receiveMessages(1, VISIBILITY, null, null).get(0);
            assertThat(received.getMessageText()).isEqualTo(TEXT);

            ServiceCrash.Result<Void> crash = ServiceCrash.during(azurite, proxy,
                FaultRule.requests().method("DELETE").stall(), () -> {
                    queue.deleteMessage(received.getMessageId(), received.getPopReceipt());
                    return null;
                });
            azurite = crash.restarted();

            assertThat(crash.midway()).as("the crash came while the delete was held (the operation ended with %s)",
                crash.failure()).isTrue();
            DecryptedQueueMessageItem again = receiveWhenVisible(QueueFixtures.encryptedClient(azurite, plain,
                QueueMessageEncoding.NONE), VISIBILITY.multipliedBy(5));
            if (crash.failure() == null) {
                assertThat(again).as("the message, deleted").isNull();
                MATRIX.count("delete", "retried ok, message deleted");
            } else {
                MATRIX.assertTyped(crash.failure(), "delete across the restart");
                assertThat(again).as("the message, after the failed delete").isNotNull();
                assertThat(again.getMessageText()).isEqualTo(TEXT);
                MATRIX.count("delete", "typed error, message visible again");
            }
        }
    }

    @Test
    void killedWhileReceiving_theMessageStaysInTheQueue() {
        QueueClient plain = queueWithOneMessage();
        try (FaultProxy proxy = FaultProxy.start(azurite.queuePort())) {
            EncryptedQueueClient queue = throughProxy(proxy, plain);

            ServiceCrash.Result<List<DecryptedQueueMessageItem>> crash = ServiceCrash.during(azurite, proxy,
                FaultRule.requests().method("GET").stall(), () -> queue.receiveMessages(1, VISIBILITY, null, null));
            azurite = crash.restarted();

            assertThat(crash.midway()).as("the crash came while the receive was held (the operation ended with %s)",
                crash.failure()).isTrue();
            if (crash.failure() != null) {
                MATRIX.assertTyped(crash.failure(), "receive across the restart");
            } else if (!crash.value().isEmpty()) {
                assertThat(crash.value().get(0).getMessageText()).isEqualTo(TEXT);
            }
            DecryptedQueueMessageItem again = receiveWhenVisible(QueueFixtures.encryptedClient(azurite, plain,
                QueueMessageEncoding.NONE), VISIBILITY.multipliedBy(5));
            assertThat(again).as("the message, after the receive across the restart").isNotNull();
            assertThat(again.getMessageText()).isEqualTo(TEXT);
            MATRIX.count("receive", (crash.failure() == null ? "retried ok" : "typed error")
                + ", message visible again");
        }
    }

    /**
     * Receives (and decrypts) the queue's next message as soon as one is visible, polling every 100 ms for up to
     * {@code within}.
     *
     * @return the message, or {@code null} if none became visible
     */
    static DecryptedQueueMessageItem receiveWhenVisible(EncryptedQueueClient queue, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            DecryptedQueueMessageItem message = queue.receiveMessage();
            if (message != null || System.nanoTime() > deadline) {
                return message;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
