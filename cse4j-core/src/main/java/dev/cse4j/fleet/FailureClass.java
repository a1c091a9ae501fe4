package dev.cse4j.fleet;

import dev.cse4j.core.ClientSideEncryptionException;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.IntegrityException;
import dev.cse4j.core.KeyResolutionException;
import dev.cse4j.core.KeyWrapException;
import dev.cse4j.core.MalformedEncryptionDataException;

/**
 * The kind of a failure, most serious first, with the exit code the {@code cse4j} command gives it: a fleet run
 * exits with the code of the most serious class among its failures (0 if none failed).
 */
public enum FailureClass {
    /**
     * The data, its encryption metadata or its wrapped key was modified, or the key could not unwrap it
     * ({@link IntegrityException}, {@link MalformedEncryptionDataException}, {@link KeyWrapException}). Exit 3.
     */
    INTEGRITY(3),
    /** No key has the stored key id, or the key found reports another id ({@link KeyResolutionException}). Exit 4. */
    KEY_NOT_FOUND(4),
    /**
     * Refused by policy ({@link EncryptionPolicyException}): e.g. legacy 1.0 data without the opt-in, unencrypted
     * data where encryption is required. Exit 5.
     */
    POLICY(5),
    /** Anything else: the service refused or failed, the object changed meanwhile, ... Exit 1. */
    OTHER(1);

    private final int exitCode;

    FailureClass(int exitCode) {
        this.exitCode = exitCode;
    }

    /** The {@code cse4j} command's exit code for this class. */
    public int exitCode() {
        return exitCode;
    }

    /** Whether this class is more serious than {@code other} (INTEGRITY, KEY_NOT_FOUND, POLICY, OTHER). */
    public boolean isMoreSeriousThan(FailureClass other) {
        return other == null || ordinal() < other.ordinal();
    }

    /**
     * The class of a failure: the first cse4j exception in its cause chain (the Azure SDK and reactive code wrap
     * them) decides; anything else is {@link #OTHER}.
     */
    public static FailureClass of(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof ClientSideEncryptionException e) {
                return ofCse4j(e);
            }
        }
        return OTHER;
    }

    private static FailureClass ofCse4j(ClientSideEncryptionException e) {
        if (e instanceof IntegrityException || e instanceof MalformedEncryptionDataException
            || e instanceof KeyWrapException) {
            return INTEGRITY;
        }
        if (e instanceof KeyResolutionException) {
            return KEY_NOT_FOUND;
        }
        if (e instanceof EncryptionPolicyException) {
            return POLICY;
        }
        return OTHER;
    }
}
