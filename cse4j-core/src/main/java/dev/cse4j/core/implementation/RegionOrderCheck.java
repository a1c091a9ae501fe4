package dev.cse4j.core.implementation;

import dev.cse4j.core.IntegrityException;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Checks that every region of one object (or one ranged read of it) sits where it was written: its stored nonce must
 * be the nonce of its position under one of the SDKs' nonce schemes, and the same scheme for every region
 * (docs/formats.md §6.6).
 *
 * <p>The check starts with all schemes possible and narrows the set with each region (region 0 cannot tell Java from
 * Python: both use an all-zero nonce). An empty set means a region was moved, duplicated, dropped from the middle,
 * or taken from another position; the region is refused before it is decrypted. Thread-safe, so regions may be
 * checked in any order by several threads; the outcome only depends on the set of regions seen.
 *
 * <p>Limits: regions dropped from the <em>end</em> are not detected (nothing in protocol 2.x records the length or
 * marks the last region), and a region moved from the same position of another object with the same content key
 * cannot exist because every object has its own key.
 */
public final class RegionOrderCheck {
    private final AtomicInteger candidates;
    private final boolean enabled;

    private RegionOrderCheck(boolean enabled, int schemes) {
        this.enabled = enabled;
        this.candidates = new AtomicInteger(schemes);
    }

    /** A check for one object or one ranged read. */
    public static RegionOrderCheck strict() {
        return new RegionOrderCheck(true, NonceScheme.ALL_SCHEMES);
    }

    /**
     * A check locked onto one scheme from the first region, for an object whose writer is known (an authenticated
     * integrity record names it): even a read of a single region checks that region's position.
     */
    public static RegionOrderCheck strict(NonceScheme scheme) {
        return new RegionOrderCheck(true, 1 << scheme.ordinal());
    }

    /**
     * No order check at all: reordered, duplicated or dropped regions are accepted as long as each region's tag
     * verifies. Only for recovering data written by a client with a non-standard nonce sequence.
     */
    public static RegionOrderCheck disabledInsecure() {
        return new RegionOrderCheck(false, NonceScheme.ALL_SCHEMES);
    }

    /**
     * @param regionIndex position of the region in the object
     * @param nonce buffer holding the region's stored nonce at {@code off}
     * @throws IntegrityException if the nonce does not belong at this position
     */
    public void verify(long regionIndex, byte[] nonce, int off) {
        if (!enabled) {
            return;
        }
        int matching = NonceScheme.matching(regionIndex, nonce, off);
        int remaining = candidates.updateAndGet(c -> c & matching);
        if (remaining == 0) {
            throw new IntegrityException("Region " + regionIndex + " is out of order: its nonce does not belong at "
                + "that position" + (matching == 0 ? "" : " under the nonce sequence of the other regions")
                + ". The stored data was modified (regions reordered, duplicated, dropped or copied from elsewhere, "
                + "or a nonce corrupted); no plaintext of it was returned. Only if the data is known to come from a "
                + "writer with a non-standard nonce sequence, read it with the insecure misordered-regions opt-in.");
        }
    }
}
