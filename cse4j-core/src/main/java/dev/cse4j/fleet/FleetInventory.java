package dev.cse4j.fleet;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which protocols and key encryption keys a set of objects uses, from their listed metadata alone: a count per
 * (protocol, key id), the unencrypted objects, and those whose encryption metadata is malformed. Thread-safe;
 * merge the inventories of parts of a listing with {@link #add(FleetInventory)}.
 */
public final class FleetInventory {
    private static final Comparator<EncryptionState> ORDER = Comparator
        .comparing(EncryptionState::protocol, Comparator.nullsFirst(Comparator.naturalOrder()))
        .thenComparing(EncryptionState::keyId, Comparator.nullsFirst(Comparator.naturalOrder()));

    private final Map<EncryptionState, Long> encrypted = new TreeMap<>(ORDER);
    private long unencrypted;
    private long malformed;

    /** An empty inventory. */
    public FleetInventory() {
    }

    /** Counts an object encrypted with {@code protocol} under key {@code keyId}. */
    public synchronized void addEncrypted(String protocol, String keyId) {
        encrypted.merge(new EncryptionState(Objects.requireNonNull(protocol, "protocol"),
            Objects.requireNonNull(keyId, "keyId")), 1L, Long::sum);
    }

    /** Counts an object without encryption metadata. */
    public synchronized void addUnencrypted() {
        unencrypted++;
    }

    /** Counts an object whose encryption metadata cannot be read. */
    public synchronized void addMalformed() {
        malformed++;
    }

    /** Adds another inventory's counts to this one. */
    public void add(FleetInventory other) {
        Map<EncryptionState, Long> theirs;
        long theirUnencrypted;
        long theirMalformed;
        synchronized (other) {
            theirs = new LinkedHashMap<>(other.encrypted);
            theirUnencrypted = other.unencrypted;
            theirMalformed = other.malformed;
        }
        synchronized (this) {
            theirs.forEach((k, v) -> encrypted.merge(k, v, Long::sum));
            unencrypted += theirUnencrypted;
            malformed += theirMalformed;
        }
    }

    /** The encrypted objects per (protocol, key id), ordered by protocol, then key id. A copy. */
    public synchronized Map<EncryptionState, Long> encrypted() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(encrypted));
    }

    public synchronized long unencrypted() {
        return unencrypted;
    }

    public synchronized long malformed() {
        return malformed;
    }

    /** All objects counted. */
    public synchronized long total() {
        return encrypted.values().stream().mapToLong(Long::longValue).sum() + unencrypted + malformed;
    }

    /** The counts, for logs (key ids unescaped). */
    @Override
    public synchronized String toString() {
        return "FleetInventory[encrypted=" + encrypted + ", unencrypted=" + unencrypted + ", malformed=" + malformed
            + "]";
    }
}
