package dev.cse4j.table;

import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.IntegrityException;
import dev.cse4j.core.implementation.ContentKey;
import dev.cse4j.core.implementation.CryptoProvider;
import dev.cse4j.core.implementation.RegionLayout;

import javax.crypto.AEADBadTagException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * The values of one entity in cse4j's authenticated table format {@code cse4j-t1} (docs/table-format.md): each
 * stored as {@code nonce(12) ‖ AES-256-GCM ciphertext ‖ tag(16)} under the entity's content key, with a fresh random
 * nonce, and with associated data that binds it to its place:
 * <pre>
 * AAD = L("cse4j-t1") ‖ L(PartitionKey) ‖ L(RowKey) ‖ L(property name)      L(s) = uint32_be(|utf8(s)|) ‖ utf8(s)
 * </pre>
 * The encrypted name list is sealed the same way under the name of the property that holds it,
 * {@code _ClientEncryptionMetadata2}.
 */
final class AuthenticatedEntityCipher implements PropertyCipher {
    /** Stored bytes per value beyond its plaintext: nonce and tag. */
    static final int OVERHEAD = RegionLayout.OVERHEAD;
    /** The longest plaintext (UTF-8 bytes) whose stored form fits in one binary property. */
    static final int MAX_PLAINTEXT = EntitySize.MAX_BINARY_BYTES - OVERHEAD;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] PROTOCOL = EncryptionProtocol.CSE4J_TABLE_1.wireValue()
        .getBytes(StandardCharsets.US_ASCII);

    private final ContentKey key;
    private final CryptoProvider provider;
    private final String partitionKey;
    private final String rowKey;
    private final String entity;

    /** @param entity the entity, for messages */
    AuthenticatedEntityCipher(ContentKey key, CryptoProvider provider, String partitionKey, String rowKey,
        String entity) {
        this.key = key;
        this.provider = provider;
        this.partitionKey = partitionKey;
        this.rowKey = rowKey;
        this.entity = entity;
    }

    @Override
    public byte[] encrypt(String propertyName, byte[] plaintext) {
        byte[] stored = new byte[OVERHEAD + plaintext.length];
        byte[] nonce = new byte[RegionLayout.NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        System.arraycopy(nonce, 0, stored, 0, nonce.length);
        provider.gcm().seal(key.secretKey(), stored, 0, aad(propertyName), plaintext, 0, plaintext.length, stored,
            RegionLayout.NONCE_LENGTH);
        return stored;
    }

    /**
     * @throws IntegrityException if the value does not authenticate as this entity's value of {@code propertyName}
     */
    @Override
    public byte[] decrypt(String propertyName, byte[] stored) {
        if (stored.length < OVERHEAD) {
            throw new IntegrityException(entity + ": encrypted property '" + propertyName + "' has " + stored.length
                + " bytes, fewer than a nonce and a tag (28): it was truncated or replaced. Nothing was decrypted.");
        }
        byte[] plaintext = new byte[stored.length - OVERHEAD];
        try {
            provider.gcm().open(key.secretKey(), stored, 0, aad(propertyName), stored, RegionLayout.NONCE_LENGTH,
                stored.length - RegionLayout.NONCE_LENGTH, plaintext, 0);
        } catch (AEADBadTagException e) {
            throw new IntegrityException(entity + ": encrypted property '" + propertyName + "' failed authentication: "
                + "its value was modified, or moved from another property or entity, or the entity's encryption "
                + "metadata was replaced. Nothing was decrypted.", e);
        }
        return plaintext;
    }

    private byte[] aad(String propertyName) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 2 * propertyName.length());
        field(out, PROTOCOL);
        field(out, utf8(partitionKey, "PartitionKey"));
        field(out, utf8(rowKey, "RowKey"));
        field(out, utf8(propertyName, "property name"));
        return out.toByteArray();
    }

    private byte[] utf8(String s, String what) {
        byte[] bytes = Utf8.encodeOrNull(s);
        if (bytes == null) {
            throw new EncryptionPolicyException(entity + ": its " + what + " is not valid Unicode (it has an unpaired "
                + "surrogate character), so it cannot be bound into the encryption unambiguously.");
        }
        return bytes;
    }

    private static void field(ByteArrayOutputStream out, byte[] bytes) {
        int n = bytes.length;
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
        out.write(bytes, 0, n);
    }
}
