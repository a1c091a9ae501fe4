package dev.cse4j.blob;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.implementation.EncryptionSettings;
import dev.cse4j.core.implementation.Envelope;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.StandardError;
import dev.cse4j.testing.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What cse4j logs through azure-core's ClientLogger (here to SLF4J's simple logger, see simplelogger.properties):
 * the key ids, protocols, region counts, provider and refusals, never a key encryption key, content key, wrapped key
 * or plaintext, in any of the encodings they could be printed in.
 */
@ExtendWith(AzuriteExtension.class)
@Isolated("it captures System.err, where every class's log lines go")
class LoggingTest {
    private static final String PLAINTEXT = "plaintext that must never reach a log line";

    @Test
    void transfers_logKeyIdsProtocolsAndRefusals_neverKeysOrPlaintext(Azurite azurite) {
        BlobContainerClient container = Fixtures.container(azurite, "logging");
        List<String> stored = new ArrayList<>();

        String log = StandardError.capture(() -> {
            EncryptedBlobClient v20 = Fixtures.encrypted(container, "v20");
            v20.upload(BinaryData.fromString(PLAINTEXT));
            assertThat(v20.downloadContent().toString()).isEqualTo(PLAINTEXT);
            EncryptedBlobClient v21 = Fixtures.builder(container, "v21", Fixtures.options()
                .blobProtocol(EncryptionProtocol.V2_1).blobRegionLength(16)).buildEncryptedBlobClient();
            v21.upload(BinaryData.fromString(PLAINTEXT));
            assertThat(v21.downloadContent().toString()).isEqualTo(PLAINTEXT);
            stored.add(container.getBlobClient("v20").getProperties().getMetadata().get("encryptiondata"));
            stored.add(container.getBlobClient("v21").getProperties().getMetadata().get("encryptiondata"));

            container.getBlobClient("plain").upload(BinaryData.fromString("not encrypted"));
            assertThatThrownBy(() -> Fixtures.encrypted(container, "plain").downloadContent())
                .isInstanceOf(EncryptionPolicyException.class);
            assertThatThrownBy(() -> v20.setMetadata(Map.of("EncryptionData", "x")))
                .isInstanceOf(EncryptionPolicyException.class);
        });

        assertThat(log).contains("\"keyId\":\"" + Fixtures.KEY_ID + "\"", "\"protocol\":\"2.0\"",
            "\"protocol\":\"2.1\"", "\"regions\":\"3\"", "\"regionLength\":16", "\"resolvedBy\":\"configured key\"",
            "\"cryptoProvider\":", "\"refusal\":\"EncryptionPolicyException\"", "is not encrypted",
            "Metadata key 'EncryptionData' is reserved");
        List<byte[]> secrets = new ArrayList<>();
        secrets.add(Vectors.kek(Vectors.JAVA_SDK));
        secrets.add(PLAINTEXT.getBytes(StandardCharsets.UTF_8));
        EncryptionSettings settings = EncryptionSettings.of(Fixtures.options().build());
        for (String json : stored) {
            EncryptionData data = EncryptionData.parse(json);
            secrets.add(data.wrappedContentKey().encryptedKey());
            secrets.add(Envelope.open(settings, data, "blob").key().bytes());
        }
        for (byte[] secret : secrets) {
            assertThat(log).doesNotContain(HexFormat.of().formatHex(secret))
                .doesNotContain(HexFormat.of().withUpperCase().formatHex(secret))
                .doesNotContain(Base64.getEncoder().encodeToString(secret))
                .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(secret))
                .doesNotContain(new String(secret, StandardCharsets.ISO_8859_1));
        }
    }
}
