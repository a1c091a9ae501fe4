package dev.cse4j.core;

/**
 * The operation was refused by policy rather than failing: data that is not encrypted while encryption is required,
 * legacy protocol 1.0 data while unauthenticated 1.0 reads are not allowed, or an operation that cannot be performed
 * with encryption (it would store plaintext or break the stored encryption).
 *
 * <p>The message names the setting or the alternative operation to use.
 */
public class EncryptionPolicyException extends ClientSideEncryptionException {
    private static final long serialVersionUID = 1L;

    public EncryptionPolicyException(String message) {
        super(message);
    }

    public EncryptionPolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
