package dev.cse4j.keys;

import dev.cse4j.core.KeyWrapException;

import java.util.List;

/**
 * The operations a JSON Web Key allows through its {@code key_ops} member (RFC 7517 §4.3): without the member every
 * operation is allowed; with it, {@code wrapKey} and {@code unwrapKey} are each allowed only if listed.
 */
final class KeyUsage {
    static final String WRAP_KEY = "wrapKey";
    static final String UNWRAP_KEY = "unwrapKey";

    /** No {@code key_ops}: no restriction. */
    static final KeyUsage UNRESTRICTED = new KeyUsage(null);

    private final List<String> keyOps;

    private KeyUsage(List<String> keyOps) {
        this.keyOps = keyOps;
    }

    /** The usage a JWK's {@code key_ops} allows; {@code null} means the member is absent. */
    static KeyUsage of(List<String> keyOps) {
        return keyOps == null ? UNRESTRICTED : new KeyUsage(List.copyOf(keyOps));
    }

    boolean allows(String operation) {
        return keyOps == null || keyOps.contains(operation);
    }

    /** Whether neither wrapping nor unwrapping is allowed. */
    boolean allowsNoWrapping() {
        return !allows(WRAP_KEY) && !allows(UNWRAP_KEY);
    }

    void checkAllowed(String operation, String keyId) {
        if (!allows(operation)) {
            throw new KeyWrapException("Key '" + keyId + "' may not be used to " + operation + ": its JSON Web Key "
                + "lists key_ops " + keyOps + " without \"" + operation + "\". Add \"" + operation + "\" to key_ops "
                + "in the key file if this use is intended, or use another key.");
        }
    }
}
