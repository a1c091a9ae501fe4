package dev.cse4j.cli;

/** The {@code cse4j} exit codes: a stable contract for scripts. */
enum ExitCode {
    /** Done. */
    OK(0),
    /** Any other failure: a missing file, blob, message or entity, the service refused or could not be reached. */
    OTHER(1),
    /** Unknown or missing option, or option values that do not fit together. */
    USAGE(2),
    /** The data or its encryption metadata was modified, or the key could not unwrap the content key. */
    INTEGRITY(3),
    /** No key in the key file has the stored key id (or {@code --key-id}), or a key reports another id. */
    KEY_NOT_FOUND(4),
    /**
     * Refused by policy: unencrypted data, legacy 1.0 data without {@code --allow-v1}, or a blob without an
     * integrity record under {@code --require-integrity-record}.
     */
    POLICY(5);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }
}
