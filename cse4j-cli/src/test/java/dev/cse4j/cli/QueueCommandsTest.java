package dev.cse4j.cli;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueServiceClientBuilder;
import com.azure.storage.queue.models.QueueMessageItem;
import com.azure.storage.queue.models.SendMessageResult;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.keys.JsonWebKey;
import dev.cse4j.keys.JsonWebKeySet;
import dev.cse4j.queue.EncryptedQueueClient;
import dev.cse4j.queue.EncryptedQueueClientBuilder;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.KnownAnswerVector;
import dev.cse4j.testing.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(AzuriteExtension.class)
class QueueCommandsTest {
    private final Azurite azurite;
    private final String queue = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    private final QueueClient plain;

    @TempDir
    Path folder;

    QueueCommandsTest(Azurite azurite) {
        this.azurite = azurite;
        this.plain = new QueueServiceClientBuilder().connectionString(azurite.connectionString()).buildClient()
            .getQueueClient(queue);
    }

    private CliRun.Result cse4j(String... args) {
        return CliRun.run(CliRun.args(List.of(args), "--connection-string", azurite.connectionString()));
    }

    private CliRun.Result send(String text, Path key, String... more) {
        return cse4j(CliRun.args(List.of("queue", "send", "--queue", queue, "--message", text, "--key",
            key.toString()), more));
    }

    private CliRun.Result peek(Path key, String... more) {
        return cse4j(CliRun.args(List.of("queue", "peek", "--queue", queue, "--key", key.toString()), more));
    }

    private CliRun.Result receive(Path key, String... more) {
        return cse4j(CliRun.args(List.of("queue", "receive", "--queue", queue, "--key", key.toString()), more));
    }

    @Test
    void sendLine_escapesTheMessageIdTheServiceReturned() {
        JsonWebKey key = JsonWebKey.generateAes(256, "q-key");

        String line = QueueSendCommand.sentLine(new SendMessageResult().setMessageId("id\u001b[2J\u0007\r"), queue,
            new WriteKeyOptions.WritingKey(key.toKeyEncryptionKey(), "A256KW", key.keyId()));

        assertThat(line).isEqualTo("Sent message id\\x1b[2J\\x07\\x0d to queue '" + queue + "', encrypted with key "
            + "'q-key' (A256KW).");
    }

    @Test
    void send_thenReceive_printsEachTextOnItsOwnLineInOrder_deletesThem_andAnEmptyQueueExits1() {
        Path key = KeyFiles.aes(folder, "q-key");

        CliRun.Result sent = send("first", key);
        send("second: ünïcødé ✓", key);
        send("third", key);
        CliRun.Result two = receive(key, "--max", "2");
        CliRun.Result rest = receive(key);
        CliRun.Result empty = receive(key);

        assertThat(sent.exitCode()).as(sent.toString()).isZero();
        assertThat(sent.out()).contains("queue '" + queue + "'", "'q-key' (A256KW)");
        assertThat(plain.getProperties().getApproximateMessagesCountLong()).isZero();
        assertThat(two.exitCode()).as(two.toString()).isZero();
        assertThat(two.out()).isEqualTo("first\nsecond: ünïcødé ✓\n");
        assertThat(rest.out()).isEqualTo("third\n");
        assertThat(empty.exitCode()).as(empty.toString()).isZero();
        assertThat(empty.out()).isEmpty();
    }

    @Test
    void send_storesAnEncryptedEnvelope_notThePlaintext() {
        send("top secret text", KeyFiles.rsa(folder, "rsa-q"));

        QueueMessageItem raw = plain.receiveMessage();

        String text = raw.getBody().toString();
        assertThat(text).doesNotContain("top secret").contains("\"EncryptedMessageContents\"", "\"KeyId\":\"rsa-q\"",
            "\"Algorithm\":\"RSA-OAEP-256\"", "\"Protocol\":\"2.0\"");
    }

