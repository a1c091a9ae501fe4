package dev.cse4j.queue;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.keys.AesKeyWrapKey;
import dev.cse4j.keys.KeyWrapAlgorithm;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.Vectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Keys, queues and plain (non-encrypting) clients for the tests. */
final class QueueFixtures {
    /** The vectors' key encryption key id. */
    static final String KEK_ID = "local:kek1";

    private QueueFixtures() {
    }

    /** The vectors' key encryption key: bytes 00..1f. */
    static byte[] kekBytes() {
        return Vectors.kek(Vectors.PYTHON_SDK);
    }

    static AesKeyWrapKey kek() {
        return AesKeyWrapKey.of(KEK_ID, kekBytes());
    }

    /** Another AES key, with another id. */
    static AesKeyWrapKey otherKek() {
        byte[] bytes = kekBytes();
        bytes[0] ^= 0x55;
        return AesKeyWrapKey.of("local:kek2", bytes);
    }

    /** A new, created queue with a unique name. */
    static QueueClient newQueue(Azurite azurite) {
        QueueClient plain = plainClient(azurite, "q-" + UUID.randomUUID().toString().toLowerCase(Locale.ROOT),
            QueueMessageEncoding.NONE);
        plain.create();
        return plain;
    }

    /** A plain client of the queue, for raw access to the stored message text. */
    static QueueClient plainClient(Azurite azurite, String queueName, QueueMessageEncoding encoding) {
        return new QueueClientBuilder()
            .connectionString(azurite.connectionString())
            .queueName(queueName)
            .messageEncoding(encoding)
            .buildClient();
    }

    /** A builder for the queue with the vectors' key and the given encoding. */
    static EncryptedQueueClientBuilder encrypted(Azurite azurite, String queueName, QueueMessageEncoding encoding) {
        return encrypted(azurite, queueName, encoding, options());
    }

    /** A builder for the queue with the given options and encoding. */
    static EncryptedQueueClientBuilder encrypted(Azurite azurite, String queueName, QueueMessageEncoding encoding,
        ClientSideEncryptionOptions.Builder options) {
        return new EncryptedQueueClientBuilder()
            .connectionString(azurite.connectionString())
            .queueName(queueName)
            .messageEncoding(encoding)
            .clientSideEncryptionOptions(options.build());
    }

    /** Options with the vectors' key, to add to. */
    static ClientSideEncryptionOptions.Builder options() {
        return ClientSideEncryptionOptions.builder().key(kek(), KeyWrapAlgorithm.A256KW);
    }

    /** An encrypted client of the plain client's queue with the vectors' key and the given encoding. */
    static EncryptedQueueClient encryptedClient(Azurite azurite, QueueClient plain, QueueMessageEncoding encoding) {
        return encrypted(azurite, plain.getQueueName(), encoding).buildEncryptedQueueClient();
    }

    /** As {@link #encryptedClient(Azurite, QueueClient, QueueMessageEncoding)}, of the kind {@code api}. */
    static Api.TestQueue encryptedClient(Api api, Azurite azurite, QueueClient plain, QueueMessageEncoding encoding) {
        return api.build(encrypted(azurite, plain.getQueueName(), encoding));
    }

    /** The raw texts of the queue's visible messages, by peeking with a plain client. */
    static List<String> rawTexts(QueueClient plain) {
        List<String> texts = new ArrayList<>();
        plain.peekMessages(32, null, null).forEach(m -> texts.add(m.getBody().toString()));
        return texts;
    }

    /** The raw text of the queue's only message. */
    static String onlyRawText(QueueClient plain) {
        List<String> texts = rawTexts(plain);
        if (texts.size() != 1) {
            throw new AssertionError("Expected one message in " + plain.getQueueName() + ", found " + texts.size());
        }
        return texts.get(0);
    }

    /** The raw text of the queue's last visible message. */
    static String lastRawText(QueueClient plain) {
        List<String> texts = rawTexts(plain);
        return texts.get(texts.size() - 1);
    }
}
