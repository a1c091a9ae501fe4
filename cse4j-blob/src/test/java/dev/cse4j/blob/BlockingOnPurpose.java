package dev.cse4j.blob;

/**
 * Runs a test's callback that blocks deliberately on a thread BlockHound watches (see {@link BlockHoundAllowances}):
 * a progress listener, which the clients call on the HTTP client's event loop as the Azure SDK does, that changes a
 * file while it is uploaded.
 */
final class BlockingOnPurpose {
    private BlockingOnPurpose() {
    }

    static void run(Runnable blocking) {
        blocking.run();
    }
}
