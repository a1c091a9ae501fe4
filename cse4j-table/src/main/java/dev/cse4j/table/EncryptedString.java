package dev.cse4j.table;

import java.util.Objects;

/**
 * A string property value that {@link EncryptedTableClient} stores encrypted: the per-entity way to mark a property
 * for encryption, next to the client-wide {@link EncryptionResolver}.
 *
 * <pre>{@code
 * TableEntity entity = new TableEntity("customers", "42")
 *     .addProperty("Name", "Ada")                                   // stored as it is
 *     .addProperty("Ssn", EncryptedString.of("078-05-1120"));       // stored encrypted (Edm.Binary)
 * client.upsertEntity(entity);
 * }</pre>
 *
 * <p>Reading gives the decrypted value back as a plain {@link String}. Written back with a merge (the default of
 * {@code upsertEntity} and {@code updateEntity}), it stays encrypted: a merge never stores a property that is stored
 * encrypted in plaintext. Written back with {@code TableEntityUpdateMode.REPLACE}, it must be marked again, or
 * selected by an {@link EncryptionResolver} (the better choice for a fixed schema).
 *
 * <p>Only a TableEntity written through {@link EncryptedTableClient} is encrypted. A plain {@code TableClient} cannot
 * serialize this class and fails before sending anything; {@link #toString()} never shows the value.
 */
public final class EncryptedString {
    private final String value;

    private EncryptedString(String value) {
        this.value = value;
    }

    /**
     * @param plaintext the value to store encrypted; may be empty, not {@code null} (a null property is not stored
     *     at all, so there is nothing to encrypt)
     * @throws NullPointerException if {@code plaintext} is null
     */
    public static EncryptedString of(String plaintext) {
        return new EncryptedString(Objects.requireNonNull(plaintext,
            "plaintext: a null property cannot be encrypted (the service does not store nulls)"));
    }

    /** The plaintext; package-private so that no serializer finds it. */
    String plaintext() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncryptedString && ((EncryptedString) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "EncryptedString[redacted]";
    }
}
