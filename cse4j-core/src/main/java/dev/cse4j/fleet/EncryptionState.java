package dev.cse4j.fleet;

import dev.cse4j.core.EncryptionData;

/**
 * How one object is encrypted, as a fleet operation reports it ({@code "from"} and {@code "to"} of a report line):
 * the protocol as stored ({@code "1.0"}, {@code "2.0"}, {@code "2.1"}, {@code "cse4j-t1"}) and the id of the key
 * encryption key that wrapped its content key. Both are {@code null} for an unencrypted object, and for an object
 * whose encryption metadata cannot be read. Strings are as stored: escape them before printing them to a terminal.
 *
 * @param protocol the stored protocol, or {@code null}
 * @param keyId the stored key id, or {@code null}
 */
public record EncryptionState(String protocol, String keyId) {
    /** Not encrypted, or not known. */
    public static final EncryptionState NONE = new EncryptionState(null, null);

    /** The state {@code data} describes: its protocol and key id; {@link #NONE} for {@code null}. */
    public static EncryptionState of(EncryptionData data) {
        return data == null ? NONE : new EncryptionState(data.protocol().wireValue(), data.wrappedContentKey().keyId());
    }

    /** Whether this is {@link #NONE}. */
    public boolean isNone() {
        return protocol == null && keyId == null;
    }
}
