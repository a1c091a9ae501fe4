package dev.cse4j.table;

import com.azure.data.tables.models.TableEntity;

import java.util.Objects;

/**
 * One table entity as a fleet listing shows it ({@link TableListing}): its keys, its ETag and its encryption metadata
 * as stored, which is what a {@link TableFleetOperation} needs to decide what to do with the entity, and to do it
 * when that needs no values (a re-wrap writes the metadata back with If-Match on this ETag). A plain immutable value
 * of strings, with a public constructor and getters, so a distributed job can carry it between machines.
 *
 * <p>Everything is as the service returned it (keys and metadata are not escaped): escape before printing to a
 * terminal.
 */
public final class EntityRef {
    private final String partitionKey;
    private final String rowKey;
    private final String eTag;
    private final String encryptionMetadata;
    private final boolean nameListStored;

    /**
     * @param partitionKey the entity's PartitionKey
     * @param rowKey its RowKey
     * @param eTag its ETag as listed
     * @param encryptionMetadata its {@code _ClientEncryptionMetadata1} as stored, or {@code null} if it has none
     * @param nameListStored whether it has {@code _ClientEncryptionMetadata2} (the encrypted list of encrypted names)
     */
    public EntityRef(String partitionKey, String rowKey, String eTag, String encryptionMetadata,
        boolean nameListStored) {
        this.partitionKey = Objects.requireNonNull(partitionKey, "partitionKey");
        this.rowKey = Objects.requireNonNull(rowKey, "rowKey");
        this.eTag = Objects.requireNonNull(eTag, "eTag");
        this.encryptionMetadata = encryptionMetadata;
        this.nameListStored = nameListStored;
    }

    /**
     * The ref of a listed entity (listed with at least its keys and both metadata properties, as
     * {@link TableListing} lists). A {@code _ClientEncryptionMetadata1} stored as anything but a string is kept as
     * a text saying so, which does not parse: the entity is then reported as malformed, never as unencrypted.
     */
    public static EntityRef of(TableEntity listed) {
        Object metadata = listed.getProperties().get(EntityNames.METADATA);
        String text = metadata == null || metadata instanceof String ? (String) metadata
            : "(stored as " + (metadata instanceof byte[] ? "binary" : metadata.getClass().getSimpleName())
            + ", not as a string)";
        return new EntityRef(listed.getPartitionKey(), listed.getRowKey(), listed.getETag(), text,
            listed.getProperties().get(EntityNames.NAME_LIST) != null);
    }

    public String getPartitionKey() {
        return partitionKey;
    }

    public String getRowKey() {
        return rowKey;
    }

    public String getETag() {
        return eTag;
    }

    /** {@code _ClientEncryptionMetadata1} as stored, or {@code null}. */
    public String getEncryptionMetadata() {
        return encryptionMetadata;
    }

    /** Whether {@code _ClientEncryptionMetadata2} is stored. */
    public boolean isNameListStored() {
        return nameListStored;
    }

    /** Whether the entity has either metadata property (else it is not encrypted). */
    public boolean isEncrypted() {
        return encryptionMetadata != null || nameListStored;
    }

    /** The metadata properties as a stored entity holds them, for {@link EntityDecryptor#metadata}. */
    TableEntity metadataView() {
        TableEntity view = new TableEntity(partitionKey, rowKey);
        if (encryptionMetadata != null) {
            view.addProperty(EntityNames.METADATA, encryptionMetadata);
        }
        if (nameListStored) {
            view.addProperty(EntityNames.NAME_LIST, new byte[0]);
        }
        return view;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EntityRef other && partitionKey.equals(other.partitionKey) && rowKey.equals(other.rowKey)
            && eTag.equals(other.eTag) && Objects.equals(encryptionMetadata, other.encryptionMetadata)
            && nameListStored == other.nameListStored;
    }

    @Override
    public int hashCode() {
        return Objects.hash(partitionKey, rowKey, eTag, encryptionMetadata, nameListStored);
    }

    /** Keys and ETag; not the metadata. */
    @Override
    public String toString() {
        return "EntityRef[" + partitionKey + ", " + rowKey + ", eTag=" + eTag + "]";
    }
}
