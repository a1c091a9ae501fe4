package dev.cse4j.queue;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import com.microsoft.azure.storage.CloudStorageAccount;
import com.microsoft.azure.storage.queue.CloudQueue;
import com.microsoft.azure.storage.queue.CloudQueueMessage;
import com.microsoft.azure.storage.queue.QueueEncryptionPolicy;
import com.microsoft.azure.storage.queue.QueueRequestOptions;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.IndependentCrypto;
import dev.cse4j.testing.KnownAnswerVector;
import dev.cse4j.testing.LegacySdkKey;
import dev.cse4j.testing.Vectors;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Messages written by Microsoft's SDKs read through cse4j, and cse4j's messages checked against the format, with both
 * kinds of client ({@link Api}).
 */
@ExtendWith(AzuriteExtension.class)
class QueueInteropTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @ParameterizedTest
    @EnumSource(Api.class)
    void legacyJava8Sdk_v1Messages_readOnlyWithTheV1OptIn(Api api, Azurite azurite) throws Exception {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        CloudQueue legacy = CloudStorageAccount.parse(azurite.connectionString()).createCloudQueueClient()
            .getQueueReference(plain.getQueueName());
        QueueRequestOptions options = new QueueRequestOptions();
        options.setEncryptionPolicy(new QueueEncryptionPolicy(
            new LegacySdkKey(QueueFixtures.KEK_ID, QueueFixtures.kekBytes()), null));
        List<String> texts = List.of("hello from J8 é € 😀 e\u0301", "", "x".repeat(5000));
        for (String text : texts) {
            legacy.addMessage(new CloudQueueMessage(text), 0, 0, options, null);
        }
        assertThat(QueueFixtures.rawTexts(plain)).allSatisfy(raw -> assertThat(raw)
            .startsWith("{\"EncryptedMessageContents\":").contains("\"Protocol\":\"1.0\"", "Java 8.6.6"));

        Api.TestQueue strict = QueueFixtures.encryptedClient(api, azurite, plain, QueueMessageEncoding.NONE);
        assertThatThrownBy(strict::peekMessage).isInstanceOf(EncryptionPolicyException.class)
            .hasMessageContaining("1.0").hasMessageContaining("allowUnauthenticatedV1Reads(true)")
            .hasMessageNotContaining("hello");

        for (QueueMessageEncoding encoding : QueueMessageEncoding.values()) {
            Api.TestQueue legacyReader = api.build(QueueFixtures.encrypted(azurite, plain.getQueueName(), encoding,
                QueueFixtures.options().allowUnauthenticatedV1Reads(true)));
            List<DecryptedPeekedMessageItem> read = legacyReader.peekMessages(32);
            assertThat(read).extracting(DecryptedPeekedMessageItem::getMessageText).containsExactlyElementsOf(texts);
            assertThat(read).allSatisfy(m -> assertThat(m.getEncryptionData().protocol())
                .isEqualTo(EncryptionProtocol.V1_0));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.cse4j.queue.Api#byEncoding")
    void cse4jMessage_decryptsWithTheJdkAlone_followingTheFormat(Api api, QueueMessageEncoding encoding, Azurite azurite)
        throws Exception {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        Api.TestQueue queue = QueueFixtures.encryptedClient(api, azurite, plain, encoding);
        String text = "known answer é € 😀 e\u0301";
        queue.sendMessage(text);

        String raw = QueueFixtures.onlyRawText(plain);
        String json = encoding == QueueMessageEncoding.BASE64
            ? new String(Base64.getDecoder().decode(raw), StandardCharsets.UTF_8) : raw;
        Map<String, Object> envelope = parse(json);
        assertThat(envelope).containsOnlyKeys("EncryptedMessageContents", "EncryptionData");
        Map<String, Object> data = map(envelope, "EncryptionData");
        assertThat(data).containsOnlyKeys("WrappedContentKey", "EncryptionAgent", "EncryptedRegionInfo",
            "KeyWrappingMetadata");
        assertThat(map(data, "EncryptionAgent")).containsExactlyInAnyOrderEntriesOf(
            Map.of("Protocol", "2.0", "EncryptionAlgorithm", "AES_GCM_256"));
        assertThat(map(data, "EncryptedRegionInfo")).containsExactlyInAnyOrderEntriesOf(
            Map.of("DataLength", 4194304, "NonceLength", 12));
        assertThat((String) map(data, "KeyWrappingMetadata").get("EncryptionLibrary")).startsWith("cse4j ")
            .doesNotContain("Java");
        Map<String, Object> wrapped = map(data, "WrappedContentKey");
        assertThat(wrapped).containsEntry("KeyId", QueueFixtures.KEK_ID).containsEntry("Algorithm", "A256KW");

        byte[] unwrapped = IndependentCrypto.aesUnwrap(QueueFixtures.kekBytes(),
            Base64.getDecoder().decode((String) wrapped.get("EncryptedKey")));
        assertThat(unwrapped).hasSize(40);
        assertThat(Arrays.copyOf(unwrapped, 8)).isEqualTo(new byte[] {'2', '.', '0', 0, 0, 0, 0, 0});
        byte[] region = Base64.getDecoder().decode((String) envelope.get("EncryptedMessageContents"));
        assertThat(region).hasSize(text.getBytes(StandardCharsets.UTF_8).length + 28);
        byte[] plaintext = IndependentCrypto.gcmOpen(Arrays.copyOfRange(unwrapped, 8, 40), region);
        assertThat(new String(plaintext, StandardCharsets.UTF_8)).isEqualTo(text);
    }

    @ParameterizedTest
    @MethodSource("dev.cse4j.queue.Api#byEncoding")
    void pythonSdkVector_v2RandomNonceSpacedJson_decrypts(Api api, QueueMessageEncoding encoding, Azurite azurite) {
        KnownAnswerVector vector = Vectors.load(Vectors.PYTHON_SDK, "queue-v2.0");
        QueueClient plain = QueueFixtures.newQueue(azurite);
        plain.sendMessage(vector.rawMessageText());

        DecryptedQueueMessageItem item = QueueFixtures.encryptedClient(api, azurite, plain, encoding).receiveMessage();

        assertThat(item.getBody().toBytes()).isEqualTo(vector.plaintext());
        assertThat(item.getMessageText()).isEqualTo(vector.plaintextUtf8());
        assertThat(item.getEncryptionData().encryptionLibrary()).startsWith("Python");
    }

    @ParameterizedTest
    @MethodSource("dev.cse4j.queue.Api#byEncoding")
    void java8LegacyVector_v1_decryptsWithOptIn(Api api, QueueMessageEncoding encoding, Azurite azurite) {
        KnownAnswerVector vector = Vectors.load(Vectors.JAVA8_LEGACY_SDK, "queue-v1");
        QueueClient plain = QueueFixtures.newQueue(azurite);
        plain.sendMessage(vector.rawMessageText());

        DecryptedQueueMessageItem item = api.build(QueueFixtures.encrypted(azurite, plain.getQueueName(), encoding,
            QueueFixtures.options().allowUnauthenticatedV1Reads(true))).receiveMessage();

        assertThat(item.getBody().toBytes()).isEqualTo(vector.plaintext());
        assertThat(item.getEncryptionData().protocol()).isEqualTo(EncryptionProtocol.V1_0);
    }

    /**
     * .NET encrypts first, then applies its message encoding: with Base64 the whole envelope is base64-encoded. Its
     * region nonce is its counter: 4 zero bytes, then 1 as 8 bytes little-endian. Built here from the format.
     */
    @ParameterizedTest
    @MethodSource("dev.cse4j.queue.Api#byEncoding")
    void dotNetStyleMessage_base64EncodedWholeWithCounterNonce_decrypts(Api api, QueueMessageEncoding encoding,
        Azurite azurite) throws Exception {
        String text = "from .NET: é € 😀";
        String envelope = dotNetEnvelope(text.getBytes(StandardCharsets.UTF_8));
        QueueClient plain = QueueFixtures.newQueue(azurite);
        plain.sendMessage(Base64.getEncoder().encodeToString(envelope.getBytes(StandardCharsets.UTF_8)));
        plain.sendMessage(envelope);

        List<DecryptedQueueMessageItem> items = QueueFixtures.encryptedClient(api, azurite, plain, encoding)
            .receiveMessages(2);

        assertThat(items).extracting(DecryptedQueueMessageItem::getMessageText).containsExactly(text, text);
    }

    private static String dotNetEnvelope(byte[] plaintext) throws Exception {
        byte[] cek = new byte[32];
        RANDOM.nextBytes(cek);
        byte[] nonce = {0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0};
        byte[] region = IndependentCrypto.gcmSeal(cek, nonce, plaintext);
        byte[] wrapped = IndependentCrypto.aesWrap(QueueFixtures.kekBytes(), IndependentCrypto.v2Payload(cek));
        return "{\"EncryptedMessageContents\":\"" + Base64.getEncoder().encodeToString(region) + "\","
            + "\"EncryptionData\":{\"EncryptionMode\":null,"
            + "\"WrappedContentKey\":{\"KeyId\":\"" + QueueFixtures.KEK_ID + "\",\"EncryptedKey\":\""
            + Base64.getEncoder().encodeToString(wrapped) + "\",\"Algorithm\":\"A256KW\"},"
            + "\"EncryptionAgent\":{\"Protocol\":\"2.0\",\"EncryptionAlgorithm\":\"AES_GCM_256\"},"
            + "\"EncryptedRegionInfo\":{\"DataLength\":4194304,\"NonceLength\":12},"
            + "\"KeyWrappingMetadata\":{\"EncryptionLibrary\":\"azsdk-net-Storage.Queues/12.20.0 (.NET 8.0; Linux)\"}}}";
    }

    private static Map<String, Object> parse(String json) throws Exception {
        try (JsonReader reader = JsonProviders.createReader(json)) {
            return reader.readMap(JsonReader::readUntyped);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String name) {
        return (Map<String, Object>) parent.get(name);
    }
}
