package dev.cse4j.queue;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.IntegrityException;
import dev.cse4j.core.MalformedEncryptionDataException;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Messages that are not encrypted: refused while encryption is required, passed through unchanged otherwise; messages
 * that cannot be read, handed to the decryption error handler. Both kinds of client ({@link Api}).
 */
@ExtendWith(AzuriteExtension.class)
class PlaintextMessagesTest {

    static Stream<Arguments> refused() {
        return byApi("hello", "", "{\"a\":1}", "{\"EncryptedMessageContentsX\":1}", "aGVsbG8=", "{not json");
    }

    static Stream<Arguments> passedThrough() {
        return byApi("hello é€😀", "", "{\"a\":1}", "{\"type\":\"EncryptionData is a word here\"}", "aGVsbG8=",
            "{not json");
    }

    private static Stream<Arguments> byApi(String... texts) {
        return Stream.of(Api.values()).flatMap(api -> Stream.of(texts).map(text -> Arguments.of(api, text)));
    }

    @ParameterizedTest(name = "{0}: \"{1}\"")
    @MethodSource("refused")
    void plaintext_withEncryptionRequired_isRefused(Api api, String text, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        String id = plain.sendMessage(text).getMessageId();
        Api.TestQueue queue = QueueFixtures.encryptedClient(api, azurite, plain, QueueMessageEncoding.NONE);

        assertThatThrownBy(queue::receiveMessage).isInstanceOf(EncryptionPolicyException.class)
            .hasMessageContaining("Message '" + id + "'").hasMessageContaining("requireEncryption(false)");
    }

    @ParameterizedTest(name = "{0}: \"{1}\"")
    @MethodSource("passedThrough")
    void plaintext_withEncryptionNotRequired_passesThroughUnchanged(Api api, String text, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        plain.sendMessage(text);
        Api.TestQueue queue = api.build(QueueFixtures.encrypted(azurite, plain.getQueueName(), QueueMessageEncoding.NONE,
            QueueFixtures.options().requireEncryption(false)));

        DecryptedPeekedMessageItem peeked = queue.peekMessage();
        DecryptedQueueMessageItem received = queue.receiveMessage();

        assertThat(peeked.getMessageText()).isEqualTo(text);
        assertThat(received.getMessageText()).isEqualTo(text);
        assertThat(received.isEncrypted()).isFalse();
        assertThat(received.getEncryptionData()).isNull();
        assertThat(received.toString()).contains("not encrypted");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void plaintext_withBase64Encoding_isDecodedAsTheSdkDoes(Api api, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        plain.sendMessage("aGVsbG8gw6k=");
        Api.TestQueue queue = api.build(QueueFixtures.encrypted(azurite, plain.getQueueName(),
            QueueMessageEncoding.BASE64,
            QueueFixtures.options().requireEncryption(false)));

        assertThat(queue.receiveMessage().getMessageText()).isEqualTo("hello é");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void plaintextNotBase64_withBase64Encoding_failsSaying(Api api, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        plain.sendMessage("not base64!");
        Api.TestQueue queue = api.build(QueueFixtures.encrypted(azurite, plain.getQueueName(),
            QueueMessageEncoding.BASE64,
            QueueFixtures.options().requireEncryption(false)));

        assertThatThrownBy(queue::receiveMessage).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("not valid Base64");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void damagedEnvelope_withEncryptionNotRequired_isStillMalformed_notPlaintext(Api api, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        plain.sendMessage("{\"EncryptedMessageContents\":\"AAAA\"}");
        plain.sendMessage("{\"EncryptedMessageContents\":\"AAAA\",\"EncryptionData\":{\"Wrapp");
        Api.TestQueue queue = api.build(QueueFixtures.encrypted(azurite, plain.getQueueName(), QueueMessageEncoding.NONE,
            QueueFixtures.options().requireEncryption(false)));

        assertThatThrownBy(queue::receiveMessage).isInstanceOf(MalformedEncryptionDataException.class);
        assertThatThrownBy(queue::receiveMessage).isInstanceOf(MalformedEncryptionDataException.class);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void decryptionErrorHandler_getsFailedMessages_andTheRestAreReturned(Api api, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        EncryptedQueueClient writer = QueueFixtures.encryptedClient(azurite, plain, QueueMessageEncoding.NONE);
        writer.sendMessage("good 1");
        String poisonId = plain.sendMessage("not encrypted").getMessageId();
        writer.sendMessage("good 2");
        String tamperedId = plain.sendMessage(EnvelopeEdits.flipContentsByte(QueueFixtures.lastRawText(plain), -1))
            .getMessageId();
        List<QueueMessageDecryptionError> errors = new CopyOnWriteArrayList<>();
        EncryptedQueueClientBuilder builder = QueueFixtures.encrypted(azurite, plain.getQueueName(),
            QueueMessageEncoding.NONE);
        // each kind of client hands itself to the handler, to delete the message with
        Api.TestQueue reader = api.build(api == Api.SYNC
            ? builder.processMessageDecryptionError(error -> {
                errors.add(error);
                assertThat(error.getQueueAsyncClient()).isNull();
                error.getQueueClient().deleteMessage(error.getMessageId(), error.getPopReceipt());
            })
            : builder.processMessageDecryptionErrorAsync(error -> {
                errors.add(error);
                assertThat(error.getQueueClient()).isNull();
                return error.getQueueAsyncClient().deleteMessage(error.getMessageId(), error.getPopReceipt());
            }));

        List<DecryptedQueueMessageItem> received = reader.receiveMessages(32);

        assertThat(received).extracting(DecryptedQueueMessageItem::getMessageText)
            .containsExactly("good 1", "good 2");
        assertThat(errors).extracting(QueueMessageDecryptionError::getMessageId)
            .containsExactlyInAnyOrder(poisonId, tamperedId);
        assertThat(errors).allSatisfy(e -> assertThat(e.getCause()).isInstanceOf(e.getMessageId().equals(poisonId)
            ? EncryptionPolicyException.class : IntegrityException.class));
        assertThat(errors).allSatisfy(e -> {
            assertThat(e.getPopReceipt()).isNotBlank();
            assertThat(e.getDequeueCount()).isEqualTo(1);
            assertThat(e.getInsertionTime()).isNotNull();
            assertThat(e.toString()).contains(e.getMessageId());
        });
        assertThat(plain.getProperties().getApproximateMessagesCountLong()).as("the failed ones were deleted").isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void decryptionErrorHandler_onPeek_hasNoPopReceipt(Api api, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        plain.sendMessage("not encrypted");
        List<QueueMessageDecryptionError> errors = new CopyOnWriteArrayList<>();
        Api.TestQueue reader = api.build(QueueFixtures.encrypted(azurite, plain.getQueueName(), QueueMessageEncoding.NONE)
            .processMessageDecryptionError(errors::add));

        assertThat(reader.peekMessage()).isNull();
        assertThat(errors).singleElement().satisfies(e -> assertThat(e.getPopReceipt()).isNull());
    }
}
