package dev.cse4j.table;

/**
 * Decides, for every property of an entity written by {@link EncryptedTableClient}, whether it is stored encrypted
 * (the legacy SDKs' {@code EncryptionResolver}). A property is encrypted when this resolver says so <em>or</em> its
 * value is an {@link EncryptedString}.
 *
 * <p>The resolver is asked about every property of the entity except PartitionKey, RowKey and Timestamp (which are
 * never encrypted: an {@link EncryptedString} put there is refused) and the SDK's OData bookkeeping entries
 * ({@code odata.etag}, {@code Name@odata.type}). Only non-null string properties can be encrypted: a resolver that
 * selects a number, a date, binary data or a null value makes the write fail with an
 * {@link dev.cse4j.core.EncryptionPolicyException} rather than store it unencrypted.
 *
 * <p>It must answer from its arguments alone: one write may ask about the same property more than once (a merge asks
 * before it reads the entity, to choose how to merge, and again when it encrypts).
 */
@FunctionalInterface
public interface EncryptionResolver {
    /** Encrypts nothing (properties can still be marked one by one with {@link EncryptedString}). */
    EncryptionResolver NONE = (partitionKey, rowKey, propertyName) -> false;

    /**
     * @param partitionKey the entity's PartitionKey
     * @param rowKey the entity's RowKey
     * @param propertyName the property's name
     * @return whether to store this property encrypted
     */
    boolean shouldEncrypt(String partitionKey, String rowKey, String propertyName);
}
