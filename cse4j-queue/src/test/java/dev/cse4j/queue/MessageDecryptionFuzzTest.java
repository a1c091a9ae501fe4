package dev.cse4j.queue;

import com.azure.storage.queue.QueueMessageEncoding;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cse4j.core.ClientSideEncryptionException;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.implementation.ContentKey;
import dev.cse4j.core.implementation.EncryptionSettings;
import dev.cse4j.core.implementation.RegionEncryptor;
import dev.cse4j.core.implementation.RegionLayout;
import dev.cse4j.keys.AesKeyWrapKey;
import dev.cse4j.keys.KeyWrapAlgorithm;
import dev.cse4j.testing.AllocationMeter;
import dev.cse4j.testing.FuzzFields;
import dev.cse4j.testing.FuzzSeeds;
import dev.cse4j.testing.IndependentCrypto;
import dev.cse4j.testing.KnownAnswerVector;
import dev.cse4j.testing.Vectors;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz targets of received queue messages (docs/fuzzing.md): the envelope parser ({@link MessageEnvelopeJson}) and
 * the decryptor ({@link MessageDecryptor}) over arbitrary message texts, raw and base64-wrapped, under the vectors'
 * key with encryption required and 1.0 reads allowed.
 *
 * <p>Invariant: plaintext, or a {@link ClientSideEncryptionException} (any subtype); nothing else; at most
 * {@link #ALLOCATION_BASE} + {@link #ALLOCATION_PER_BYTE} bytes per character of the text allocated. Oracle of a
 * decrypted message: re-encrypting its plaintext independently (JDK AES key unwrap, AES-GCM, AES-CBC) under the
 * content key its metadata wraps gives exactly its {@code EncryptedMessageContents}: {@code nonce ‖ GCM(cek, nonce,
 * P)} for 2.0 (any nonce: Python's is random), {@code CBC(cek, IV, P)} for 1.0. {@link #decryptTamperedMessage}
 * edits a message cse4j's encryptor wrote; a decrypt that succeeds returns the original plaintext.
 */
class MessageDecryptionFuzzTest {
    static final long ALLOCATION_BASE = 1 << 20;
    static final long ALLOCATION_PER_BYTE = 64;
    private static final byte[] KEK = Vectors.kek(Vectors.JAVA_SDK);
    private static final EncryptionSettings SETTINGS = EncryptionSettings.of(ClientSideEncryptionOptions.builder()
        .key(AesKeyWrapKey.of("local:kek1", KEK), KeyWrapAlgorithm.A256KW)
        .allowUnauthenticatedV1Reads(true)
        .build());

    static {
        // The JDK's AES-GCM warms up once per JVM after its first MiB (SunJceGcmWarmUp), as in any client that has
        // moved data; done here, it never runs inside a measured execution.
        byte[] mib = new byte[2 << 20];
        new RegionEncryptor(ContentKey.generate(), new RegionLayout(mib.length), SETTINGS.cryptoProvider())
            .encryptRegion(0, mib, 0, mib.length, new byte[mib.length + RegionLayout.OVERHEAD], 0);
    }

    /** Plaintext that fits a message whatever the encoding (the service's limit is 64 KiB of text). */
    private static final int MAX_PLAINTEXT = 16 * 1024;
    private static final QueueMessageEncoding[] ENCODINGS = {QueueMessageEncoding.NONE, QueueMessageEncoding.BASE64};

    /** Input: the client's message encoding (bit 0 of the first byte: base64), then the message text (UTF-8). */
    @FuzzTest
    void decryptMessage(byte[] input) throws GeneralSecurityException {
        FuzzFields in = FuzzFields.of(input);
        QueueMessageEncoding encoding = ENCODINGS[in.u8() & 1];
        String text = new String(in.rest(), StandardCharsets.UTF_8);
        DecryptedContent content = decrypt(encoding, text);
        if (content != null) {
            assertGenuine(text, content);
        }
    }

    /**
     * Input: the client's message encoding (bit 0), the plaintext (field, at most 16 KiB used), then edits of 4 bytes
     * each to the text cse4j's encryptor made from it: kind (0 replace, 1 delete, 2 insert a character), position (2
     * bytes), value.
     */
    @FuzzTest
    void decryptTamperedMessage(byte[] input) {
        FuzzFields in = FuzzFields.of(input);
        QueueMessageEncoding encoding = ENCODINGS[in.u8() & 1];
        byte[] field = in.next();
        byte[] plaintext = Arrays.copyOf(field, Math.min(MAX_PLAINTEXT, field.length));
        StringBuilder text = new StringBuilder(new MessageEncryptor(SETTINGS, encoding).encrypt(plaintext));
        byte[] edits = in.rest();
        for (int k = 0; k + 4 <= edits.length; k += 4) {
            int at = ((edits[k + 1] & 0xff) << 8 | (edits[k + 2] & 0xff)) % (text.length() + 1);
            char value = (char) (edits[k + 3] & 0xff);
            switch ((edits[k] & 0xff) % 3) {
                case 0 -> text.replace(at, Math.min(text.length(), at + 1), String.valueOf(value));
                case 1 -> text.delete(at, Math.min(text.length(), at + 1));
                default -> text.insert(at, value);
            }
        }
        DecryptedContent content = decrypt(encoding, text.toString());
        if (edits.length < 4) {
            assertThat(content).as("a message cse4j wrote decrypts").isNotNull();
        }
        if (content != null) {
            assertThat(content.body().toBytes()).as("what decrypts is what was sent").isEqualTo(plaintext);
        }
    }

    /**
     * The content, or {@code null} if the message was refused with a typed exception (anything else propagates).
     * The allocation bound counts the text's characters.
     */
    private static DecryptedContent decrypt(QueueMessageEncoding encoding, String text) {
        try {
            return AllocationMeter.steady(ALLOCATION_BASE + ALLOCATION_PER_BYTE * text.length(), "message decryption",
                () -> new MessageDecryptor(SETTINGS, encoding).decrypt(text, "Message 'fuzz'"));
        } catch (ClientSideEncryptionException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return null;
        }
    }

    /** The oracle: the message's stored contents are exactly what encrypting its plaintext gives. */
    private static void assertGenuine(String text, DecryptedContent content) throws GeneralSecurityException {
        EncryptionData data = content.encryptionData();
        assertThat(data).as("encryption is required: only encrypted messages decrypt").isNotNull();
        Optional<MessageEnvelopeJson.Parsed> envelope = MessageEnvelopeJson.read(text);
        if (envelope.isEmpty()) {
            envelope = MessageEnvelopeJson.read(new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8));
        }
        byte[] stored = Base64.getDecoder().decode(envelope.orElseThrow().contentsBase64());
        byte[] plaintext = content.body().toBytes();
        byte[] unwrapped = IndependentCrypto.aesUnwrap(KEK, data.wrappedContentKey().encryptedKey());
        if (data.protocol() == EncryptionProtocol.V1_0) {
            assertThat(IndependentCrypto.cbcEncrypt(unwrapped, data.contentEncryptionIv(), plaintext, true))
                .isEqualTo(stored);
            return;
        }
        assertThat(data.protocol()).isEqualTo(EncryptionProtocol.V2_0);
        assertThat(Arrays.copyOf(unwrapped, 8)).isEqualTo(Arrays.copyOf("2.0".getBytes(StandardCharsets.US_ASCII), 8));
        byte[] cek = Arrays.copyOfRange(unwrapped, 8, unwrapped.length);
        assertThat(IndependentCrypto.gcmSeal(cek, Arrays.copyOf(stored, RegionLayout.NONCE_LENGTH), plaintext))
            .isEqualTo(stored);
    }

    @Test
    void committedSeeds_areTheVectorsAndEdgeCases() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        KnownAnswerVector python = Vectors.load(Vectors.PYTHON_SDK, "queue-v2.0");
        KnownAnswerVector legacy = Vectors.load(Vectors.JAVA8_LEGACY_SDK, "queue-v1");
        seeds.put("vector-python-v2_0", message(0, python.rawMessageText()));
        seeds.put("vector-python-v2_0-base64-wrapped", message(1, Base64.getEncoder().encodeToString(
            python.rawMessageText().getBytes(StandardCharsets.UTF_8))));
        seeds.put("vector-java8-v1", message(0, legacy.rawMessageText()));
        seeds.put("plaintext", message(0, "hello"));
        seeds.put("damaged-envelope", message(0, "{\"EncryptedMessageContents\":"));
        seeds.put("envelope-without-data", message(1, "{\"encryptedmessagecontents\":\"AAAA\"}"));
        FuzzSeeds.check(MessageDecryptionFuzzTest.class, "decryptMessage", seeds);

        Map<String, byte[]> tampered = new LinkedHashMap<>();
        tampered.put("untouched", FuzzFields.writer().u8(0).utf8("hello queue é€ 2.0").toBytes());
        tampered.put("untouched-base64", FuzzFields.writer().u8(1).utf8("").toBytes());
        tampered.put("one-character-replaced", FuzzFields.writer().u8(0).utf8("hello").rest(new byte[] {0, 0, 30,
            'A'}));
        FuzzSeeds.check(MessageDecryptionFuzzTest.class, "decryptTamperedMessage", tampered);
    }

    private static byte[] message(int encoding, String text) {
        return FuzzFields.writer().u8(encoding).rest(text.getBytes(StandardCharsets.UTF_8));
    }
}