    @Test
    void receive_maxAbove32_makesSeveralRequests() {
        Path key = KeyFiles.aes(folder, "k");
        EncryptedQueueClient client = new EncryptedQueueClientBuilder().connectionString(azurite.connectionString())
            .queueName(queue).clientSideEncryptionOptions(ClientSideEncryptionOptions.builder()
                .key(JsonWebKeySet.read(key).single().toKeyEncryptionKey(), "A256KW").build())
            .buildEncryptedQueueClient();
        client.create();
        for (int i = 0; i < 35; i++) {
            client.sendMessage("m" + i);
        }

        CliRun.Result all = receive(key, "--max", "40");

        assertThat(all.exitCode()).as(all.toString()).isZero();
        assertThat(all.out().split("\n")).hasSize(35).contains("m0", "m34");
        assertThat(plain.getProperties().getApproximateMessagesCountLong()).isZero();
    }

    @Test
    void send_keySetWithKeyId_andReceiveResolvesFromTheSet() {
        Path set = KeyFiles.set(folder, "set.jwks", JsonWebKey.generateAes(128, "small"),
            JsonWebKey.generateAes(256, "big"));

        CliRun.Result sent = send("by id", set, "--key-id", "small");
        CliRun.Result received = receive(set);

        assertThat(sent.exitCode()).as(sent.toString()).isZero();
        assertThat(sent.out()).contains("'small' (A128KW)");
        assertThat(received.out()).isEqualTo("by id\n");
    }

    @Test
    void receive_unknownKeyId_exits4_andLeavesTheMessageOnTheQueue() {
        send("kept", KeyFiles.aes(folder, "writer"));

        CliRun.Result received = receive(KeyFiles.aes(folder, "reader"));

        assertThat(received.exitCode()).as(received.toString()).isEqualTo(4);
        assertThat(received.out()).isEmpty();
        assertThat(received.errLines()).singleElement().asString().contains("'writer'", "reader.jwk", "left on queue");
        assertThat(plain.getProperties().getApproximateMessagesCountLong()).isEqualTo(1L);
    }

    @Test
    void receive_tamperedMessage_exits3_butStillPrintsAndDeletesTheGoodOnes() {
        Path key = KeyFiles.aes(folder, "k");
        send("will be tampered", key);
        QueueMessageItem raw = plain.receiveMessage();
        plain.deleteMessage(raw.getMessageId(), raw.getPopReceipt());
        String envelope = raw.getBody().toString();
        String contents = envelope.replaceAll(".*\"EncryptedMessageContents\":\"([^\"]+)\".*", "$1");
        byte[] bytes = Base64.getDecoder().decode(contents);
        bytes[bytes.length - 1] ^= 1;
        plain.sendMessage(envelope.replace(contents, Base64.getEncoder().encodeToString(bytes)));
        send("fine", key);

        CliRun.Result received = receive(key);

        assertThat(received.exitCode()).as(received.toString()).isEqualTo(3);
        assertThat(received.out()).isEqualTo("fine\n");
        assertThat(received.errLines()).singleElement().asString().contains("1 message(s)");
    }

    @Test
    void receive_unencryptedMessage_exits5() {
        plain.create();
        plain.sendMessage("plain text");

        CliRun.Result received = receive(KeyFiles.aes(folder, "k"));

        assertThat(received.exitCode()).as(received.toString()).isEqualTo(5);
        assertThat(received.out()).isEmpty();
    }

    @Test
    void receive_legacyV1MessageFromTheJava8Sdk_exits5_andIsDecryptedWithAllowV1() throws InterruptedException {
        KnownAnswerVector vector = Vectors.load(Vectors.JAVA8_LEGACY_SDK, "queue-v1");
        plain.create();
        plain.sendMessage(vector.rawMessageText());
        Path key = KeyFiles.vectorKek(folder, Vectors.JAVA8_LEGACY_SDK);

        CliRun.Result refused = receive(key);
        plain.clearMessages();
        plain.sendMessage(vector.rawMessageText());
        CliRun.Result allowed = receive(key, "--allow-v1");

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(5);
        assertThat(refused.errLines()).singleElement().asString().contains("--allow-v1")
            .doesNotContain("allowUnauthenticatedV1Reads");
        assertThat(allowed.exitCode()).as(allowed.toString()).isZero();
        assertThat(allowed.out()).isEqualTo(vector.plaintextUtf8() + "\n");
    }

