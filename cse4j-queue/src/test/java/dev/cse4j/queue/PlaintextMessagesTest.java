package dev.cse4j.queue;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.IntegrityException;
import dev.cse4j.core.MalformedEncryptionDataException;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Messages that are not encrypted: refused while encryption is required, passed through unchanged otherwise. */
@ExtendWith(AzuriteExtension.class)
class PlaintextMessagesTest {

    @ParameterizedTest
    @ValueSource(strings = {"hello", "", "{\"a\":1}", "{\"EncryptedMessageContentsX\":1}", "aGVsbG8=", "{not json"})
    void plaintext_withEncryptionRequired_isRefused(String text, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        String id = plain.sendMessage(text).getMessageId();
        EncryptedQueueClient queue = QueueFixtures.encryptedClient(azurite, plain, QueueMessageEncoding.NONE);

        assertThatThrownBy(queue::receiveMessage).isInstanceOf(EncryptionPolicyException.class)
            .hasMessageContaining("Message '" + id + "'").hasMessageContaining("requireEncryption(false)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello é€😀", "", "{\"a\":1}", "{\"type\":\"EncryptionData is a word here\"}",
        "aGVsbG8=", "{not json"})
    void plaintext_withEncryptionNotRequired_passesThroughUnchanged(String text, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        plain.sendMessage(text);
        EncryptedQueueClient queue = QueueFixtures.encrypted(azurite, plain.getQueueName(), QueueMessageEncoding.NONE,
            QueueFixtures.options().requireEncryption(false)).buildEncryptedQueueClient();

        DecryptedPeekedMessageItem peeked = queue.peekMessage();
        DecryptedQueueMessageItem received = queue.receiveMessage();

        assertThat(peeked.getMessageText()).isEqualTo(text);
        assertThat(received.getMessageText()).isEqualTo(text);
        assertThat(received.isEncrypted()).isFalse();
        assertThat(received.getEncryptionData()).isNull();
        assertThat(received.toString()).contains("not encrypted");
    }

    @Test
    void plaintext_withBase64Encoding_isDecodedAsTheSdkDoes(Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        plain.sendMessage("aGVsbG8gw6k=");
        EncryptedQueueClient queue = QueueFixtures.encrypted(azurite, plain.getQueueName(),
            QueueMessageEncoding.BASE64,
            QueueFixtures.options().requireEncryption(false)).buildEncryptedQueueClient();

        assertThat(queue.receiveMessage().getMessageText()).isEqualTo("hello é");
    }

    @Test
    void plaintextNotBase64_withBase64Encoding_failsSaying(Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        plain.sendMessage("not base64!");
        EncryptedQueueClient queue = QueueFixtures.encrypted(azurite, plain.getQueueName(),
            QueueMessageEncoding.BASE64,
            QueueFixtures.options().requireEncryption(false)).buildEncryptedQueueClient();

        assertThatThrownBy(queue::receiveMessage).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("not valid Base64");
    }

    @Test
    void damagedEnvelope_withEncryptionNotRequired_isStillMalformed_notPlaintext(Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        plain.sendMessage("{\"EncryptedMessageContents\":\"AAAA\"}");
        plain.sendMessage("{\"EncryptedMessageContents\":\"AAAA\",\"EncryptionData\":{\"Wrapp");
        EncryptedQueueClient queue = QueueFixtures.encrypted(azurite, plain.getQueueName(), QueueMessageEncoding.NONE,
            QueueFixtures.options().requireEncryption(false)).buildEncryptedQueueClient();

        assertThatThrownBy(queue::receiveMessage).isInstanceOf(MalformedEncryptionDataException.class);
        assertThatThrownBy(queue::receiveMessage).isInstanceOf(MalformedEncryptionDataException.class);
    }

    @Test
    void decryptionErrorHandler_getsFailedMessages_andTheRestAreReturned(Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        EncryptedQueueClient writer = QueueFixtures.encryptedClient(azurite, plain, QueueMessageEncoding.NONE);
        writer.sendMessage("good 1");
        String poisonId = plain.sendMessage("not encrypted").getMessageId();
        writer.sendMessage("good 2");
        String tamperedId = plain.sendMessage(EnvelopeEdits.flipContentsByte(QueueFixtures.lastRawText(plain), -1))
            .getMessageId();
        List<QueueMessageDecryptionError> errors = new ArrayList<>();
        EncryptedQueueClient reader = QueueFixtures.encrypted(azurite, plain.getQueueName(), QueueMessageEncoding.NONE)
            .processMessageDecryptionError(error -> {
                errors.add(error);
                error.getQueueClient().deleteMessage(error.getMessageId(), error.getPopReceipt());
            })
            .buildEncryptedQueueClient();

        List<DecryptedQueueMessageItem> received = reader.receiveMessages(32);

        assertThat(received).extracting(DecryptedQueueMessageItem::getMessageText)
            .containsExactly("good 1", "good 2");
        assertThat(errors).extracting(QueueMessageDecryptionError::getMessageId)
            .containsExactly(poisonId, tamperedId);
        assertThat(errors.get(0).getCause()).isInstanceOf(EncryptionPolicyException.class);
        assertThat(errors.get(1).getCause()).isInstanceOf(IntegrityException.class);
        assertThat(errors).allSatisfy(e -> {
            assertThat(e.getPopReceipt()).isNotBlank();
            assertThat(e.getDequeueCount()).isEqualTo(1);
            assertThat(e.getInsertionTime()).isNotNull();
            assertThat(e.toString()).contains(e.getMessageId());
        });
        assertThat(plain.getProperties().getApproximateMessagesCountLong()).as("the failed ones were deleted").isEqualTo(2);
    }

    @Test
    void decryptionErrorHandler_onPeek_hasNoPopReceipt(Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        plain.sendMessage("not encrypted");
        List<QueueMessageDecryptionError> errors = new ArrayList<>();
        EncryptedQueueClient reader = QueueFixtures.encrypted(azurite, plain.getQueueName(), QueueMessageEncoding.NONE)
            .processMessageDecryptionError(errors::add).buildEncryptedQueueClient();

        assertThat(reader.peekMessage()).isNull();
        assertThat(errors).singleElement().satisfies(e -> assertThat(e.getPopReceipt()).isNull());
    }
}
