package dev.cse4j.bench.crypto;

import dev.cse4j.core.implementation.ContentKey;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Warm ratios that survive a noisy shared machine: in one JVM, runs every {@link RegionWork} variant of one provider
 * in turn, one 4 MiB region each, round after round, and prints each variant's median MB/s. Load from other
 * processes then hits all variants alike, which separate JMH runs cannot promise. The first {@code --warmup} seconds
 * are not counted; cse4j's warm-up also compiles what the raw JDK variants run, so they are shown fully warm (alone,
 * a raw 4 MiB call needs ~85 s to get there: see the README). Commands: {@code cse4j-bench/README.md}.
 */
public final class InterleavedWarm {
    private InterleavedWarm() {
    }

    /** {@code [jdk|corretto] [seconds measured, default 30] [seconds warm-up, default 10]}. */
    public static void main(String[] args) {
        String provider = args.length > 0 ? args[0] : "jdk";
        long measured = (args.length > 1 ? Long.parseLong(args[1]) : 30) * 1_000_000_000L;
        long warmUp = (args.length > 2 ? Long.parseLong(args[2]) : 10) * 1_000_000_000L;
        ContentKey key = ContentKey.generate();
        byte[] sealed = RegionWork.sealRegionZero(key, RegionWork.REGION);
        List<String> names = new ArrayList<>();
        List<RegionWork> work = new ArrayList<>();
        for (RegionWork.Op op : RegionWork.Op.values()) {
            for (RegionWork.Impl impl : RegionWork.Impl.values()) {
                names.add(op.name().toLowerCase(Locale.ROOT) + " " + impl);
                work.add(new RegionWork(provider, impl, op, op == RegionWork.Op.ENCRYPT ? ContentKey.generate() : key,
                    sealed, RegionWork.REGION));
            }
        }
        long[][] nanos = new long[work.size()][1024];
        int rounds = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < warmUp + measured) {
            boolean counted = System.nanoTime() - start >= warmUp;
            if (counted && rounds == nanos[0].length) {
                for (int v = 0; v < nanos.length; v++) {
                    nanos[v] = Arrays.copyOf(nanos[v], 2 * rounds);
                }
            }
            for (int v = 0; v < work.size(); v++) {
                long t = System.nanoTime();
                work.get(v).run();
                if (counted) {
                    nanos[v][rounds] = System.nanoTime() - t;
                }
            }
            if (counted) {
                rounds++;
            }
        }
        System.out.printf(Locale.ROOT, "%s, 4 MiB regions, median MB/s (10^6 bytes/s) of %d interleaved rounds:%n",
            provider, rounds);
        for (int v = 0; v < work.size(); v++) {
            long[] sorted = Arrays.copyOf(nanos[v], rounds);
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "  %-22s %6.0f%n", names.get(v),
                RegionWork.REGION / (sorted[rounds / 2] / 1e3));
        }
    }
}
