package dev.cse4j.queue;

import com.azure.core.util.BinaryData;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.QueueStorageException;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.keys.KeyWrapAlgorithm;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.BuilderRefusals;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(AzuriteExtension.class)
class EncryptedQueueClientBuilderTest {
    @TestFactory
    Stream<DynamicTest> refusesWhatEveryBuilderRefuses_withTheSameMessages() {
        return BuilderRefusals.tests(() -> named().clientSideEncryptionOptions(QueueFixtures.options().build()),
            EncryptedQueueClientBuilderTest::named, EncryptedQueueClientBuilder::buildEncryptedQueueClient);
    }

    @TestFactory
    Stream<DynamicTest> asyncClient_refusesTheSame_withTheSameMessages() {
        return BuilderRefusals.tests(() -> named().clientSideEncryptionOptions(QueueFixtures.options().build()),
            EncryptedQueueClientBuilderTest::named, EncryptedQueueClientBuilder::buildEncryptedQueueAsyncClient);
    }

    @Test
    void bothDecryptionErrorHandlers_failNamingBoth() {
        EncryptedQueueClientBuilder both = keyed().connectionString(BuilderRefusals.CONNECTION_STRING).queueName("q")
            .processMessageDecryptionError(error -> { })
            .processMessageDecryptionErrorAsync(error -> Mono.empty());

        assertThatThrownBy(both::buildEncryptedQueueClient).isInstanceOf(IllegalStateException.class)
            .hasMessage("Both processMessageDecryptionError(...) and processMessageDecryptionErrorAsync(...) are "
                + "set; set one of them.");
        assertThatThrownBy(both::buildEncryptedQueueAsyncClient).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("set one of them");
    }

    @Test
    void nothingToConnectTo_namesTheWays() {
        assertThatThrownBy(() -> keyed().buildEncryptedQueueClient()).isInstanceOf(IllegalStateException.class)
            .hasMessage("Nothing to connect to: set queueClient(...), or connectionString(...) and queueName(...), "
                + "or endpoint(...) with a credential and queueName(...).");
    }

    @Test
    void connectionStringWithoutQueueName_failsNamingQueueName() {
        assertThatThrownBy(() -> keyed().connectionString(BuilderRefusals.CONNECTION_STRING)
            .buildEncryptedQueueClient()).isInstanceOf(IllegalStateException.class)
            .hasMessage("Name the queue: set queueName(...).");
    }

    @Test
    void queueClientWithConnectionSettings_failsNamingThem(Azurite azurite) {
        QueueClient plain = QueueFixtures.plainClient(azurite, "q", QueueMessageEncoding.NONE);
        assertThatThrownBy(() -> keyed().queueClient(plain).connectionString(BuilderRefusals.CONNECTION_STRING)
            .queueName("q").buildEncryptedQueueClient()).isInstanceOf(IllegalStateException.class)
            .hasMessage("queueClient(...) already carries the endpoint, credential and HTTP pipeline; remove "
                + "connectionString(...), queueName(...).");
    }

