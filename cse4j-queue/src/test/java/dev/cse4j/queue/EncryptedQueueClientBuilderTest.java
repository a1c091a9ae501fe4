package dev.cse4j.queue;

import com.azure.core.util.BinaryData;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.QueueStorageException;
import dev.cse4j.keys.KeyWrapAlgorithm;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(AzuriteExtension.class)
class EncryptedQueueClientBuilderTest {
    private static final String CONNECTION_STRING = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
        + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
        + "QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;";

    @Test
    void noKey_failsNamingTheKeySetters() {
        assertThatThrownBy(() -> new EncryptedQueueClientBuilder().connectionString(CONNECTION_STRING).queueName("q")
            .buildEncryptedQueueClient()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("key(").hasMessageContaining("keyResolver(");
    }

    @Test
    void noQueue_failsNamingTheQueueSetters() {
        assertThatThrownBy(() -> keyed().buildEncryptedQueueClient()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("queueClient(QueueClient)").hasMessageContaining("connectionString(String)");
    }

    @Test
    void connectionStringWithoutQueueName_failsNamingQueueName() {
        assertThatThrownBy(() -> keyed().connectionString(CONNECTION_STRING).buildEncryptedQueueClient())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("queueName(String)");
    }

    @Test
    void connectionStringAndEndpoint_fail() {
        assertThatThrownBy(() -> keyed().connectionString(CONNECTION_STRING).endpoint("http://127.0.0.1:1/a")
            .queueName("q").buildEncryptedQueueClient()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("connectionString(...) and endpoint(...)");
    }

    @Test
    void connectionStringWithCredential_fails() {
        assertThatThrownBy(() -> keyed().connectionString(CONNECTION_STRING).queueName("q").sasToken("sv=x")
            .buildEncryptedQueueClient()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("credential(...)/sasToken(...)");
    }

    @Test
    void twoCredentials_fail() {
        assertThatThrownBy(() -> keyed().endpoint("http://127.0.0.1:1/a").queueName("q").sasToken("sv=x")
            .credential(new StorageSharedKeyCredential("a", Base64.getEncoder().encodeToString(new byte[8])))
            .buildEncryptedQueueClient()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("More than one credential");
    }

    @Test
    void queueClientWithConnectionSettings_failsNamingThem(Azurite azurite) {
        QueueClient plain = QueueFixtures.plainClient(azurite, "q", QueueMessageEncoding.NONE);
        assertThatThrownBy(() -> keyed().queueClient(plain).connectionString(CONNECTION_STRING).queueName("q")
            .buildEncryptedQueueClient()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("remove connectionString(...), queueName(...)");
    }

    @Test
    void messageEncodingConflictingWithTheWrappedClient_fails(Azurite azurite) {
        QueueClient base64 = QueueFixtures.plainClient(azurite, "q", QueueMessageEncoding.BASE64);
        assertThatThrownBy(() -> keyed().queueClient(base64).messageEncoding(QueueMessageEncoding.NONE)
            .buildEncryptedQueueClient()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("messageEncoding(NONE) conflicts");
    }

    @Test
    void keyWithoutAlgorithm_failsAtOnce() {
        assertThatThrownBy(() -> new EncryptedQueueClientBuilder().key(QueueFixtures.kek(), " "))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key-wrap algorithm");
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
            .keyResolver(keyId -> QueueFixtures.KEK_ID.equals(keyId) ? QueueFixtures.kek() : null)
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
            .queueName(created.getQueueName()).key(QueueFixtures.kek().asAsync(), KeyWrapAlgorithm.A256KW)
            .buildEncryptedQueueClient();
        EncryptedQueueClient reader = new EncryptedQueueClientBuilder().connectionString(azurite.connectionString())
            .queueName(created.getQueueName())
            .asyncKeyResolver(keyId -> Mono.justOrEmpty(QueueFixtures.KEK_ID.equals(keyId)
                ? QueueFixtures.kek().asAsync() : null))
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
        return new EncryptedQueueClientBuilder().key(QueueFixtures.kek(), KeyWrapAlgorithm.A256KW);
    }
}
