package dev.cse4j.queue;

import com.azure.core.exception.AzureException;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import dev.cse4j.core.ClientSideEncryptionException;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.FaultMatrix;
import dev.cse4j.testing.FaultProxy;
import dev.cse4j.testing.FaultRule;
import dev.cse4j.testing.FaultRule.Direction;
import io.netty.handler.codec.PrematureChannelClosureException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Random;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A queue message received and decrypted, then its delete cut (issue 14, fault injection): the connection reset or
 * closed, or 500/503 answers, by a fault proxy between the client and Azurite; and the receive's own response cut
 * after a random number of bytes. The message is never lost: the failed delete fails with a typed exception and the
 * message becomes visible again when its visibility timeout ends, to be received and decrypted once more; a cut
 * receive leaves it (invisible at most for its timeout) in the queue. See {@link QueueRestartTest} for Azurite
 * killed meanwhile.
 */
@ExtendWith(AzuriteExtension.class)
class QueueFaultTest {
    static final Duration VISIBILITY = Duration.ofSeconds(1);
    // the synchronous queue client passes the plain QueueClient's failures through, including the Netty HTTP
    // client's own PrematureChannelClosureException (a response closed before its headers), as that client does
    private static final FaultMatrix MATRIX = new FaultMatrix("queue receive, then delete cut", AzureException.class,
        UncheckedIOException.class, ClientSideEncryptionException.class,
        PrematureChannelClosureException.class);
    private static final String TEXT = "pay invoice 4711";

    private Azurite azurite;
    private FaultProxy proxy;
    private QueueClient plain;

    @BeforeEach
    void start(Azurite service) {
        azurite = service;
        proxy = FaultProxy.start(azurite.queuePort());
        plain = QueueFixtures.newQueue(azurite);
        QueueFixtures.encryptedClient(azurite, plain, QueueMessageEncoding.NONE).sendMessage(TEXT);
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    @AfterAll
    static void print() {
        MATRIX.print();
    }

    /** The encrypted client through the proxy, one try per request (the SDK's retries would hide the fault). */
    private EncryptedQueueClient throughProxy() {
        return new EncryptedQueueClientBuilder().connectionString(azurite.connectionStringThrough(proxy))
            .queueName(plain.getQueueName()).messageEncoding(QueueMessageEncoding.NONE)
            .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 1, Duration.ofSeconds(30), null, null, null))
            .clientSideEncryptionOptions(QueueFixtures.options().build()).buildEncryptedQueueClient();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"reset", "truncate", "500", "503"})
    void deleteCutAfterDecrypt_failsTyped_andTheMessageComesBack(String fault) {
        EncryptedQueueClient queue = throughProxy();
        DecryptedQueueMessageItem received = queue.receiveMessages(1, VISIBILITY, null, null).get(0);
        assertThat(received.getMessageText()).isEqualTo(TEXT);
        FaultRule.Trigger delete = FaultRule.requests().method("DELETE");
        proxy.add(switch (fault) {
            case "reset" -> delete.reset();
            case "truncate" -> delete.truncate();
            default -> delete.respond(Integer.parseInt(fault));
        });

        Throwable failure = catchFailure(() -> {
            queue.deleteMessage(received.getMessageId(), received.getPopReceipt());
            return null;
        });

        assertThat(failure).as("the delete, cut by %s", fault).isNotNull();
        MATRIX.assertTyped(failure, "delete cut by " + fault);
        assertComesBack(received.getMessageId(), 2);
        MATRIX.count("delete " + fault, "typed error, message visible again");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void receiveResponseCut_leavesTheMessageInTheQueue(long seed) {
        EncryptedQueueClient queue = throughProxy();
        long before = proxy.forwarded(Direction.DOWNSTREAM);
        assertThat(queue.peekMessage().getMessageText()).isEqualTo(TEXT);
        long response = proxy.forwarded(Direction.DOWNSTREAM) - before;
        Random random = new Random(seed);
        FaultRule.Trigger cut = FaultRule.downstream().afterBytes(random.nextLong(response));
        String fault = proxy.add(random.nextBoolean() ? cut.reset() : cut.truncate()).toString();

        Throwable failure = catchFailure(() -> queue.receiveMessages(1, VISIBILITY, null, null));

        assertThat(failure).as("seed %d: the receive, cut by %s", seed, fault).isNotNull();
        MATRIX.assertTyped(failure, "seed " + seed + ": receive cut by " + fault);
        assertComesBack(null, 1);
        MATRIX.count("receive response cut", "typed error, message visible again");
    }

    private static Throwable catchFailure(Supplier<?> operation) {
        try {
            operation.get();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    /**
     * Receives the queue's message directly (no proxy) once it is visible again, waiting up to ten visibility
     * timeouts: decrypted to the text sent, dequeued at least {@code dequeues} times.
     */
    private void assertComesBack(String messageId, int dequeues) {
        DecryptedQueueMessageItem again = QueueRestartTest.receiveWhenVisible(
            QueueFixtures.encryptedClient(azurite, plain, QueueMessageEncoding.NONE), VISIBILITY.multipliedBy(10));
        assertThat(again).as("the message, once visible again").isNotNull();
        assertThat(again.getMessageText()).isEqualTo(TEXT);
        if (messageId != null) {
            assertThat(again.getMessageId()).isEqualTo(messageId);
        }
        assertThat(again.getDequeueCount()).isGreaterThanOrEqualTo(dequeues);
    }
}
