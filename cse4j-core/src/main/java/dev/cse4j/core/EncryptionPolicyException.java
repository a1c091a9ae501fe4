package dev.cse4j.core;

import java.util.Objects;

/**
 * The operation was refused by policy rather than failing: data that is not encrypted while encryption is required,
 * legacy protocol 1.0 data while unauthenticated 1.0 reads are not allowed, a name reserved for the encryption
 * metadata, a region larger than the client reads, a blob without the integrity record the client requires, or an
 * operation that cannot be performed with encryption (it would store plaintext or break the stored encryption). {@link #getReason()} says which.
 *
 * <p>The message names the setting or the alternative operation to use.
 */
public class EncryptionPolicyException extends ClientSideEncryptionException {
    private static final long serialVersionUID = 1L;

    /** Why the operation was refused. */
    public enum Reason {
        /** The data has no encryption metadata, and encryption is required. */
        UNENCRYPTED,
        /** The data is legacy protocol 1.0 (unauthenticated), and 1.0 reads are not allowed. */
        UNAUTHENTICATED_V1,
        /** A name reserved for the encryption metadata (a blob metadata key, a table property) was used. */
        RESERVED_NAME,
        /** A protocol 2.x region is larger than the client reads into memory. */
        REGION_TOO_LARGE,
        /** A protocol 2.x blob has no integrity record, and the client requires one. */
        MISSING_INTEGRITY_RECORD,
        /** Anything else that cannot be done with encryption. */
        OTHER
    }

    private final Reason reason;

    /** A refusal for {@link Reason#OTHER}. */
    public EncryptionPolicyException(String message) {
        this(Reason.OTHER, message);
    }

    /** A refusal for {@link Reason#OTHER}. */
    public EncryptionPolicyException(String message, Throwable cause) {
        this(Reason.OTHER, message, cause);
    }

    public EncryptionPolicyException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public EncryptionPolicyException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason getReason() {
        return reason;
    }
}
