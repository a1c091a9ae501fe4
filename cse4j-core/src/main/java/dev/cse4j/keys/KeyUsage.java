package dev.cse4j.keys;

import dev.cse4j.core.KeyWrapException;

import java.util.List;

/**
 * The operations a JSON Web Key allows through its {@code key_ops} member (RFC 7517 §4.3): without the member every
 * operation is allowed; with it, {@code wrapKey} and {@code unwrapKey} are each allowed only if listed. And the
 * algorithm it wraps with through its {@code alg} member (RFC 7517 §4.4): with the member, wrapping uses that
 * algorithm only. Unwrapping takes any algorithm the key supports, so data wrapped before {@code alg} was set stays
 * readable.
 */
final class KeyUsage {
    static final String WRAP_KEY = "wrapKey";
    static final String UNWRAP_KEY = "unwrapKey";

    /** No {@code key_ops}: no restriction. */
    static final KeyUsage UNRESTRICTED = new KeyUsage(null, null);

    private final List<String> keyOps;
    private final String wrapAlgorithm;

    private KeyUsage(List<String> keyOps, String wrapAlgorithm) {
        this.keyOps = keyOps;
        this.wrapAlgorithm = wrapAlgorithm;
    }

    /**
     * The usage a JWK's {@code key_ops} and {@code alg} allow; {@code null} means the member is absent.
     */
    static KeyUsage of(List<String> keyOps, String alg) {
        return keyOps == null && alg == null ? UNRESTRICTED
            : new KeyUsage(keyOps == null ? null : List.copyOf(keyOps), alg);
    }

    boolean allows(String operation) {
        return keyOps == null || keyOps.contains(operation);
    }

    /** Whether neither wrapping nor unwrapping is allowed. */
    boolean allowsNoWrapping() {
        return !allows(WRAP_KEY) && !allows(UNWRAP_KEY);
    }

    /**
     * @throws KeyWrapException if the key's {@code alg} names another algorithm than {@code algorithm}
     */
    void checkWrapAlgorithm(String algorithm, String keyId) {
        if (wrapAlgorithm != null && !wrapAlgorithm.equals(algorithm)) {
            throw new KeyWrapException("Key '" + keyId + "' is marked \"alg\":\"" + wrapAlgorithm + "\" in its JSON Web "
                + "Key, so it wraps with " + wrapAlgorithm + " only, not " + algorithm + ". Wrap with "
                + wrapAlgorithm + ", or change \"alg\" in the key file if " + algorithm + " is intended.");
        }
    }

    void checkAllowed(String operation, String keyId) {
        if (!allows(operation)) {
            throw new KeyWrapException("Key '" + keyId + "' may not be used to " + operation + ": its JSON Web Key "
                + "lists key_ops " + keyOps + " without \"" + operation + "\". Add \"" + operation + "\" to key_ops "
                + "in the key file if this use is intended, or use another key.");
        }
    }
}
