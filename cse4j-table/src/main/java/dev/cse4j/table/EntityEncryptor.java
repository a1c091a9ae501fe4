package dev.cse4j.table;

import com.azure.data.tables.models.TableEntity;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.TableEncryptionFormat;
import dev.cse4j.core.implementation.EncryptionSettings;
import dev.cse4j.core.implementation.Envelope;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Turns an entity into its stored, encrypted form: chooses the properties to encrypt (the resolver, or an
 * {@link EncryptedString} value), refuses what cannot be encrypted or stored, seals every chosen value and the name
 * list under a fresh content key, and adds the two metadata properties. Every check happens before the key
 * encryption key is called, except the final size check, which needs the metadata's exact length.
 */
final class EntityEncryptor {
    private final EncryptionSettings settings;
    private final EncryptionResolver resolver;
    private final TableEncryptionFormat format;
    private final String tableName;

    EntityEncryptor(EncryptionSettings settings, EncryptionResolver resolver, String tableName) {
        this.settings = settings;
        this.resolver = resolver;
        this.format = settings.options().getTableFormat();
        this.tableName = tableName;
    }

    /**
     * @return a new entity holding what to store; {@code entity} is not changed
     * @throws EncryptionPolicyException if a property is chosen that cannot be encrypted, or a reserved name is used
     * @throws TableEntityTooLargeException if the stored entity would exceed a service limit
     */
    TableEntity encrypt(TableEntity entity) {
        Objects.requireNonNull(entity, "entity");
        settings.checkCanEncrypt("write entities");
        Map<String, Object> properties = entity.getProperties();
        String partitionKey = key(properties, EntityNames.PARTITION_KEY);
        String rowKey = key(properties, EntityNames.ROW_KEY);
        String what = describe(tableName, partitionKey, rowKey);

        Map<String, Object> plain = new LinkedHashMap<>();
        Map<String, byte[]> secret = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            String name = e.getKey();
            Object value = e.getValue();
            if (EntityNames.isBookkeeping(name)) {
                continue;
            }
            if (EntityNames.isSystemProperty(name)) {
                // Never offered to the resolver (nor are they by the legacy SDKs); an explicit mark is refused.
                if (value instanceof EncryptedString) {
                    throw refused(what, name, name + " is a system property: PartitionKey and RowKey are the "
                        + "entity's address and Timestamp is set by the service, so they are never encrypted");
                }
                continue;
            }
            if (EntityNames.isReserved(name)) {
                throw new EncryptionPolicyException(what + ": the property name '" + name + "' is reserved for the "
                    + "encryption metadata. Rename the property. Nothing was written.");
            }
            if (value instanceof EncryptedString || resolver.shouldEncrypt(partitionKey, rowKey, name)) {
                secret.put(name, plaintext(what, name, value, annotation(properties, name)));
            } else if (value != null) {
                plain.put(name, value);
            }
        }

        Limits.checkPropertyCount(what, plain.size() + secret.size());
        long size = EntitySize.keys(partitionKey, rowKey);
        for (Map.Entry<String, Object> e : plain.entrySet()) {
            String edmType = annotation(properties, e.getKey());
            Limits.checkPlainValue(what, e.getKey(), e.getValue(), edmType);
            size += EntitySize.property(e.getKey(), EntitySize.value(e.getValue(), edmType));
        }
        boolean legacy = format == TableEncryptionFormat.LEGACY_V1_UNAUTHENTICATED;
        for (Map.Entry<String, byte[]> e : secret.entrySet()) {
            long stored = storedLength(legacy, e.getValue().length);
            Limits.checkEncryptedValue(what, e.getKey(), e.getValue().length, stored,
                legacy ? LegacyEntityCipher.MAX_PLAINTEXT : AuthenticatedEntityCipher.MAX_PLAINTEXT);
            size += EntitySize.property(e.getKey(), EntitySize.binaryValue(stored));
        }
        byte[] nameList = legacy ? NameList.toLegacyJson(secret.keySet()) : NameList.toJson(secret.keySet());
        size += EntitySize.property(EntityNames.NAME_LIST, EntitySize.binaryValue(storedLength(legacy,
            nameList.length)));
        size += EntitySize.property(EntityNames.METADATA, EntitySize.stringValue(""));
        Limits.checkEntitySize(what, size, true);

