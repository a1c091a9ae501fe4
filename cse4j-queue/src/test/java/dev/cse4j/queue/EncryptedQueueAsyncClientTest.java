package dev.cse4j.queue;

import com.azure.security.keyvault.keys.cryptography.KeyEncryptionKeyClientBuilder;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.keys.CachingAsyncKeyEncryptionKeyResolver;
import dev.cse4j.keys.KeyWrapAlgorithm;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.CountingKeys;
import dev.cse4j.testing.KeyVaultClients;
import dev.cse4j.testing.KeyVaultExtension;
import dev.cse4j.testing.KeyVaultOperation;
import dev.cse4j.testing.KeyVaultServer;
import dev.cse4j.testing.StalledKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What only the asynchronous queue client has: Key Vault's asynchronous key and resolver used asynchronously under
 * load and throttling, cancellation, failures signalled rather than thrown, and a synchronous decryption error
 * handler kept off Reactor's threads. Every operation is subscribed on a parallel worker, where BlockHound (installed
 * for every test of this module) fails anything that blocks. The suites shared with the synchronous client run
 * through {@link Api}.
 */
@ExtendWith(AzuriteExtension.class)
class EncryptedQueueAsyncClientTest {
    @RegisterExtension
    static final KeyVaultExtension KEY_VAULT = new KeyVaultExtension();

    private static EncryptedQueueAsyncClient client(Azurite azurite, QueueClient plain,
        ClientSideEncryptionOptions.Builder options) {
        return QueueFixtures.encrypted(azurite, plain.getQueueName(), QueueMessageEncoding.NONE, options)
            .buildEncryptedQueueAsyncClient();
    }

    @Test
    void keyVaultAsyncKeyAndResolver_concurrentSendsAndReceives_throttled_neverBlockAReactorThread(
        Azurite azurite) {
        KeyVaultServer vault = KEY_VAULT.server();
        String keyId = vault.createRsaKey("queue-kek", 2048);
        // retry up to 10 times: with 8 requests in flight, every-Nth throttling can refuse one more often in a row
        KeyEncryptionKeyClientBuilder keyVault = KeyVaultClients.keyEncryptionKeyClientBuilder(vault, 10);
        CountingKeys reads = new CountingKeys();
        QueueClient plain = QueueFixtures.newQueue(azurite);
        EncryptedQueueAsyncClient writer = client(azurite, plain, ClientSideEncryptionOptions.builder()
            .key(keyVault.buildAsyncKeyEncryptionKey(keyId).block(Api.TIMEOUT), KeyWrapAlgorithm.RSA_OAEP_256));
        EncryptedQueueAsyncClient reader = client(azurite, plain, ClientSideEncryptionOptions.builder()
            .asyncKeyResolver(new CachingAsyncKeyEncryptionKeyResolver(reads.asyncResolver(keyVault))));
        List<String> texts = IntStream.range(0, 16).mapToObj(i -> "message " + i + " é€😀").toList();
        vault.throttleEvery(5, 0);

        Api.onParallel(Flux.fromIterable(texts).flatMap(writer::sendMessage, 8).then());
        List<DecryptedQueueMessageItem> received = Api.onParallel(reader.receiveMessages(32).collectList());

        assertThat(received).extracting(DecryptedQueueMessageItem::getMessageText)
            .containsExactlyInAnyOrderElementsOf(texts);
        assertThat(vault.calls(KeyVaultOperation.WRAP_KEY, "queue-kek")).isEqualTo(texts.size());
        assertThat(vault.calls(KeyVaultOperation.UNWRAP_KEY, "queue-kek")).isEqualTo(texts.size());
        assertThat(reads.resolutions()).isEqualTo(1);
        assertThat(vault.throttled()).isPositive();
    }

    @Test
    void cancelledSend_whileTheKeyIsWrapping_sendsNothing(Azurite azurite) throws InterruptedException {
        StalledKey slowKey = new StalledKey("local:slow");
        QueueClient plain = QueueFixtures.newQueue(azurite);
        EncryptedQueueAsyncClient queue = client(azurite, plain, ClientSideEncryptionOptions.builder()
            .key(slowKey, KeyWrapAlgorithm.A256KW));

        Disposable send = queue.sendMessage("never sent").subscribeOn(Schedulers.parallel()).subscribe();
        assertThat(slowKey.awaitWrapping(Api.TIMEOUT)).as("the key was asked to wrap").isTrue();
        send.dispose();

        assertThat(slowKey.awaitCancelled(Api.TIMEOUT)).as("the key's wrap was cancelled").isTrue();
        assertThat(QueueFixtures.rawTexts(plain)).isEmpty();
    }

    @Test
    void failures_areSignalled_notThrownWhenCalled(Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        plain.sendMessage("not encrypted");
        EncryptedQueueAsyncClient resolverOnly = client(azurite, plain, ClientSideEncryptionOptions.builder()
            .keyResolver(keyId -> null));

        Mono<?> send = resolverOnly.sendMessage("no key");
        Mono<?> peek = resolverOnly.peekMessage();

        assertThatThrownBy(() -> Api.onParallel(send)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("key(");
        assertThatThrownBy(() -> Api.onParallel(peek)).isInstanceOf(EncryptionPolicyException.class);
        assertThat(QueueFixtures.rawTexts(plain)).containsExactly("not encrypted");
    }

    @Test
    void synchronousDecryptionErrorHandler_runsWhereItMayBlock(Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        plain.sendMessage("not encrypted");
        List<String> threads = new CopyOnWriteArrayList<>();
        EncryptedQueueAsyncClient queue = QueueFixtures.encrypted(azurite, plain.getQueueName(),
            QueueMessageEncoding.NONE).processMessageDecryptionError(error -> {
                threads.add(Thread.currentThread().getName());
                // blocking I/O: BlockHound fails it on a Reactor parallel worker or an event loop
                plain.deleteMessage(error.getMessageId(), error.getPopReceipt());
            }).buildEncryptedQueueAsyncClient();

        assertThat(Api.onParallel(queue.receiveMessages(32).collectList())).isEmpty();

        assertThat(threads).singleElement().asString().startsWith("boundedElastic");
        assertThat(QueueFixtures.rawTexts(plain)).isEmpty();
    }

    @Test
    void queueManagement_isPassedThrough(Azurite azurite) {
        EncryptedQueueAsyncClient queue = QueueFixtures.encrypted(azurite, "mgmt-async-" + System.nanoTime(),
            QueueMessageEncoding.NONE).buildEncryptedQueueAsyncClient();

        assertThat(Api.onParallel(queue.exists())).isFalse();
        assertThat(Api.onParallel(queue.createIfNotExists())).isTrue();
        assertThat(Api.onParallel(queue.exists())).isTrue();
        assertThat(Api.onParallel(queue.getProperties()).getApproximateMessagesCount()).isZero();
        assertThat(Api.onParallel(queue.deleteIfExists())).isTrue();
        assertThat(Api.onParallel(queue.exists())).isFalse();
    }
}
