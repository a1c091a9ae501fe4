package dev.cse4j.table;

import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.implementation.CbcV1;
import dev.cse4j.core.implementation.ContentKey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The values of one entity in the legacy protocol 1.0 table format (docs/formats.md §8.3): AES-256-CBC with PKCS#7
 * padding under the entity's content key, each property with its own IV, the first 16 bytes of
 * {@code SHA-256(entityIV ‖ UTF-8(STR))}, where STR is {@code RowKey + PartitionKey + name} as .NET and Python write
 * it, or {@code PartitionKey + RowKey + name} as the Java 8 SDK writes it. <b>Unauthenticated.</b>
 */
final class LegacyEntityCipher implements PropertyCipher {
    /**
     * The longest plaintext (UTF-8 bytes) whose padded ciphertext fits in one binary property: 65535, padded to
     * 16·(⌊65535/16⌋+1) = 65536 bytes.
     */
    static final int MAX_PLAINTEXT = EntitySize.MAX_BINARY_BYTES - 1;

    private final ContentKey key;
    private final byte[] entityIv;
    private final String partitionKey;
    private final String rowKey;
    private final boolean javaOrder;

    /** @param javaOrder whether property IVs use the Java 8 order (PartitionKey + RowKey + name) */
    LegacyEntityCipher(ContentKey key, byte[] entityIv, String partitionKey, String rowKey, boolean javaOrder) {
        this.key = key;
        this.entityIv = entityIv.clone();
        this.partitionKey = partitionKey;
        this.rowKey = rowKey;
        this.javaOrder = javaOrder;
    }

    /**
     * The legacy readers' rule (J8 {@code decryptMetadataAndReturnCEK}, N8, CosT): an entity is "Java v1", with
     * PartitionKey + RowKey IVs, when its protocol is 1.0 and its {@code KeyWrappingMetadata} is absent or its
     * {@code EncryptionLibrary} contains "Java". (An empty {@code KeyWrappingMetadata} object counts as absent here;
     * no known writer stores one.)
     */
    static boolean isJavaV1(EncryptionData data) {
        String library = data.encryptionLibrary();
        return data.keyWrappingMetadata().isEmpty() || library != null && library.contains("Java");
    }

    /** The stored length of an encrypted value of {@code plaintextLength} bytes: 16·(⌊n/16⌋+1). */
    static long storedLength(long plaintextLength) {
        return CbcV1.BLOCK * (plaintextLength / CbcV1.BLOCK + 1);
    }

    @Override
    public byte[] encrypt(String propertyName, byte[] plaintext) {
        return CbcV1.of(key, iv(propertyName)).encryptLegacy(plaintext);
    }

    /** @throws dev.cse4j.core.IntegrityException if the length or padding is wrong (nothing else is detectable) */
    @Override
    public byte[] decrypt(String propertyName, byte[] stored) {
        return CbcV1.of(key, iv(propertyName)).decrypt(stored, true);
    }

    private byte[] iv(String propertyName) {
        String str = javaOrder ? partitionKey + rowKey + propertyName : rowKey + partitionKey + propertyName;
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(entityIv);
            return Arrays.copyOf(sha256.digest(str.getBytes(StandardCharsets.UTF_8)), CbcV1.BLOCK);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