        Envelope envelope = legacy ? Envelope.sealLegacyV1(settings, null) : Envelope.sealTableEntity(settings);
        try {
            PropertyCipher cipher = legacy
                ? new LegacyEntityCipher(envelope.key(), envelope.data().contentEncryptionIv(), partitionKey, rowKey,
                    false)
                : new AuthenticatedEntityCipher(envelope.key(), settings.cryptoProvider(), partitionKey, rowKey, what);
            TableEntity stored = new TableEntity(partitionKey, rowKey);
            for (Map.Entry<String, Object> e : plain.entrySet()) {
                stored.addProperty(e.getKey(), e.getValue());
                String edmType = annotation(properties, e.getKey());
                if (edmType != null) {
                    stored.addProperty(EntityNames.typeAnnotation(e.getKey()), edmType);
                }
            }
            for (Map.Entry<String, byte[]> e : secret.entrySet()) {
                stored.addProperty(e.getKey(), cipher.encrypt(e.getKey(), e.getValue()));
            }
            stored.addProperty(EntityNames.NAME_LIST, cipher.encrypt(EntityNames.NAME_LIST, nameList));
            stored.addProperty(EntityNames.METADATA, envelope.data().toJsonString());
            if (entity.getETag() != null) {
                stored.addProperty(EntityNames.ODATA_ETAG, entity.getETag());
            }
            Limits.checkEntitySize(what, EntitySize.of(partitionKey, rowKey, stored.getProperties()), false);
            return stored;
        } finally {
            envelope.destroy();
        }
    }

    private byte[] plaintext(String what, String name, Object value, String edmType) {
        String text;
        if (value instanceof EncryptedString) {
            text = ((EncryptedString) value).plaintext();
        } else if (value == null) {
            throw refused(what, name, "its value is null, and the table service does not store null properties, so "
                + "there is nothing to encrypt. Give it a value or do not select it");
        } else if (!(value instanceof String)) {
            throw refused(what, name, "it is a " + value.getClass().getSimpleName() + "; only string properties can "
                + "be encrypted (they are stored as encrypted binary and read back as strings). Store its string "
                + "form if it must be encrypted");
        } else if (edmType != null && !EntityNames.EDM_STRING.equals(edmType)) {
            throw refused(what, name, "it is annotated as " + edmType + "; only Edm.String properties can be "
                + "encrypted");
        } else {
            text = (String) value;
        }
        if (format == TableEncryptionFormat.LEGACY_V1_UNAUTHENTICATED) {
            String problem = NameList.legacyProblem(name);
            if (problem != null) {
                throw refused(what, name, "the legacy 1.0 format lists encrypted names for the old SDKs, and " + problem
                    + ", so the legacy Java 8 reader could not decrypt it. Rename the property, or use the "
                    + "authenticated format");
            }
        }
        byte[] utf8 = Utf8.encodeOrNull(text);
        if (utf8 == null) {
            throw refused(what, name, "its value is not valid Unicode (it has an unpaired surrogate character), so "
                + "it has no UTF-8 form to encrypt");
        }
        return utf8;
    }

    private static long storedLength(boolean legacy, long plaintextLength) {
        return legacy ? LegacyEntityCipher.storedLength(plaintextLength)
            : plaintextLength + AuthenticatedEntityCipher.OVERHEAD;
    }

    private static EncryptionPolicyException refused(String what, String name, String why) {
        return new EncryptionPolicyException(what + ": property '" + name + "' cannot be encrypted: " + why
            + ". Nothing was written.");
    }

    private static String annotation(Map<String, Object> properties, String name) {
        Object type = properties.get(EntityNames.typeAnnotation(name));
        return type == null ? null : type.toString();
    }

    private static String key(Map<String, Object> properties, String name) {
        Object value = properties.get(name);
        if (value instanceof EncryptedString) {
            throw new EncryptionPolicyException("The entity's " + name + " is marked for encryption, but " + name
                + " is the entity's address in the table and is never encrypted. Nothing was written.");
        }
        if (!(value instanceof String)) {
            throw new IllegalArgumentException("The entity's " + name + " must be a string but is "
                + (value == null ? "missing" : "a " + value.getClass().getSimpleName()) + ".");
        }
        return (String) value;
    }

    static String describe(String tableName, String partitionKey, String rowKey) {
        return "Entity (PartitionKey '" + partitionKey + "', RowKey '" + rowKey + "') of table '" + tableName + "'";
    }
}
