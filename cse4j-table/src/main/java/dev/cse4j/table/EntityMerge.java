package dev.cse4j.table;

import com.azure.core.util.logging.ClientLogger;
import com.azure.data.tables.models.TableEntity;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.implementation.Logs;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MERGE semantics, computed on the client: what a merge sets, and the whole entity that results from applying it to
 * the entity as read. Used when the merge cannot be sent to the service as a MERGE because it changes encrypted
 * properties (they share one content key and one authenticated name list, so the entity is re-encrypted whole).
 */
final class EntityMerge {
    private static final ClientLogger LOGGER = new ClientLogger(EntityMerge.class);

    private EntityMerge() {
    }

    /**
     * What a merge sets: the change's keys and its non-null properties, with their type annotations. A null value
     * leaves the stored property as it is (the service does not store nulls, and its MERGE keeps the old value); the
     * OData bookkeeping of an entity that was read ({@code odata.etag}, ...) is not part of the change. A Timestamp
     * stays, for the encryptor to ignore (or refuse, if it is marked for encryption).
     *
     * @throws IllegalArgumentException if PartitionKey or RowKey is not a string
     */
    static TableEntity setProperties(TableEntity change) {
        Map<String, Object> properties = change.getProperties();
        TableEntity set = new TableEntity(EntityEncryptor.key(properties, EntityNames.PARTITION_KEY),
            EntityEncryptor.key(properties, EntityNames.ROW_KEY));
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            String name = e.getKey();
            if (e.getValue() != null && !EntityNames.isBookkeeping(name) && !EntityNames.PARTITION_KEY.equals(name)
                && !EntityNames.ROW_KEY.equals(name)) {
                set.getProperties().put(name, e.getValue());
                Object annotation = properties.get(EntityNames.typeAnnotation(name));
                if (annotation != null) {
                    set.getProperties().put(EntityNames.typeAnnotation(name), annotation);
                }
            }
        }
        return set;
    }

    /**
     * The entity after the merge, to be encrypted whole: the current properties, overwritten by those the merge
     * sets. Encryption sticks: every property stored encrypted comes back marked as an {@link EncryptedString}, also
     * when the merge sets it to a new string, so a merge never stores an encrypted property in plaintext (the
     * client's resolver may select more properties; it cannot unselect these).
     *
     * @param current the entity as read, decrypted, with every property
     * @param set what the merge sets ({@link #setProperties(TableEntity)})
     * @param what the entity, for messages
     * @throws EncryptionPolicyException if the merge sets a stored encrypted property to something that is not a
     *     string
     */
    static TableEntity apply(EntityDecryptor.Opened current, TableEntity set, String what) {
        Map<String, Object> merged = new LinkedHashMap<>(current.entity().getProperties());
        for (String name : current.encryptedNames()) {
            Object value = merged.get(name);
            if (value instanceof String) {
                merged.put(name, EncryptedString.of((String) value));
            }
        }
        Map<String, Object> changes = set.getProperties();
        for (Map.Entry<String, Object> e : changes.entrySet()) {
            String name = e.getKey();
            if (EntityNames.isBookkeeping(name) || EntityNames.isSystemProperty(name)) {
                continue;
            }
            Object annotation = changes.get(EntityNames.typeAnnotation(name));
            Object value = e.getValue();
            if (current.encryptedNames().contains(name) && !(value instanceof EncryptedString)) {
                if (!(value instanceof String)
                    || annotation != null && !EntityNames.EDM_STRING.equals(annotation.toString())) {
                    throw Logs.refused(LOGGER, new EncryptionPolicyException(what + ": property '" + name
                        + "' is stored encrypted, and a merge cannot set it to " + (value instanceof String
                        ? "a string annotated as " + annotation : "a " + value.getClass().getSimpleName())
                        + ": only strings can be encrypted, and a merge "
                        + "never stores an encrypted property unencrypted. To change its type or store it "
                        + "unencrypted, write the whole entity with TableEntityUpdateMode.REPLACE. Nothing was "
                        + "written."));
                }
                value = EncryptedString.of((String) value);
            }
            merged.put(name, value);
            merged.remove(EntityNames.typeAnnotation(name));
            if (annotation != null) {
                merged.put(EntityNames.typeAnnotation(name), annotation);
            }
        }
        return new TableEntity(set.getPartitionKey(), set.getRowKey()).setProperties(merged);
    }
}
