package dev.cse4j.testing;

/**
 * Azurite could not be found, installed, started or stopped. The message says what failed and what to do;
 * when Azurite or npm printed anything, the message ends with the tail of that output and names the log file.
 */
public class AzuriteException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what failed and what to do */
    public AzuriteException(String message) {
        super(message);
    }

    /**
     * @param message what failed and what to do
     * @param cause the underlying failure
     */
    public AzuriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
