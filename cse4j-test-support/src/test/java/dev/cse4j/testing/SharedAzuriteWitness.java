package dev.cse4j.testing;

import java.util.concurrent.atomic.AtomicReference;

/** Remembers the first Azurite any extension test class was given, whichever class runs first. */
final class SharedAzuriteWitness {

    private static final AtomicReference<Azurite> FIRST_SEEN = new AtomicReference<>();

    private SharedAzuriteWitness() {
    }

    /** @return the first instance ever reported, which is {@code azurite} if it is the first */
    static Azurite firstSeen(Azurite azurite) {
        FIRST_SEEN.compareAndSet(null, azurite);
        return FIRST_SEEN.get();
    }
}
