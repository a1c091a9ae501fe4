package dev.cse4j.queue;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import dev.cse4j.core.ClientSideEncryptionException;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.IntegrityException;
import dev.cse4j.core.KeyResolutionException;
import dev.cse4j.core.KeyWrapException;
import dev.cse4j.core.MalformedEncryptionDataException;
import dev.cse4j.core.implementation.EncryptionSettings;
import dev.cse4j.keys.AesKeyWrapKey;
import dev.cse4j.keys.KeyWrapAlgorithm;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static dev.cse4j.queue.EnvelopeEdits.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every way a stored message can be altered: each member of the envelope and of its EncryptionData, the ciphertext,
 * nonce and tag bytes, the key. Each alteration gives its typed exception, naming the message, with no plaintext
 * returned or shown, from both kinds of client ({@link Api}).
 */
@ExtendWith(AzuriteExtension.class)
class QueueTamperTest {
    private static final String SECRET = "the secret plaintext é€😀";
    private static final int SECRET_BYTES = SECRET.getBytes(StandardCharsets.UTF_8).length;
    private static String original;
    private static String other;

    @BeforeAll
    static void envelopes() {
        MessageEncryptor encryptor = new MessageEncryptor(EncryptionSettings.of(QueueFixtures.options()
            .build()), QueueMessageEncoding.NONE);
        original = encryptor.encrypt(SECRET.getBytes(StandardCharsets.UTF_8));
        other = encryptor.encrypt("another message of the same key".getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> tamperings() {
        return Stream.of(
            // the GCM region: nonce(12) ‖ ciphertext ‖ tag(16)
            tamper("nonce byte flipped", IntegrityException.class, e -> EnvelopeEdits.flipContentsByte(e, 0)),
            tamper("last nonce byte flipped", IntegrityException.class, e -> EnvelopeEdits.flipContentsByte(e, 11)),
            tamper("first ciphertext byte flipped", IntegrityException.class,
                e -> EnvelopeEdits.flipContentsByte(e, 12)),
            tamper("last ciphertext byte flipped", IntegrityException.class,
                e -> EnvelopeEdits.flipContentsByte(e, 12 + SECRET_BYTES - 1)),
            tamper("tag byte flipped", IntegrityException.class, e -> EnvelopeEdits.flipContentsByte(e, -1)),
            tamper("first tag byte flipped", IntegrityException.class, e -> EnvelopeEdits.flipContentsByte(e, -16)),
            tamper("region truncated by one byte", IntegrityException.class,
                e -> EnvelopeEdits.editContents(e, c -> c[0] = Arrays.copyOf(c[0], c[0].length - 1))),
            tamper("region cut to the nonce and tag of nothing", IntegrityException.class,
                e -> EnvelopeEdits.editContents(e, c -> c[0] = Arrays.copyOf(c[0], 27))),
            tamper("byte appended to the region", IntegrityException.class,
                e -> EnvelopeEdits.editContents(e, c -> c[0] = Arrays.copyOf(c[0], c[0].length + 1))),
            tamper("contents empty", IntegrityException.class,
                e -> EnvelopeEdits.editJson(e, t -> t.put("EncryptedMessageContents", ""))),
            tamper("contents of another message", IntegrityException.class,
                e -> EnvelopeEdits.editJson(e, t -> t.put("EncryptedMessageContents",
                    EnvelopeEdits.parse(other).get("EncryptedMessageContents")))),
            // the envelope's members
            tamper("contents not base64", MalformedEncryptionDataException.class,
                e -> EnvelopeEdits.editJson(e, t -> t.put("EncryptedMessageContents", "!!not base64!!"))),
            tamper("contents a number", MalformedEncryptionDataException.class,
                e -> EnvelopeEdits.editJson(e, t -> t.put("EncryptedMessageContents", 12))),
            tamper("contents removed", MalformedEncryptionDataException.class,
                e -> EnvelopeEdits.editJson(e, t -> t.remove("EncryptedMessageContents"))),
            tamper("EncryptionData removed", MalformedEncryptionDataException.class,
                e -> EnvelopeEdits.editJson(e, t -> t.remove("EncryptionData"))),
            tamper("EncryptionData null", MalformedEncryptionDataException.class,
                e -> EnvelopeEdits.editJson(e, t -> t.put("EncryptionData", null))),
            tamper("contents twice, other case", MalformedEncryptionDataException.class,
                e -> e.replaceFirst("\\{", "{\"encryptedMessageContents\":\"AAAA\",")),
            tamper("EncryptionData twice", MalformedEncryptionDataException.class,
                e -> e.substring(0, e.length() - 1) + ",\"EncryptionData\":{}}"),
            tamper("content after the closing brace", MalformedEncryptionDataException.class, e -> e + " {}"),
            tamper("JSON truncated", MalformedEncryptionDataException.class, e -> e.substring(0, e.length() - 3)),
            // EncryptionData's members
            tamper("key id changed", KeyResolutionException.class,
                e -> EnvelopeEdits.editJson(e, t -> member(t, "EncryptionData", "WrappedContentKey")
                    .put("KeyId", "local:someone-else"))),
            tamper("key id removed", MalformedEncryptionDataException.class,
                e -> EnvelopeEdits.editJson(e, t -> member(t, "EncryptionData", "WrappedContentKey")
                    .remove("KeyId"))),
            tamper("wrapped key byte flipped", KeyWrapException.class,
                e -> EnvelopeEdits.editJson(e, t -> flipWrappedKey(member(t, "EncryptionData", "WrappedContentKey")))),
            tamper("wrapped key of another message", IntegrityException.class,
                e -> EnvelopeEdits.editJson(e, t -> member(t, "EncryptionData", "WrappedContentKey").put(
                    "EncryptedKey", member(EnvelopeEdits.parse(other), "EncryptionData", "WrappedContentKey")
                        .get("EncryptedKey")))),
            tamper("wrapped key not base64", MalformedEncryptionDataException.class,
                e -> EnvelopeEdits.editJson(e, t -> member(t, "EncryptionData", "WrappedContentKey")
                    .put("EncryptedKey", "%%%"))),
            tamper("wrap algorithm changed", KeyWrapException.class,
                e -> EnvelopeEdits.editJson(e, t -> member(t, "EncryptionData", "WrappedContentKey")
                    .put("Algorithm", "RSA-OAEP"))),
            tamper("WrappedContentKey removed", MalformedEncryptionDataException.class,
                e -> EnvelopeEdits.editJson(e, t -> member(t, "EncryptionData").remove("WrappedContentKey"))),
            tamper("protocol 2.1", MalformedEncryptionDataException.class,
                e -> EnvelopeEdits.editJson(e, t -> member(t, "EncryptionData", "EncryptionAgent")
                    .put("Protocol", "2.1"))),
            tamper("protocol unknown", MalformedEncryptionDataException.class,
                e -> EnvelopeEdits.editJson(e, t -> member(t, "EncryptionData", "EncryptionAgent")
                    .put("Protocol", "3.0"))),
            tamper("algorithm not the protocol's", MalformedEncryptionDataException.class,
                e -> EnvelopeEdits.editJson(e, t -> member(t, "EncryptionData", "EncryptionAgent")
                    .put("EncryptionAlgorithm", "AES_CBC_256"))),
            tamper("EncryptionAgent removed", MalformedEncryptionDataException.class,
                e -> EnvelopeEdits.editJson(e, t -> member(t, "EncryptionData").remove("EncryptionAgent"))),
            tamper("region length other than protocol 2.0's 4 MiB", MalformedEncryptionDataException.class,
                e -> EnvelopeEdits.editJson(e, t -> member(t, "EncryptionData", "EncryptedRegionInfo")
                    .put("DataLength", 16))),
            tamper("region length invalid", MalformedEncryptionDataException.class,
                e -> EnvelopeEdits.editJson(e, t -> member(t, "EncryptionData", "EncryptedRegionInfo")
                    .put("DataLength", 0))),
            tamper("nonce length changed", MalformedEncryptionDataException.class,
                e -> EnvelopeEdits.editJson(e, t -> member(t, "EncryptionData", "EncryptedRegionInfo")
                    .put("NonceLength", 16))),
            tamper("EncryptedRegionInfo removed", MalformedEncryptionDataException.class,
                e -> EnvelopeEdits.editJson(e, t -> member(t, "EncryptionData").remove("EncryptedRegionInfo"))),
            tamper("IV added to a 2.0 message", MalformedEncryptionDataException.class,
                e -> EnvelopeEdits.editJson(e, t -> member(t, "EncryptionData")
                    .put("ContentEncryptionIV", Base64.getEncoder().encodeToString(new byte[16])))),
            tamper("downgraded to 1.0 (refused by policy first)", EncryptionPolicyException.class,
                QueueTamperTest::downgradeToV1),
            // the .NET form: the whole envelope base64-encoded
            tamper("base64 form, tag byte flipped", IntegrityException.class,
                e -> base64(EnvelopeEdits.flipContentsByte(e, -1))),
            tamper("base64 form, key id changed", KeyResolutionException.class,
                e -> base64(EnvelopeEdits.editJson(e, t -> member(t, "EncryptionData", "WrappedContentKey")
                    .put("KeyId", "local:someone-else")))),
            tamper("base64 form, damaged JSON", MalformedEncryptionDataException.class,
                e -> base64(e.substring(0, e.length() - 1))));
    }

    /** Every tampering, read by each kind of client. */
    static Stream<Arguments> tamperingsByApi() {
        return Stream.of(Api.values()).flatMap(api -> tamperings().map(a -> Arguments.of(api, a.get()[0],
            a.get()[1], a.get()[2])));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("tamperingsByApi")
    void alteredMessage_throwsTypedException_namingTheMessage_withoutPlaintext(Api api, String name,
        Class<? extends ClientSideEncryptionException> expected, UnaryOperator<String> tamper, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        String id = plain.sendMessage(tamper.apply(original)).getMessageId();
        Api.TestQueue queue = QueueFixtures.encryptedClient(api, azurite, plain, QueueMessageEncoding.NONE);

        assertThatThrownBy(queue::peekMessage).isInstanceOf(expected)
            .hasMessageContaining("Message '" + id + "'")
            .satisfies(e -> assertNoPlaintext(e));
        assertThatThrownBy(queue::receiveMessage).isInstanceOf(expected);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void unalteredOriginal_decrypts(Api api, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        plain.sendMessage(original);

        assertThat(QueueFixtures.encryptedClient(api, azurite, plain, QueueMessageEncoding.NONE).receiveMessage()
            .getMessageText()).isEqualTo(SECRET);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void downgradeTo1_0_withV1ReadsAllowed_isDetectedByTheKeyWrapPrefix(Api api, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        plain.sendMessage(downgradeToV1(original));
        Api.TestQueue queue = api.build(QueueFixtures.encrypted(azurite, plain.getQueueName(),
            QueueMessageEncoding.NONE, QueueFixtures.options().allowUnauthenticatedV1Reads(true)));

        assertThatThrownBy(queue::receiveMessage).isInstanceOf(IntegrityException.class)
            .hasMessageContaining("downgrade").satisfies(QueueTamperTest::assertNoPlaintext);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void alteredAgentString_isNotAuthenticated_andChangesNothing(Api api, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        plain.sendMessage(EnvelopeEdits.editJson(original, t -> member(t, "EncryptionData", "KeyWrappingMetadata")
            .put("EncryptionLibrary", "someone else")));

        DecryptedQueueMessageItem item = QueueFixtures.encryptedClient(api, azurite, plain, QueueMessageEncoding.NONE)
            .receiveMessage();

        assertThat(item.getMessageText()).isEqualTo(SECRET);
        assertThat(item.getEncryptionData().encryptionLibrary()).isEqualTo("someone else");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void wrongKeyWithTheSameId_failsToUnwrap(Api api, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        plain.sendMessage(original);
        byte[] wrongBytes = QueueFixtures.kekBytes();
        wrongBytes[31] ^= 1;
        Api.TestQueue queue = api.build(QueueFixtures.encrypted(azurite, plain.getQueueName(),
            QueueMessageEncoding.NONE, ClientSideEncryptionOptions.builder().key(AesKeyWrapKey.of(QueueFixtures.KEK_ID,
                wrongBytes), KeyWrapAlgorithm.A256KW)));

        assertThatThrownBy(queue::receiveMessage).isInstanceOf(KeyWrapException.class)
            .satisfies(QueueTamperTest::assertNoPlaintext);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void otherKeyId_andResolverWithoutIt_failToResolve(Api api, Azurite azurite) {
        QueueClient plain = QueueFixtures.newQueue(azurite);
        plain.sendMessage(original);
        Api.TestQueue otherKey = api.build(QueueFixtures.encrypted(azurite, plain.getQueueName(),
            QueueMessageEncoding.NONE, ClientSideEncryptionOptions.builder().key(QueueFixtures.otherKek(),
                KeyWrapAlgorithm.A256KW)));
        Api.TestQueue emptyResolver = api.build(QueueFixtures.encrypted(azurite, plain.getQueueName(),
            QueueMessageEncoding.NONE, ClientSideEncryptionOptions.builder().keyResolver(keyId -> null)));

        assertThatThrownBy(otherKey::peekMessage).isInstanceOf(KeyResolutionException.class)
            .hasMessageContaining(QueueFixtures.KEK_ID)
            .satisfies(e -> assertThat(((KeyResolutionException) e).getReason())
                .isEqualTo(KeyResolutionException.Reason.KEY_ID_MISMATCH));
        assertThatThrownBy(emptyResolver::peekMessage).isInstanceOf(KeyResolutionException.class)
            .satisfies(e -> assertThat(((KeyResolutionException) e).getReason())
                .isEqualTo(KeyResolutionException.Reason.KEY_NOT_FOUND));
    }

    /** 2.0 relabelled as 1.0 (AES_CBC_256, an IV added, region info removed): a protocol downgrade. */
    private static String downgradeToV1(String envelope) {
        return EnvelopeEdits.editJson(envelope, t -> {
            Map<String, Object> data = member(t, "EncryptionData");
            data.put("EncryptionAgent", new LinkedHashMap<>(Map.of("Protocol", "1.0",
                "EncryptionAlgorithm", "AES_CBC_256")));
            data.remove("EncryptedRegionInfo");
            data.put("ContentEncryptionIV", Base64.getEncoder().encodeToString(new byte[16]));
        });
    }

    private static void flipWrappedKey(Map<String, Object> wrappedContentKey) {
        byte[] key = Base64.getDecoder().decode((String) wrappedContentKey.get("EncryptedKey"));
        key[5] ^= 1;
        wrappedContentKey.put("EncryptedKey", Base64.getEncoder().encodeToString(key));
    }

    private static String base64(String envelope) {
        return Base64.getEncoder().encodeToString(envelope.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertNoPlaintext(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain("secret", "plaintext é");
        }
    }

    private static Arguments tamper(String name, Class<? extends ClientSideEncryptionException> expected,
        UnaryOperator<String> tamper) {
        return Arguments.of(name, expected, tamper);
    }
}