    @Test
    void receive_pythonSdkMessage_isDecrypted() {
        KnownAnswerVector vector = Vectors.load(Vectors.PYTHON_SDK, "queue-v2.0");
        plain.create();
        plain.sendMessage(vector.rawMessageText());

        CliRun.Result received = receive(KeyFiles.vectorKek(folder, Vectors.PYTHON_SDK));

        assertThat(received.exitCode()).as(received.toString()).isZero();
        assertThat(received.out()).isEqualTo(vector.plaintextUtf8() + "\n");
    }

    @Test
    void receive_missingQueue_createsItAndPrintsNothing() {
        CliRun.Result received = receive(KeyFiles.aes(folder, "k"));

        assertThat(received.exitCode()).as(received.toString()).isZero();
        assertThat(received.out()).isEmpty();
        assertThat(plain.getProperties().getApproximateMessagesCountLong()).isZero(); // 404 if it were missing
    }

    @Test
    void send_messageTooLarge_exits1WithoutSending() {
        CliRun.Result sent = send("x".repeat(70_000), KeyFiles.aes(folder, "k"));

        assertThat(sent.exitCode()).as(sent.toString()).isEqualTo(1);
        assertThat(sent.errLines()).singleElement().asString().startsWith("cse4j: The message is too large")
            .contains("The largest plaintext that fits is").doesNotContain("Exception");
        assertThat(plain.getProperties().getApproximateMessagesCountLong()).isZero();
    }

    @Test
    void peek_printsTheTextsAtTheFront_deletesNothing_andMaxBoundsIt() {
        Path key = KeyFiles.aes(folder, "q-key");
        send("first", key);
        send("second: ünïcødé ✓", key);

        CliRun.Result both = peek(key);
        CliRun.Result one = peek(key, "--max", "1");
        CliRun.Result received = receive(key);

        assertThat(both.exitCode()).as(both.toString()).isZero();
        assertThat(both.out()).isEqualTo("first\nsecond: ünïcødé ✓\n");
        assertThat(one.out()).isEqualTo("first\n");
        assertThat(received.out()).as("peek deleted nothing").isEqualTo("first\nsecond: ünïcødé ✓\n");
    }

    @Test
    void peek_legacyV1MessageFromTheJava8Sdk_exits5WithoutAllowV1_andIsLeftOnTheQueue() {
        KnownAnswerVector vector = Vectors.load(Vectors.JAVA8_LEGACY_SDK, "queue-v1");
        plain.create();
        plain.sendMessage(vector.rawMessageText());
        Path key = KeyFiles.vectorKek(folder, Vectors.JAVA8_LEGACY_SDK);

        CliRun.Result refused = peek(key);
        CliRun.Result allowed = peek(key, "--allow-v1");

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(5);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.errLines()).singleElement().asString().contains("--allow-v1");
        assertThat(allowed.exitCode()).as(allowed.toString()).isZero();
        assertThat(allowed.out()).isEqualTo(vector.plaintextUtf8() + "\n");
        assertThat(plain.peekMessage().getMessageText()).isEqualTo(vector.rawMessageText());
    }

    @Test
    void peek_maxOutsideOneTo32IsAUsageError_andAMissingQueueExits1() {
        Path key = KeyFiles.aes(folder, "k");

        CliRun.Result zero = peek(key, "--max", "0");
        CliRun.Result tooMany = peek(key, "--max", "33");
        CliRun.Result missing = peek(key);

        assertThat(zero.exitCode()).as(zero.toString()).isEqualTo(2);
        assertThat(tooMany.exitCode()).as(tooMany.toString()).isEqualTo(2);
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(1);
        assertThat(missing.err()).contains("does not exist");
    }
}
