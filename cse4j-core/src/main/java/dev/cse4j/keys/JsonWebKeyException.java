package dev.cse4j.keys;

import dev.cse4j.core.ClientSideEncryptionException;

/**
 * A JSON Web Key or JWK Set cannot be used: it is not valid JSON, lacks a required member, has a member of the wrong
 * type or encoding, is of a type or size cse4j does not support, forbids key wrapping ({@code use}, {@code key_ops}),
 * or a key set is ambiguous (duplicate key ids, or several keys where one was expected).
 *
 * <p>The message names the file or key and the member at fault, and says how to fix it. It never contains key
 * material.
 */
public class JsonWebKeyException extends ClientSideEncryptionException {
    private static final long serialVersionUID = 1L;

    public JsonWebKeyException(String message) {
        super(message);
    }

    public JsonWebKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
