package dev.cse4j.fleet;

/** What a fleet operation does to each object it is given. */
public enum FleetAction {
    /**
     * Re-wraps each object's content key with a new key encryption key: the content key is unwrapped with the key
     * that wrapped it and wrapped with the new one, keeping the protocol (and, for 2.x and {@code cse4j-t1}, the
     * protocol bound into the wrapped key). The data is not touched: only the stored wrapped key changes.
     */
    REWRAP("rewrap"),
    /**
     * Re-encrypts each object in the current format (blobs: protocol 2.0; table entities: {@code cse4j-t1}) under a
     * fresh content key, replacing the stored object only if it did not change meanwhile. The explicit opt-in to
     * read legacy, unauthenticated protocol 1.0 data.
     */
    MIGRATE("migrate"),
    /** Reads and authenticates every byte of each object, discarding the plaintext. Changes nothing. */
    VERIFY("verify");

    private final String commandName;

    FleetAction(String commandName) {
        this.commandName = commandName;
    }

    /** The action's name as the {@code cse4j} command spells it: {@code rewrap}, {@code migrate}, {@code verify}. */
    public String commandName() {
        return commandName;
    }

    @Override
    public String toString() {
        return commandName;
    }
}
