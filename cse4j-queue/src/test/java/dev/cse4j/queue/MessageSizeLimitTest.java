package dev.cse4j.queue;

import com.azure.core.util.BinaryData;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.implementation.EncryptionSettings;
import dev.cse4j.keys.AesKeyWrapKey;
import dev.cse4j.keys.KeyWrapAlgorithm;
import dev.cse4j.keys.RsaKeyEncryptionKey;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The service's 64 KiB limit, checked exactly before anything is sent, by both kinds of client ({@link Api}). */
@ExtendWith(AzuriteExtension.class)
class MessageSizeLimitTest {
    private static final int LIMIT = 64 * 1024;
    private static RsaKeyEncryptionKey rsa;

    @BeforeAll
    static void rsaKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(3072);
        KeyPair pair = generator.generateKeyPair();
        rsa = RsaKeyEncryptionKey.of("https://vault.example/keys/queue-kek/0123456789abcdef", pair);
    }

    /**
     * The exact boundary on the service: the largest plaintext the exception names is sent and read back; one byte
     * more is refused before any request. The largest size is also derived here independently, from the stored
     * envelope's length.
     */
    @ParameterizedTest
    @MethodSource("dev.cse4j.queue.Api#byEncoding")
    void largestFittingPlaintext_isSent_andOneMoreByte_isRefusedWithoutAServiceCall(Api api,
        QueueMessageEncoding encoding, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        CountingHttpClient http = new CountingHttpClient();
        Api.TestQueue queue = api.build(QueueFixtures.encrypted(azurite, plain.getQueueName(), encoding)
            .httpClient(http));
        queue.sendMessage("x");
        int expectedMax = independentMaxPlaintext(QueueFixtures.onlyRawText(plain), encoding);
        plain.clearMessages();

        QueueMessageTooLargeException tooLarge = catchTooLarge(() -> queue.sendMessage(new String(new byte[LIMIT],
            StandardCharsets.ISO_8859_1)));
        long max = tooLarge.getMaxPlaintextBytes();
        assertThat(max).isEqualTo(expectedMax);

        String fits = unicodeTextOfUtf8Length((int) max);
        int before = http.requests();
        queue.sendMessage(fits);
        assertThat(http.requests()).isEqualTo(before + 1);
        String stored = QueueFixtures.onlyRawText(plain);
        assertThat(stored.getBytes(StandardCharsets.UTF_8).length).isBetween(LIMIT - 3, LIMIT);
        assertThat(queue.receiveMessage().getMessageText()).isEqualTo(fits);

        int beforeRefusal = http.requests();
        QueueMessageTooLargeException refused = catchTooLarge(() -> queue.sendMessage(fits + "a"));
        assertThat(http.requests()).as("no request for a refused message").isEqualTo(beforeRefusal);
        assertThat(refused.getPlaintextBytes()).isEqualTo(max + 1);
        assertThat(refused.getMaxPlaintextBytes()).isEqualTo(max);
        assertThat(refused.getMessageBytes()).isGreaterThan(LIMIT);
        assertThat(refused.getMaxMessageBytes()).isEqualTo(LIMIT);
        assertThat(refused).hasMessageContaining("largest plaintext that fits is " + max + " bytes")
            .hasMessageContaining("Nothing was sent");
        assertThatThrownBy(() -> queue.sendMessage(BinaryData.fromBytes(new byte[(int) max + 1])))
            .isInstanceOf(QueueMessageTooLargeException.class);
        assertThat(http.requests()).isEqualTo(beforeRefusal);
        assertThat(QueueFixtures.rawTexts(plain)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void update_withOversizeText_isRefusedAndLeavesMessageUnchanged(Api api, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        Api.TestQueue queue = QueueFixtures.encryptedClient(api, azurite, plain, QueueMessageEncoding.NONE);
        queue.sendMessage("small");
        DecryptedQueueMessageItem item = queue.receiveMessage();

        assertThatThrownBy(() -> queue.updateMessage(item.getMessageId(), item.getPopReceipt(), "y".repeat(LIMIT),
            java.time.Duration.ZERO)).isInstanceOf(QueueMessageTooLargeException.class);
        queue.updateMessage(item.getMessageId(), item.getPopReceipt(), null, java.time.Duration.ZERO);

        assertThat(queue.receiveMessage().getMessageText()).isEqualTo("small");
    }

    @Test
    void rsaKeyAndLongKeyId_leaveLessRoom_andTheLimitStaysExact() {
        for (QueueMessageEncoding encoding : QueueMessageEncoding.values()) {
            long aes = maxFor(QueueFixtures.kek(), KeyWrapAlgorithm.A256KW, encoding);
            long rsaMax = maxFor(rsa, KeyWrapAlgorithm.RSA_OAEP_256, encoding);
            AesKeyWrapKey longId = AesKeyWrapKey.of("k".repeat(2000) + "-é€", QueueFixtures.kekBytes());
            long longIdMax = maxFor(longId, KeyWrapAlgorithm.A256KW, encoding);
            assertThat(rsaMax).isLessThan(aes);
            assertThat(longIdMax).isLessThan(aes);
        }
    }

    @Test
    void keyIdSoLongThatNothingFits_isRefusedSayingSo() {
        AesKeyWrapKey huge = AesKeyWrapKey.of("k".repeat(LIMIT), QueueFixtures.kekBytes());
        MessageEncryptor encryptor = new MessageEncryptor(EncryptionSettings.of(
            ClientSideEncryptionOptions.builder().key(huge, KeyWrapAlgorithm.A256KW).build()), QueueMessageEncoding.NONE);

        QueueMessageTooLargeException e = catchTooLarge(() -> encryptor.encrypt(new byte[0]));

        assertThat(e.getMaxPlaintextBytes()).isEqualTo(-1);
        assertThat(e).hasMessageContaining("Not even an empty message fits");
    }

    /** Every size from 0 to past the limit: the encryptor accepts exactly the sizes up to the maximum it reports. */
    private static long maxFor(com.azure.core.cryptography.KeyEncryptionKey key, String algorithm,
        QueueMessageEncoding encoding) {
        MessageEncryptor encryptor = new MessageEncryptor(EncryptionSettings.of(
            ClientSideEncryptionOptions.builder().key(key, algorithm).build()), encoding);
        long max = catchTooLarge(() -> encryptor.encrypt(new byte[LIMIT])).getMaxPlaintextBytes();
        for (long n : List.of(0L, 1L, max - 2, max - 1, max)) {
            String text = encryptor.encrypt(new byte[(int) n]);
            assertThat(text.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(LIMIT);
        }
        for (long n : List.of(max + 1, max + 2, max + 3, max + 4)) {
            assertThat(catchTooLarge(() -> encryptor.encrypt(new byte[(int) n])).getMaxPlaintextBytes())
                .isEqualTo(max);
        }
        return max;
    }

    /** From the stored text of a 1-byte message: the envelope's fixed part, then the arithmetic done afresh. */
    private static int independentMaxPlaintext(String storedText, QueueMessageEncoding encoding) {
        String envelope = encoding == QueueMessageEncoding.BASE64
            ? new String(Base64.getDecoder().decode(storedText), StandardCharsets.UTF_8) : storedText;
        int contentsLength = base64Length(1 + 28);
        int fixed = envelope.getBytes(StandardCharsets.UTF_8).length - contentsLength;
        for (int n = LIMIT; n >= 0; n--) {
            int envelopeLength = fixed + base64Length(n + 28);
            int sent = encoding == QueueMessageEncoding.BASE64 ? (envelopeLength + 2) / 3 * 4 : envelopeLength;
            if (sent <= LIMIT) {
                return n;
            }
        }
        return -1;
    }

    /** The length of padded base64 of {@code bytes} bytes (RFC 4648: 4 characters per started 3 bytes). */
    private static int base64Length(int bytes) {
        return (bytes + 2) / 3 * 4;
    }

    /** A text of exactly {@code bytes} UTF-8 bytes made mostly of multi-byte characters. */
    private static String unicodeTextOfUtf8Length(int bytes) {
        StringBuilder text = new StringBuilder();
        String[] pieces = {"€", "😀", "é", "e\u0301"};
        int length = 0;
        for (int i = 0; ; i++) {
            String piece = pieces[i % pieces.length];
            int pieceLength = piece.getBytes(StandardCharsets.UTF_8).length;
            if (length + pieceLength > bytes) {
                break;
            }
            text.append(piece);
            length += pieceLength;
        }
        text.append("a".repeat(bytes - length));
        return text.toString();
    }

    private static QueueMessageTooLargeException catchTooLarge(Runnable send) {
        try {
            send.run();
        } catch (QueueMessageTooLargeException e) {
            return e;
        }
        throw new AssertionError("Expected a QueueMessageTooLargeException");
    }
}
