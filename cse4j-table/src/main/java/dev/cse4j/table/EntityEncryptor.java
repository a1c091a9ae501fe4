package dev.cse4j.table;

import com.azure.data.tables.models.TableEntity;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.TableEncryptionFormat;
import dev.cse4j.core.implementation.Blocking;
import dev.cse4j.core.implementation.EncryptionSettings;
import dev.cse4j.core.implementation.Envelope;
import reactor.core.publisher.Mono;

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

    /** The format this encryptor writes. */
    TableEncryptionFormat format() {
        return format;
    }

    /**
     * Whether a write stores this property encrypted: its value is an {@link EncryptedString}, or the resolver
     * selects it. Asked only about user properties (not system, reserved or bookkeeping names).
     */
    boolean encrypts(String partitionKey, String rowKey, String name, Object value) {
        return value instanceof EncryptedString || resolver.shouldEncrypt(partitionKey, rowKey, name);
    }

    /**
     * The entity's stored form, as one {@link Mono} for either kind of client: every check that needs no key is made
     * when it is subscribed, then a fresh content key is made and wrapped as {@code blocking} allows
     * ({@link Envelope#sealTableEntity}), and the values are encrypted where {@link CryptoThread#encrypting}
     * says.
     *
     * @return a new entity holding what to store ({@code entity} is not changed); an error signal
     *     {@link EncryptionPolicyException} if a property is chosen that cannot be encrypted or a reserved name is
     *     used, {@link TableEntityTooLargeException} if the stored entity would exceed a service limit
     */
    Mono<TableEntity> encrypt(TableEntity entity, Blocking blocking) {
        return Mono.defer(() -> {
            Split split = split(entity);
            boolean legacy = format == TableEncryptionFormat.LEGACY_V1_UNAUTHENTICATED;
            Map<String, byte[]> secret = split.secret();
            long size = split.plainSize();
            for (Map.Entry<String, byte[]> e : secret.entrySet()) {
                long stored = storedLength(legacy, e.getValue().length);
                Limits.checkEncryptedValue(split.what(), e.getKey(), e.getValue().length, stored,
                    legacy ? LegacyEntityCipher.MAX_PLAINTEXT : AuthenticatedEntityCipher.MAX_PLAINTEXT);
                size += EntitySize.property(e.getKey(), EntitySize.binaryValue(stored));
            }
            byte[] nameList = legacy ? NameList.toLegacyJson(secret.keySet()) : NameList.toJson(secret.keySet());
            size += EntitySize.property(EntityNames.NAME_LIST, EntitySize.binaryValue(storedLength(legacy,
                nameList.length)));
            size += EntitySize.property(EntityNames.METADATA, EntitySize.stringValue(""));
            Limits.checkEntitySize(split.what(), size, true);

            Mono<Envelope> sealed = legacy ? Envelope.sealLegacyV1(settings, null, blocking)
                : Envelope.sealTableEntity(settings, blocking);
            return CryptoThread.encrypting(sealed, blocking).map(envelope -> {
                try {
                    return sealed(split, entity, nameList, envelope, legacy);
                } finally {
                    envelope.destroy();
                }
            });
        });
    }

    private TableEntity sealed(Split split, TableEntity entity, byte[] nameList, Envelope envelope, boolean legacy) {
        String partitionKey = split.partitionKey();
        String rowKey = split.rowKey();
        PropertyCipher cipher = legacy
            ? new LegacyEntityCipher(envelope.key(), envelope.data().contentEncryptionIv(), partitionKey, rowKey,
                false)
            : new AuthenticatedEntityCipher(envelope.key(), settings.cryptoProvider(), partitionKey, rowKey,
                split.what());
        TableEntity stored = plainPart(split, entity.getProperties(), entity.getETag());
        for (Map.Entry<String, byte[]> e : split.secret().entrySet()) {
            stored.addProperty(e.getKey(), cipher.encrypt(e.getKey(), e.getValue()));
        }
        stored.addProperty(EntityNames.NAME_LIST, cipher.encrypt(EntityNames.NAME_LIST, nameList));
        stored.addProperty(EntityNames.METADATA, envelope.data().toJsonString());
        Limits.checkEntitySize(split.what(), EntitySize.of(partitionKey, rowKey, stored.getProperties()), false);
        return stored;
    }

    /**
     * The body of a MERGE that sets only unencrypted properties: those properties (with their type annotations) and
     * the ETag to send as If-Match. The encryption metadata and the encrypted values are not in it, so the merge
     * leaves them as they are stored.
     *
     * @param eTag the If-Match ETag
     * @throws IllegalArgumentException if {@code change} sets a property this client encrypts (the caller must
     *     read, re-encrypt and replace instead)
     */
    TableEntity plainMerge(TableEntity change, String eTag) {
        Split split = split(change);
        if (!split.secret().isEmpty()) {
            throw new IllegalArgumentException("A merge that sets encrypted properties must replace the whole entity");
        }
        return plainPart(split, change.getProperties(), eTag);
    }

    /**
     * Makes every check of {@link #encrypt(TableEntity, Blocking)} that needs neither a key nor the metadata, so that a merge
     * can refuse before it reads anything.
     *
     * @throws EncryptionPolicyException as {@link #encrypt(TableEntity, Blocking)}
     * @throws TableEntityTooLargeException as {@link #encrypt(TableEntity, Blocking)}, for the entity's own properties
     */
    void check(TableEntity entity) {
        split(entity);
    }

    /** The entity's keys, its unencrypted properties and its ETag, as stored. */
    private static TableEntity plainPart(Split split, Map<String, Object> properties, String eTag) {
        TableEntity stored = new TableEntity(split.partitionKey(), split.rowKey());
        for (Map.Entry<String, Object> e : split.plain().entrySet()) {
            stored.addProperty(e.getKey(), e.getValue());
            String edmType = annotation(properties, e.getKey());
            if (edmType != null) {
                stored.addProperty(EntityNames.typeAnnotation(e.getKey()), edmType);
            }
        }
        if (eTag != null) {
            stored.addProperty(EntityNames.ODATA_ETAG, eTag);
        }
        return stored;
    }

    /**
     * An entity's properties sorted into those stored as they are and the UTF-8 plaintexts of those to encrypt,
     * with every check that needs neither key nor metadata done: the keys, reserved and system names, what can be
     * encrypted, the property count and the unencrypted values' limits. Null values are dropped (the service does
     * not store them).
     */
    private Split split(TableEntity entity) {
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
                throw new EncryptionPolicyException(EncryptionPolicyException.Reason.RESERVED_NAME, what + ": the "
                    + "property name '" + name + "' is reserved for the "
                    + "encryption metadata. Rename the property. Nothing was written.");
            }
            if (encrypts(partitionKey, rowKey, name, value)) {
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
        return new Split(partitionKey, rowKey, what, plain, secret, size);
    }

    /**
     * @param plainSize the entity's size as the service counts it, without the encrypted values and the metadata
     */
    private record Split(String partitionKey, String rowKey, String what, Map<String, Object> plain,
        Map<String, byte[]> secret, long plainSize) {
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

    /** @return the entity's PartitionKey or RowKey, which must be a string */
    static String key(Map<String, Object> properties, String name) {
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
