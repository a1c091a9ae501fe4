package dev.cse4j.bench.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static dev.cse4j.bench.e2e.HarnessOptions.options;

/**
 * The fleet harness's command line. Defaults: the measurement of issue 11 (10,000 blobs of 1 KiB rewrapped, 1 GiB in
 * blobs of 4 to 64 MiB migrated, 8 at a time, 3 rounds).
 *
 * @param parts {@code rewrap} and/or {@code migrate}
 * @param blobs how many small blobs the rewrap part writes and rewraps
 * @param blobBytes the size of each small blob
 * @param migrateMib the plaintext the migrate part writes and migrates, in MiB (the sizes are cycled through while
 *     they fit)
 * @param sizesMib the migrate part's blob sizes, in MiB, largest first
 * @param concurrency blobs in flight, the same for cse4j and the plain SDK
 * @param rounds measured rounds of each part (after one warm-up round, not counted); medians are over rounds
 * @param out the Markdown report
 */
record FleetHarnessOptions(List<String> parts, int blobs, int blobBytes, int migrateMib, List<Integer> sizesMib,
    int concurrency, int rounds, Path out) {

    static final String USAGE = "usage: cse4j-bench/e2e.sh fleet [--parts rewrap,migrate] [--blobs 10000] "
        + "[--blob-bytes 1024] [--migrate-mib 1024] [--sizes 64,32,16,8,4] [--concurrency 8] [--rounds 3] "
        + "[--out FILE.md]";

    static FleetHarnessOptions parse(String[] args, Path defaultOut) {
        List<String> parts = List.of("rewrap", "migrate");
        int blobs = 10_000;
        int blobBytes = 1024;
        int migrateMib = 1024;
        List<Integer> sizes = List.of(64, 32, 16, 8, 4);
        int concurrency = 8;
        int rounds = 3;
        Path out = defaultOut;
        for (String[] option : options(args, USAGE)) {
            String name = option[0];
            String value = option[1];
            switch (name) {
                case "--parts" -> parts = Arrays.stream(value.split(",")).map(String::trim)
                    .map(p -> p.toLowerCase(Locale.ROOT)).toList();
                case "--blobs" -> blobs = Integer.parseInt(value);
                case "--blob-bytes" -> blobBytes = Integer.parseInt(value);
                case "--migrate-mib" -> migrateMib = Integer.parseInt(value);
                case "--sizes" -> sizes = Arrays.stream(value.split(",")).map(String::trim).map(Integer::valueOf)
                    .sorted((a, b) -> Integer.compare(b, a)).toList();
                case "--concurrency" -> concurrency = Integer.parseInt(value);
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("Unknown option " + name + "\n" + USAGE);
            }
        }
        if (parts.isEmpty() || !List.of("rewrap", "migrate").containsAll(parts)) {
            throw new IllegalArgumentException("--parts takes rewrap and/or migrate, not " + parts + "\n" + USAGE);
        }
        if (blobs < 1 || blobBytes < 1 || migrateMib < 1 || sizes.isEmpty() || sizes.get(sizes.size() - 1) < 1
            || concurrency < 1 || rounds < 1) {
            throw new IllegalArgumentException("Counts, sizes, the concurrency and rounds are at least 1\n" + USAGE);
        }
        return new FleetHarnessOptions(parts, blobs, blobBytes, migrateMib, sizes, concurrency, rounds,
            out.toAbsolutePath());
    }

    /** The migrate part's blob sizes in MiB: {@link #sizesMib()} cycled, each taken while it fits the total. */
    List<Integer> migrateBlobsMib() {
        List<Integer> result = new ArrayList<>();
        int left = migrateMib;
        for (boolean took = true; took; ) {
            took = false;
            for (int size : sizesMib) {
                if (size <= left) {
                    result.add(size);
                    left -= size;
                    took = true;
                }
            }
        }
        return result;
    }
}
