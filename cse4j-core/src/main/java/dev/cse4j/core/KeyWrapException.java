package dev.cse4j.core;

/**
 * The key encryption key failed to wrap or unwrap a content encryption key: the key is not the one that wrapped it,
 * the wrapped key bytes were modified, the wrap algorithm is not supported by the key, or the key service failed.
 *
 * <p>The cause, when present, is the error raised by the key (for a remote key, the service error).
 */
public class KeyWrapException extends ClientSideEncryptionException {
    private static final long serialVersionUID = 1L;

    public KeyWrapException(String message) {
        super(message);
    }

    public KeyWrapException(String message, Throwable cause) {
        super(message, cause);
    }
}
