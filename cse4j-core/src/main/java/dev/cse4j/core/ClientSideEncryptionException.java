package dev.cse4j.core;

/**
 * Base type of every error cse4j raises about encryption, decryption or keys. Unchecked, like the Azure SDK's
 * exceptions.
 *
 * <p>The subtypes say what kind of failure it was, so callers can react to each:
 * <ul>
 *   <li>{@link MalformedEncryptionDataException}: the stored encryption metadata cannot be parsed or is
 *       inconsistent;</li>
 *   <li>{@link KeyResolutionException}: no key encryption key was found for the stored key id, or the key found
 *       has another id;</li>
 *   <li>{@link KeyWrapException}: the key encryption key failed to wrap or unwrap the content key;</li>
 *   <li>{@link IntegrityException}: the data or its metadata was modified, reordered, truncated or
 *       downgraded;</li>
 *   <li>{@link EncryptionPolicyException}: the operation was refused by policy (unencrypted data while encryption
 *       is required, legacy 1.0 data without the opt-in, an operation that cannot be encrypted).</li>
 * </ul>
 *
 * <p>Messages say what failed and what to do about it. They never contain key material or plaintext.
 */
public class ClientSideEncryptionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClientSideEncryptionException(String message) {
        super(message);
    }

    public ClientSideEncryptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
