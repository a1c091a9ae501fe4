package dev.cse4j.table;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.IntegrityException;
import dev.cse4j.core.TableEncryptionFormat;
import dev.cse4j.core.implementation.Blocking;
import dev.cse4j.core.implementation.EncryptionSettings;
import dev.cse4j.core.implementation.FleetKeys;
import dev.cse4j.core.implementation.ReadBackKey;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Migrates one entity to {@code cse4j-t1} under a fresh content key, for {@link TableFleetOperation}, through the
 * same encryption and decryption as the table clients. In this order:
 * <ol>
 *   <li>the entity is read whole; if its ETag is no longer the one listed, nothing more is done
 *       ({@link ModifiedException});</li>
 *   <li>it is decrypted (its content key unwrapped once; legacy 1.0 read, which is migration's opt-in; a
 *       {@code cse4j-t1} entity authenticated);</li>
 *   <li>the same properties are encrypted again, as {@code cse4j-t1}, under a fresh content key wrapped by the key
 *       encryption key of the options, or without one by the key that wrapped the source (and its algorithm), and
 *       the entity is replaced <em>only if it is still the version read</em> (If-Match): a concurrent writer's
 *       entity is never overwritten;</li>
 *   <li>the new entity is read back and decrypted with the new content key kept from its wrapping
 *       ({@link ReadBackKey}: no second unwrap; it unwraps only the exact wrapped key written, so an entity another
 *       writer replaced meanwhile does not read back), and its properties compared with the
 *       source's (every property but Timestamp, decrypted values as strings, the same properties encrypted). Only
 *       then is it migrated.</li>
 * </ol>
 * One unwrap and one wrap per entity. A failure before the replace leaves the entity as it was; a failure of the
 * read-back after it is a {@link ReadBackException} saying so.
 */
final class TableMigration {
    private final TableClient table;
    private final ClientSideEncryptionOptions keys;
    private final EncryptionSettings read;
    private final EntityDecryptor reader;

    /**
     * @param keys the keys of the operation (resolver cached), with the key encryption key to write with, if any
     * @param read the settings that read the sources (1.0 allowed)
     */
    TableMigration(TableClient table, ClientSideEncryptionOptions keys, EncryptionSettings read) {
        this.table = table;
        this.keys = keys;
        this.read = read;
        this.reader = new EntityDecryptor(read, table.getTableName());
    }

    /**
     * Migrates the entity {@code ref} names, if it is still the version listed.
     *
     * @return the new entity's encryption metadata
     * @throws ModifiedException if the entity changed since it was listed (nothing was written)
     * @throws com.azure.data.tables.models.TableServiceException 412 if it changed between the read and the replace
     *     (nothing was written), 404 if it was deleted
     * @throws ReadBackException if the entity was replaced but could not be read back and compared
     */
    EncryptionData migrate(EntityRef ref, String what) {
        TableEntity stored = table.getEntityWithResponse(ref.getPartitionKey(), ref.getRowKey(), null, null,
            Context.NONE).getValue();
        if (!ref.getETag().equals(stored.getETag())) {
            throw new ModifiedException();
        }
        EntityDecryptor.Opened source = Blocking.await(reader.open(stored, Projection.ALL, Blocking.ALLOWED));
        ClientSideEncryptionOptions writer = FleetKeys.writer(keys, read, EntityDecryptor.metadata(stored, what))
            .tableFormat(TableEncryptionFormat.AUTHENTICATED).build();
        try (ReadBackKey newKey = new ReadBackKey(writer.getKeyEncryptionKey())) {
            EntityEncryptor encryptor = new EntityEncryptor(EncryptionSettings.of(writer.toBuilder()
                .key(newKey.writer(), writer.getKeyWrapAlgorithm()).build()),
                (partitionKey, rowKey, name) -> source.encryptedNames().contains(name), table.getTableName());
            TableEntity plaintext = source.entity();
            plaintext.addProperty(EntityNames.ODATA_ETAG, stored.getETag());
            TableEntity sealed = Blocking.await(encryptor.encrypt(plaintext, Blocking.ALLOWED));
            table.updateEntityWithResponse(sealed, TableEntityUpdateMode.REPLACE, true, null, Context.NONE);
            return readBack(ref, newKey, writer, source, what);
        }
    }

    /** Reads the replaced entity back with the new content key and compares it with the source. */
    private EncryptionData readBack(EntityRef ref, ReadBackKey newKey, ClientSideEncryptionOptions writer,
        EntityDecryptor.Opened source, String what) {
        TableEntity written;
        EntityDecryptor.Opened back;
        try {
            written = table.getEntityWithResponse(ref.getPartitionKey(), ref.getRowKey(), null, null, Context.NONE)
                .getValue();
            back = Blocking.await(new EntityDecryptor(EncryptionSettings.of(ClientSideEncryptionOptions.builder()
                .key(newKey.reader(), writer.getKeyWrapAlgorithm()).cryptoProvider(writer.getCryptoProvider())
                .build()), table.getTableName()).open(written, Projection.ALL, Blocking.ALLOWED));
        } catch (RuntimeException e) {
            throw new ReadBackException(what, e);
        }
        if (back.protocol() != EncryptionProtocol.CSE4J_TABLE_1 || !back.encryptedNames()
            .equals(source.encryptedNames()) || !comparable(back.entity()).equals(comparable(source.entity()))) {
            throw new ReadBackException(what, new IntegrityException(what + " reads back other properties than its "
                + "source."));
        }
        return EntityDecryptor.metadata(written, what);
    }

    /** The user properties (not Timestamp, not OData bookkeeping), binary values as comparable buffers. */
    private static Map<String, Object> comparable(TableEntity entity) {
        Map<String, Object> properties = new LinkedHashMap<>();
        entity.getProperties().forEach((name, value) -> {
            if (!EntityNames.TIMESTAMP.equals(name) && !EntityNames.isBookkeeping(name)) {
                properties.put(name, value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : value);
            }
        });
        return properties;
    }

    /** The entity's ETag is no longer the one listed: nothing was written. */
    static final class ModifiedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ModifiedException() {
            super("modified since it was listed", null, false, false);
        }
    }

    /**
     * The new entity was written (the source is replaced), but reading it back failed or gave other properties: the
     * cause says which.
     */
    static final class ReadBackException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReadBackException(String what, RuntimeException cause) {
            super(what + " was re-encrypted and replaced, but " + (cause instanceof IntegrityException ? ""
                : "could not be ") + "read back and compared: " + cause.getMessage() + " Check it with a read "
                + "('cse4j table get'); the source version is gone (tables keep no versions).", cause);
        }
    }
}
