package dev.cse4j.queue;

import com.azure.core.util.BinaryData;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.SendMessageResult;
import com.azure.storage.queue.models.UpdateMessageResult;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Messages sent and read back through both kinds of client ({@link Api}). */
@ExtendWith(AzuriteExtension.class)
class EncryptedQueueRoundTripTest {

    static Stream<Arguments> texts() {
        List<String> texts = List.of(
            "",
            "a",
            "é",
            "€",
            "😀",
            "e\u0301 n\u0303 a\u030a",                     // combining characters
            "héllo € 😀 e\u0301 ∑ 日本語 \u0000 <xml/> & \"json\" {}",
            "{\"EncryptedMessageContents\":\"looks like an envelope but is the plaintext\"}");
        return Api.byEncoding().flatMap(a -> texts.stream().map(text -> Arguments.of(a.get()[0], a.get()[1], text)));
    }

    @ParameterizedTest(name = "{0} {1}: \"{2}\"")
    @MethodSource("texts")
    void sendThenReceive_returnsSameText(Api api, QueueMessageEncoding encoding, String text, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        Api.TestQueue queue = QueueFixtures.encryptedClient(api, azurite, plain, encoding);

        queue.sendMessage(text);
        DecryptedQueueMessageItem received = queue.receiveMessage();

        assertThat(received.getMessageText()).isEqualTo(text);
        assertThat(received.getBody().toBytes()).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        assertThat(received.isEncrypted()).isTrue();
        assertThat(received.getEncryptionData().protocol()).isEqualTo(EncryptionProtocol.V2_0);
        assertThat(received.getEncryptionData().wrappedContentKey().keyId()).isEqualTo(QueueFixtures.KEK_ID);
        String raw = QueueFixtures.plainClient(azurite, plain.getQueueName(), QueueMessageEncoding.NONE)
            .peekMessage() == null ? null : "still there";
        assertThat(raw).as("received message is invisible").isNull();
    }

    @ParameterizedTest
    @MethodSource("dev.cse4j.queue.Api#byEncoding")
    void sendBinaryBody_receivesSameBytes(Api api, QueueMessageEncoding encoding, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        Api.TestQueue queue = QueueFixtures.encryptedClient(api, azurite, plain, encoding);
        byte[] body = new byte[256];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }

        queue.sendMessage(BinaryData.fromBytes(body));

