package dev.cse4j.core;

import java.util.Objects;

/**
 * No key encryption key could be found for the key id stored with an object, or the key found reports a different
 * key id. Nothing was unwrapped or decrypted.
 *
 * <p>Fix by configuring a key resolver that knows {@link #getKeyId()}, or the key encryption key with that id.
 */
public class KeyResolutionException extends ClientSideEncryptionException {
    private static final long serialVersionUID = 1L;

    /** Why no key could be used. */
    public enum Reason {
        /** Neither the configured key nor the resolver provides a key for the stored key id. */
        KEY_NOT_FOUND,
        /** A key was found but its own key id differs from the stored one. */
        KEY_ID_MISMATCH,
        /** No key encryption key and no key resolver are configured for reading. */
        NO_KEY_CONFIGURED
    }

    private final String keyId;
    private final Reason reason;

    public KeyResolutionException(Reason reason, String keyId, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.keyId = keyId;
    }

    public KeyResolutionException(Reason reason, String keyId, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.keyId = keyId;
    }

    /** The key id stored with the object (a key id is not secret), or {@code null} if unknown. */
    public String getKeyId() {
        return keyId;
    }

    public Reason getReason() {
        return reason;
    }
}
