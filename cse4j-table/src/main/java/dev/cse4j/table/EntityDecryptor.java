package dev.cse4j.table;

import com.azure.data.tables.models.TableEntity;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.IntegrityException;
import dev.cse4j.core.MalformedEncryptionDataException;
import dev.cse4j.core.implementation.Blocking;
import dev.cse4j.core.implementation.EncryptionSettings;
import dev.cse4j.core.implementation.Envelope;
import dev.cse4j.core.implementation.JsonMembers;
import reactor.core.publisher.Mono;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a stored entity back into the caller's: checks its encryption metadata, unwraps its content key, decrypts
 * and authenticates the name list, then every listed property, and removes the metadata properties. Encrypted
 * values come back as strings.
 */
final class EntityDecryptor {
    private final EncryptionSettings settings;
    private final String tableName;

    EntityDecryptor(EncryptionSettings settings, String tableName) {
        this.settings = settings;
        this.tableName = tableName;
    }

    /**
     * An entity as read: the caller's entity, which of its properties were stored encrypted, and the protocol they
     * were encrypted with ({@code null} if the entity is not encrypted).
     */
    record Opened(TableEntity entity, Set<String> encryptedNames, EncryptionProtocol protocol) {
    }

    /**
     * Decrypts a stored entity into the caller's entity ({@code stored} is not changed), as one {@link Mono} for
     * either kind of client: the metadata is checked when it is subscribed, the content key is unwrapped as
     * {@code blocking} allows ({@link Envelope#open}), and the values are decrypted where
     * {@link CryptoThread#decrypting} says.
     *
     * @param projection the properties the caller selected (a selected encrypted property that is missing is an
     *     error; an unselected one is not)
     * @return the entity; an error signal {@link dev.cse4j.core.EncryptionPolicyException} if the entity is not
     *     encrypted and encryption is required, or it is legacy 1.0 and unauthenticated reads are not allowed,
     *     {@link dev.cse4j.core.KeyResolutionException} if no key is found for its key id,
     *     {@link IntegrityException} if anything authenticated fails to verify, or metadata or a listed value was
     *     removed, {@link MalformedEncryptionDataException} if the metadata cannot be understood
     */
    Mono<TableEntity> decrypt(TableEntity stored, Projection projection, Blocking blocking) {
        return open(stored, projection, blocking).map(Opened::entity);
    }

    /** As {@link #decrypt(TableEntity, Projection, Blocking)}, saying also what was encrypted and how. */
    Mono<Opened> open(TableEntity stored, Projection projection, Blocking blocking) {
        return Mono.defer(() -> {
            String what = EntityEncryptor.describe(tableName, stored.getPartitionKey(), stored.getRowKey());
            EncryptionData data = metadata(stored, what);
            if (data == null) {
                settings.checkUnencryptedAllowed(what);
                return Mono.just(new Opened(result(stored, Map.of(), projection), Set.of(), null));
            }
            return CryptoThread.decrypting(Envelope.open(settings, data, what, blocking), blocking).map(envelope -> {
                try {
                    return opened(stored, projection, what, data, envelope);
                } finally {
                    envelope.destroy();
                }
            });
        });
    }

    private Opened opened(TableEntity stored, Projection projection, String what, EncryptionData data,
        Envelope envelope) {
        Map<String, Object> properties = stored.getProperties();
        String partitionKey = stored.getPartitionKey();
        String rowKey = stored.getRowKey();
        boolean legacy = data.protocol() == EncryptionProtocol.V1_0;
        PropertyCipher cipher = legacy
            ? new LegacyEntityCipher(envelope.key(), data.contentEncryptionIv(), partitionKey, rowKey,
                LegacyEntityCipher.isJavaV1(data))
            : new AuthenticatedEntityCipher(envelope.key(), settings.cryptoProvider(), partitionKey, rowKey, what);
        Collection<String> names = encryptedNames(what, properties, properties.get(EntityNames.NAME_LIST), cipher,
            legacy);
        Map<String, String> decrypted = new LinkedHashMap<>();
        for (String name : names) {
            Object value = properties.get(name);
            if (value == null) {
                if (projection.includes(name)) {
                    throw new IntegrityException(what + ": encrypted property '" + name + "' is in the entity's "
                        + (legacy ? "" : "authenticated ") + "list of encrypted properties but is missing: it "
                        + "was removed. Nothing was returned.");
                }
                continue;
            }
            if (!(value instanceof byte[])) {
                throw new IntegrityException(what + ": property '" + name + "' is listed as encrypted but is "
                    + "stored as " + typeName(value) + ", not as encrypted binary: it was replaced. Nothing was "
                    + "returned.");
            }
            String text = Utf8.decodeOrNull(cipher.decrypt(name, (byte[]) value));
            if (text == null) {
                throw legacy
                    ? new IntegrityException(what + ": legacy 1.0 property '" + name + "' does not decrypt to "
                        + "UTF-8 text: the key is wrong or the value was modified (protocol 1.0 is not "
                        + "authenticated). Nothing was returned.")
                    : new MalformedEncryptionDataException(what + ": property '" + name + "' authenticated but "
                        + "is not UTF-8 text: it was written by an incompatible client.");
            }
            decrypted.put(name, text);
        }
        return new Opened(result(stored, decrypted, projection), Set.copyOf(names), data.protocol());
    }