        assertThat(queue.peekMessage().getBody().toBytes()).isEqualTo(body);
        assertThat(queue.receiveMessage().getBody().toBytes()).isEqualTo(body);
    }

    @ParameterizedTest
    @MethodSource("dev.cse4j.queue.Api#byEncoding")
    void storedText_isEnvelopeWithoutPlaintext_inTheEncodingsForm(Api api, QueueMessageEncoding encoding, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        Api.TestQueue queue = QueueFixtures.encryptedClient(api, azurite, plain, encoding);
        String secret = "attack at dawn, attack at dawn";

        queue.sendMessage(secret);

        String raw = QueueFixtures.onlyRawText(plain);
        String envelope = encoding == QueueMessageEncoding.BASE64
            ? new String(java.util.Base64.getDecoder().decode(raw), StandardCharsets.UTF_8) : raw;
        assertThat(envelope).startsWith("{\"EncryptedMessageContents\":\"")
            .contains("\"EncryptionData\":{", "\"Protocol\":\"2.0\"", "\"EncryptionAlgorithm\":\"AES_GCM_256\"",
                "\"DataLength\":4194304", "\"NonceLength\":12", "\"KeyId\":\"local:kek1\"", "\"Algorithm\":\"A256KW\"")
            .doesNotContain("attack", "EncryptionMode", "ContentEncryptionIV");
        assertThat(raw).doesNotContain("attack");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void sameText_twice_isStoredUnderDifferentKeys(Api api, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        Api.TestQueue queue = QueueFixtures.encryptedClient(api, azurite, plain, QueueMessageEncoding.NONE);

        queue.sendMessage("same");
        queue.sendMessage("same");

        List<String> raw = QueueFixtures.rawTexts(plain);
        assertThat(raw).hasSize(2);
        assertThat(raw.get(0)).isNotEqualTo(raw.get(1));
    }

    @ParameterizedTest
    @MethodSource("dev.cse4j.queue.Api#byEncoding")
    void receive_keepsIdPopReceiptDequeueCountAndTimes(Api api, QueueMessageEncoding encoding, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        Api.TestQueue queue = QueueFixtures.encryptedClient(api, azurite, plain, encoding);
        SendMessageResult sent = queue.sendMessage("first");

        DecryptedPeekedMessageItem peeked = queue.peekMessage();
        assertThat(peeked.getMessageId()).isEqualTo(sent.getMessageId());
        assertThat(peeked.getDequeueCount()).isZero();
        assertThat(peeked.getInsertionTime()).isEqualTo(sent.getInsertionTime());
        assertThat(peeked.getExpirationTime()).isEqualTo(sent.getExpirationTime());
        assertThat(peeked.getMessageText()).isEqualTo("first");

        DecryptedQueueMessageItem first = queue.receiveMessages(1, Duration.ofSeconds(30)).get(0);
        assertThat(first.getMessageId()).isEqualTo(sent.getMessageId());
        assertThat(first.getDequeueCount()).isEqualTo(1);
        assertThat(first.getPopReceipt()).isNotBlank();
        assertThat(first.getInsertionTime()).isEqualTo(sent.getInsertionTime());
        assertThat(first.getExpirationTime()).isEqualTo(sent.getExpirationTime());
        assertThat(first.getTimeNextVisible()).isAfter(sent.getInsertionTime());

        UpdateMessageResult updated = queue.updateMessage(first.getMessageId(), first.getPopReceipt(), "second é€",
            Duration.ZERO);
        DecryptedPeekedMessageItem peekedAfterUpdate = queue.peekMessage();
        assertThat(peekedAfterUpdate.getMessageText()).isEqualTo("second é€");
        assertThat(peekedAfterUpdate.getMessageId()).isEqualTo(sent.getMessageId());

        DecryptedQueueMessageItem second = queue.receiveMessage();
        assertThat(second.getMessageId()).isEqualTo(sent.getMessageId());
        assertThat(second.getDequeueCount()).isEqualTo(2);
        assertThat(second.getMessageText()).isEqualTo("second é€");
        assertThat(second.getPopReceipt()).isNotEqualTo(first.getPopReceipt()).isNotEqualTo(updated.getPopReceipt());

        queue.deleteMessage(second.getMessageId(), second.getPopReceipt());
        assertThat(queue.peekMessage()).isNull();
        assertThat(queue.getProperties().getApproximateMessagesCountLong()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void update_reencryptsUnderAFreshKey_andVisibilityOnlyUpdate_keepsContent(Api api, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        Api.TestQueue queue = QueueFixtures.encryptedClient(api, azurite, plain, QueueMessageEncoding.NONE);
        queue.sendMessage("v1");
        String before = QueueFixtures.onlyRawText(plain);
        DecryptedQueueMessageItem item = queue.receiveMessage();

        UpdateMessageResult sameText = queue.updateMessage(item.getMessageId(), item.getPopReceipt(), "v1",
            Duration.ZERO);
        String afterReencrypt = QueueFixtures.onlyRawText(plain);
        DecryptedQueueMessageItem again = queue.receiveMessage();
        queue.updateMessage(again.getMessageId(), again.getPopReceipt(), null, Duration.ZERO);
        String afterVisibilityOnly = QueueFixtures.onlyRawText(plain);

        assertThat(sameText.getPopReceipt()).isNotBlank();
        assertThat(afterReencrypt).isNotEqualTo(before);
        assertThat(wrappedKeyOf(afterReencrypt)).isNotEqualTo(wrappedKeyOf(before));
        assertThat(afterVisibilityOnly).isEqualTo(afterReencrypt);
        assertThat(queue.receiveMessage().getMessageText()).isEqualTo("v1");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void receiveMessages_batch_decryptsEachInOrder(Api api, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        Api.TestQueue queue = QueueFixtures.encryptedClient(api, azurite, plain, QueueMessageEncoding.NONE);
        for (int i = 0; i < 5; i++) {
            queue.sendMessage("message " + i);
        }

        List<DecryptedQueueMessageItem> received = queue.receiveMessages(32);

        assertThat(received).extracting(DecryptedQueueMessageItem::getMessageText)
            .containsExactly("message 0", "message 1", "message 2", "message 3", "message 4");
        assertThat(queue.peekMessages(32)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void emptyQueue_receiveAndPeek_returnNull(Api api, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        Api.TestQueue queue = QueueFixtures.encryptedClient(api, azurite, plain, QueueMessageEncoding.NONE);

        assertThat(queue.receiveMessage()).isNull();
        assertThat(queue.peekMessage()).isNull();
        assertThat(queue.receiveMessages(32)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void largeRandomBody_roundTrips(Api api, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        Api.TestQueue queue = QueueFixtures.encryptedClient(api, azurite, plain, QueueMessageEncoding.NONE);
        byte[] body = TestData.random(40_000, 7);

        queue.sendMessage(BinaryData.fromBytes(body));

        assertThat(queue.receiveMessage().getBody().toBytes()).isEqualTo(body);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void toString_neverShowsPlaintext(Api api, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        Api.TestQueue queue = QueueFixtures.encryptedClient(api, azurite, plain, QueueMessageEncoding.NONE);
        queue.sendMessage("top secret words");

        DecryptedPeekedMessageItem peeked = queue.peekMessage();
        DecryptedQueueMessageItem received = queue.receiveMessage();

        assertThat(peeked.toString()).doesNotContain("secret").contains(peeked.getMessageId(), "16 bytes");
        assertThat(received.toString()).doesNotContain("secret").contains(received.getMessageId(), "2.0");
        assertThat(queue.toString()).doesNotContain("000102");
    }

    private static String wrappedKeyOf(String envelope) {
        int start = envelope.indexOf("\"EncryptedKey\":\"") + 16;
        return envelope.substring(start, envelope.indexOf('"', start));
    }
}
