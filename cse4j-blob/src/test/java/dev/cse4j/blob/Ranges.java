package dev.cse4j.blob;

import com.azure.storage.blob.models.BlobRange;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Plaintext ranges that hit the region (or block) edges of an {@code n}-byte blob with unit {@code r}. */
final class Ranges {
    private Ranges() {
    }

    /** Ranges inside the blob: within one unit, across units, ending on a unit end, the last byte, a tail. */
    static List<BlobRange> edges(long n, long r) {
        Set<List<Long>> pairs = new LinkedHashSet<>();
        long[][] candidates = {
            {0, 1}, {1, r - 2}, {r - 1, 1}, {r - 1, 2}, {r, r}, {r - 1, r + 2}, {0, r}, {0, 2 * r}, {r + 1, 2 * r},
            {1, n - 2}, {n - 1, 1}, {n - r, r}, {n / 2, n - n / 2}, {n / 3, -1},
        };
        for (long[] c : candidates) {
            long offset = c[0];
            long count = c[1];
            if (offset < 0 || offset >= n || count == 0 || count < -1 || (count > 0 && offset + count > n)) {
                continue;
            }
            pairs.add(List.of(offset, count));
        }
        List<BlobRange> ranges = new ArrayList<>();
        for (List<Long> p : pairs) {
            ranges.add(p.get(1) == -1 ? new BlobRange(p.get(0)) : new BlobRange(p.get(0), p.get(1)));
        }
        return ranges;
    }

    /**
     * A few ranges for large units (each costs whole regions to fetch and verify): across a unit boundary, exactly
     * one unit, the last byte.
     */
    static List<BlobRange> few(long n, long r) {
        List<BlobRange> ranges = new ArrayList<>();
        for (BlobRange range : edges(n, r)) {
            long o = range.getOffset();
            Long c = range.getCount();
            if (c != null && ((o == r - 1 && c == 2) || (o == r && c == r) || (o == n - 1 && c == 1))) {
                ranges.add(range);
            }
        }
        return ranges;
    }

    /** The expected bytes of {@code range} of {@code data} (clipped at the end). */
    static byte[] slice(byte[] data, BlobRange range) {
        int from = (int) Math.min(range.getOffset(), data.length);
        long end = range.getCount() == null ? data.length : Math.min(data.length, range.getOffset() + range.getCount());
        return java.util.Arrays.copyOfRange(data, from, (int) Math.max(from, end));
    }
}
