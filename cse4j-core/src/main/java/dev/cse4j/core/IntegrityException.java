package dev.cse4j.core;

/**
 * Authenticated data failed verification: an authentication tag did not match, regions were reordered, duplicated
 * or cut short, the wrapped content key was bound to another protocol version (a downgrade), or an authenticated
 * table value was moved. The data or its metadata was modified (or read with the wrong content key).
 *
 * <p>No plaintext of the failing unit was released. Do not retry with weaker settings unless you know why the data
 * changed.
 */
public class IntegrityException extends ClientSideEncryptionException {
    private static final long serialVersionUID = 1L;

    public IntegrityException(String message) {
        super(message);
    }

    public IntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