    @Test
    void messageEncodingConflictingWithTheWrappedClient_fails(Azurite azurite) {
        QueueClient base64 = QueueFixtures.plainClient(azurite, "q", QueueMessageEncoding.BASE64);
        assertThatThrownBy(() -> keyed().queueClient(base64).messageEncoding(QueueMessageEncoding.NONE)
            .buildEncryptedQueueClient()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("messageEncoding(NONE) conflicts");
    }

    @Test
    void wrappedQueueClient_itsEncodingApplies_andItIsNotChanged(Azurite azurite) {
        QueueClient created = QueueFixtures.newQueue(azurite);
        QueueClient base64 = QueueFixtures.plainClient(azurite, created.getQueueName(), QueueMessageEncoding.BASE64);
        EncryptedQueueClient queue = keyed().queueClient(base64).buildEncryptedQueueClient();

        queue.sendMessage("wrapped");

        assertThat(queue.getMessageEncoding()).isEqualTo(QueueMessageEncoding.BASE64);
        assertThat(base64.getMessageEncoding()).isEqualTo(QueueMessageEncoding.BASE64);
        String raw = QueueFixtures.onlyRawText(created);
        assertThat(new String(Base64.getDecoder().decode(raw), StandardCharsets.UTF_8))
            .startsWith("{\"EncryptedMessageContents\"");
        assertThat(queue.receiveMessage().getMessageText()).isEqualTo("wrapped");
        assertThat(queue.getQueueName()).isEqualTo(created.getQueueName());
        assertThat(queue.getQueueUrl()).isEqualTo(created.getQueueUrl());
        assertThat(queue.getAccountName()).isEqualTo("devstoreaccount1");
    }

    @Test
    void endpointWithSharedKey_works(Azurite azurite) {
        QueueClient created = QueueFixtures.newQueue(azurite);
        EncryptedQueueClient queue = keyed().endpoint(azurite.queueEndpoint()).queueName(created.getQueueName())
            .credential(new StorageSharedKeyCredential(azurite.accountName(), azurite.accountKey()))
            .buildEncryptedQueueClient();

        queue.sendMessage("via endpoint");

        assertThat(queue.receiveMessage().getMessageText()).isEqualTo("via endpoint");
    }

    @Test
    void resolverOnlyClient_reads_butRefusesToSend(Azurite azurite) {
        QueueClient created = QueueFixtures.newQueue(azurite);
        QueueFixtures.encrypted(azurite, created.getQueueName(), QueueMessageEncoding.NONE)
            .buildEncryptedQueueClient().sendMessage("for the resolver");
        EncryptedQueueClient reader = new EncryptedQueueClientBuilder().connectionString(azurite.connectionString())
            .queueName(created.getQueueName())
            .clientSideEncryptionOptions(ClientSideEncryptionOptions.builder()
                .keyResolver(keyId -> QueueFixtures.KEK_ID.equals(keyId) ? QueueFixtures.kek() : null).build())
            .buildEncryptedQueueClient();

        assertThat(reader.peekMessage().getMessageText()).isEqualTo("for the resolver");
        assertThatThrownBy(() -> reader.sendMessage("no key")).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("key(");
        assertThat(QueueFixtures.rawTexts(created)).hasSize(1);
    }

    @Test
    void asyncKeyAndAsyncResolver_work(Azurite azurite) {
        QueueClient created = QueueFixtures.newQueue(azurite);
        EncryptedQueueClient writer = new EncryptedQueueClientBuilder().connectionString(azurite.connectionString())
            .queueName(created.getQueueName()).clientSideEncryptionOptions(ClientSideEncryptionOptions.builder()
                .key(QueueFixtures.kek().asAsync(), KeyWrapAlgorithm.A256KW).build())
            .buildEncryptedQueueClient();
        EncryptedQueueClient reader = new EncryptedQueueClientBuilder().connectionString(azurite.connectionString())
            .queueName(created.getQueueName()).clientSideEncryptionOptions(ClientSideEncryptionOptions.builder()
                .asyncKeyResolver(keyId -> Mono.justOrEmpty(QueueFixtures.KEK_ID.equals(keyId)
                    ? QueueFixtures.kek().asAsync() : null)).build())
            .buildEncryptedQueueClient();

        writer.sendMessage(BinaryData.fromString("async"));

        assertThat(reader.receiveMessage().getMessageText()).isEqualTo("async");
    }

    @Test
    void queueManagement_isPassedThrough(Azurite azurite) {
        String name = "mgmt-" + System.nanoTime();
        EncryptedQueueClient queue = QueueFixtures.encrypted(azurite, name, QueueMessageEncoding.NONE)
            .buildEncryptedQueueClient();

        assertThat(queue.exists()).isFalse();
        assertThat(queue.deleteIfExists()).isFalse();
        assertThat(queue.createIfNotExists()).isTrue();
        assertThat(queue.exists()).isTrue();
        queue.setMetadata(Map.of("purpose", "test"));
        assertThat(queue.getProperties().getMetadata()).containsEntry("purpose", "test");
        queue.sendMessage("one");
        queue.sendMessage("two");
        assertThat(queue.getProperties().getApproximateMessagesCountLong()).isEqualTo(2);
        queue.clearMessages();
        assertThat(queue.peekMessage()).isNull();
        assertThat(queue.deleteIfExists()).isTrue();
        assertThat(queue.exists()).isFalse();
        assertThatThrownBy(queue::getProperties).isInstanceOf(QueueStorageException.class);
    }

    private static EncryptedQueueClientBuilder keyed() {
        return new EncryptedQueueClientBuilder().clientSideEncryptionOptions(QueueFixtures.options().build());
    }

    private static EncryptedQueueClientBuilder named() {
        return new EncryptedQueueClientBuilder().queueName("q");
    }
}