    /**
     * Reads a stored entity's encryption metadata without any key (§7 steps 1 to 3 of docs/table-format.md).
     *
     * @return the metadata, or {@code null} if the entity has none (it is not encrypted)
     * @throws IntegrityException if it has the name list but not the metadata
     * @throws MalformedEncryptionDataException if the metadata cannot be parsed or names a blob or queue protocol
     */
    static EncryptionData metadata(TableEntity stored, String what) {
        Map<String, Object> properties = stored.getProperties();
        Object metadata = properties.get(EntityNames.METADATA);
        Object nameList = properties.get(EntityNames.NAME_LIST);
        if (metadata == null && nameList == null) {
            return null;
        }
        if (metadata == null) {
            throw new IntegrityException(what + " has _ClientEncryptionMetadata2 (its list of encrypted properties) but "
                + "no _ClientEncryptionMetadata1 (its encryption metadata): the metadata was removed. Nothing was "
                + "decrypted.");
        }
        if (!(metadata instanceof String)) {
            throw JsonMembers.malformed("_ClientEncryptionMetadata1 of " + what + " must be a string but is "
                + typeName(metadata));
        }
        EncryptionData data = EncryptionData.parse((String) metadata);
        if (data.protocol().usesRegions()) {
            throw new MalformedEncryptionDataException("The encryption metadata of " + what + " names protocol "
                + data.protocol().wireValue() + ", a blob and queue format: entities are encrypted with protocol "
                + "1.0 or " + EncryptionProtocol.CSE4J_TABLE_1.wireValue() + ". The metadata was copied from a "
                + "blob or message, or modified. Nothing was decrypted.");
        }
        return data;
    }

    private Collection<String> encryptedNames(String what, Map<String, Object> properties, Object nameList,
        PropertyCipher cipher, boolean legacy) {
        if (nameList == null) {
            if (legacy && !hasUserProperties(properties)) {
                return List.of(); // the Java 8 SDK writes no list for an entity without properties
            }
            throw new IntegrityException(what + " has encryption metadata but no _ClientEncryptionMetadata2 (its list "
                + "of encrypted properties): the list was removed, which would hide which properties are encrypted. "
                + "Nothing was returned.");
        }
        if (!(nameList instanceof byte[])) {
            throw JsonMembers.malformed("_ClientEncryptionMetadata2 of " + what + " must be binary but is "
                + typeName(nameList));
        }
        byte[] list = cipher.decrypt(EntityNames.NAME_LIST, (byte[]) nameList);
        if (legacy) {
            return NameList.parseLegacy(list);
        }
        List<String> names = NameList.parseAuthenticated(list);
        for (String name : names) {
            if (EntityNames.isSystemProperty(name) || EntityNames.isReserved(name) || EntityNames.isBookkeeping(name)) {
                throw JsonMembers.malformed("_ClientEncryptionMetadata2 of " + what + " lists '" + name + "', which "
                    + "cannot be an encrypted property");
            }
        }
        return names;
    }

    private static boolean hasUserProperties(Map<String, Object> properties) {
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            String name = e.getKey();
            if (e.getValue() != null && !EntityNames.isSystemProperty(name) && !EntityNames.isBookkeeping(name)
                && !EntityNames.isReserved(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The caller's entity, made from the stored one: the metadata properties removed, the decrypted values in place
     * of the encrypted ones (without their Edm.Binary annotations), and PartitionKey and RowKey removed unless
     * selected (they are always requested, for the decryption; an entity without them has null keys, as the SDK's
     * entities read with such a projection).
     */
    private static TableEntity result(TableEntity stored, Map<String, String> decrypted, Projection projection) {
        Map<String, Object> properties = new LinkedHashMap<>(stored.getProperties());
        for (String reserved : new String[] {EntityNames.METADATA, EntityNames.NAME_LIST}) {
            properties.remove(reserved);
            properties.remove(EntityNames.typeAnnotation(reserved));
        }
        for (Map.Entry<String, String> e : decrypted.entrySet()) {
            properties.put(e.getKey(), e.getValue());
            properties.remove(EntityNames.typeAnnotation(e.getKey()));
        }
        TableEntity result = new TableEntity(stored.getPartitionKey(), stored.getRowKey()).setProperties(properties);
        projection.removeUnselectedKeys(result.getProperties());
        return result;
    }

    private static String typeName(Object value) {
        return value instanceof byte[] ? "binary" : value.getClass().getSimpleName();
    }
}
