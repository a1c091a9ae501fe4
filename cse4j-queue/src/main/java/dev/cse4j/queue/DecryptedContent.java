package dev.cse4j.queue;

import com.azure.core.util.BinaryData;
import dev.cse4j.core.EncryptionData;

import java.nio.charset.StandardCharsets;

/**
 * What a message holds once read: its plaintext and, if it was encrypted, its encryption metadata ({@code null} for
 * a message that was not encrypted and passed through because encryption is not required).
 */
final class DecryptedContent {
    private final BinaryData body;
    private final String text;
    private final int length;
    private final EncryptionData encryptionData;

    /** @param plaintext owned by this object from now on */
    DecryptedContent(byte[] plaintext, EncryptionData encryptionData) {
        this.body = BinaryData.fromBytes(plaintext);
        this.text = new String(plaintext, StandardCharsets.UTF_8);
        this.length = plaintext.length;
        this.encryptionData = encryptionData;
    }

    BinaryData body() {
        return body;
    }

    String text() {
        return text;
    }

    EncryptionData encryptionData() {
        return encryptionData;
    }

    String describe() {
        return length + " bytes, " + (encryptionData == null ? "not encrypted"
            : "protocol " + encryptionData.protocol() + ", key '" + encryptionData.wrappedContentKey().keyId() + "'");
    }
}
