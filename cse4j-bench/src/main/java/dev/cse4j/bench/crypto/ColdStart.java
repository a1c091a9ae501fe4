package dev.cse4j.bench.crypto;

import dev.cse4j.core.implementation.ContentKey;

import javax.crypto.Cipher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Cold-JVM region crypto: for each provider × implementation × direction, starts fresh JVMs that each process the
 * first {@code --mib} MiB (4 MiB regions, {@link RegionWork}) and prints MB/s per 32 MiB and over the whole, medians
 * over {@code --runs} JVMs. This is what a command-line upload or download meets, and where the JDK's AES-GCM is
 * slowest. Timing starts at the first region; JCA and provider loading (shared with key unwrapping in real use)
 * happen before it. Commands: {@code cse4j-bench/README.md}.
 */
public final class ColdStart {
    private static final int SLOT_MIB = 32;
    private static final int REGIONS_PER_SLOT = SLOT_MIB * 1024 * 1024 / RegionWork.REGION;

    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(args);
            return;
        }
        Options options = Options.parse(args);
        Path data = Files.createTempFile("cse4j-cold-start", ".bin");
        try {
            ContentKey key = ContentKey.generate();
            byte[] sealed = RegionWork.sealRegionZero(key, RegionWork.REGION);
            byte[] keyAndRegion = Arrays.copyOf(key.bytes(), ContentKey.LENGTH + sealed.length);
            System.arraycopy(sealed, 0, keyAndRegion, ContentKey.LENGTH, sealed.length);
            Files.write(data, keyAndRegion);
            System.out.printf(Locale.ROOT, "Cold start: first %d MiB of 4 MiB regions, %d thread(s), median of %d "
                + "fresh JVMs (%s); MB/s = 10^6 bytes/s%n", options.mib, options.threads, options.runs, options.java);
            for (String provider : options.providers) {
                for (String op : options.ops) {
                    for (String impl : options.impls) {
                        if (provider.equals("auto") && !impl.equals("CSE4J")) {
                            continue; // auto is cse4j's own choice; raw Cipher rows are per provider
                        }
                        report(options, provider, impl, op, data);
                    }
                }
            }
        } finally {
            Files.deleteIfExists(data);
        }
    }

    private static void report(Options options, String provider, String impl, String op, Path data)
        throws IOException, InterruptedException {
        int slots = options.mib / SLOT_MIB;
        double[][] slotMbps = new double[slots][options.runs];
        double[] totalMbps = new double[options.runs];
        for (int run = 0; run < options.runs; run++) {
            List<String> command = new ArrayList<>();
            command.add(options.java);
            command.addAll(options.jvmArgs);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), ColdStart.class.getName(), "--child",
                provider, impl, op, String.valueOf(options.mib), String.valueOf(options.threads), data.toString()));
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String output = new String(process.getInputStream().readAllBytes()).trim();
            if (process.waitFor() != 0 || !output.startsWith("ENDS ")) {
                System.out.printf(Locale.ROOT, "%-8s %-12s %-7s: not run (%s)%n", provider, impl, op,
                    output.isEmpty() ? "exit " + process.exitValue() : output);
                return;
            }
            long[] ends = Arrays.stream(output.substring(5).trim().split(" ")).mapToLong(Long::parseLong).toArray();
            for (int s = 0; s < slots; s++) {
                slotMbps[s][run] = mbps(SLOT_MIB, ends[s] - (s == 0 ? 0 : ends[s - 1]));
            }
            totalMbps[run] = mbps(options.mib, ends[slots - 1]);
        }
        StringBuilder perSlot = new StringBuilder();
        for (double[] slot : slotMbps) {
            perSlot.append(String.format(Locale.ROOT, " %5.0f", median(slot)));
        }
        double total = median(totalMbps);
        System.out.printf(Locale.ROOT, "%-8s %-12s %-7s: first %d MiB %6.0f MB/s (%5.0f per thread) | per %d MiB:%s%n",
            provider, impl, op, options.mib, total, total / options.threads, SLOT_MIB, perSlot);
    }

    /** In a fresh JVM: {@code --child provider impl op mib threads dataFile}; prints {@code ENDS} and slot end times. */
    private static void child(String[] args) throws Exception {
        String provider = args[1];
        RegionWork.Impl impl = RegionWork.Impl.valueOf(args[2]);
        RegionWork.Op op = RegionWork.Op.valueOf(args[3].toUpperCase(Locale.ROOT));
        int regions = Integer.parseInt(args[4]) * 1024 * 1024 / RegionWork.REGION;
        int threads = Integer.parseInt(args[5]);
        byte[] keyAndRegion = Files.readAllBytes(Paths.get(args[6]));
        ContentKey key = ContentKey.of(Arrays.copyOf(keyAndRegion, ContentKey.LENGTH));
        byte[] sealed = Arrays.copyOfRange(keyAndRegion, ContentKey.LENGTH, keyAndRegion.length);

        Cipher.getInstance("AES/GCM/NoPadding"); // load the JCA framework and providers before timing
        try {
            RegionWork.provider(provider); // corretto: loaded before timing; auto: loads it in the background, timed
        } catch (IllegalStateException e) {
            System.out.println(e.getMessage());
            return;
        }
        RegionWork[] work = new RegionWork[threads];
        for (int t = 0; t < threads; t++) {
            // encryption: each thread its own key, as each object has its own
            work[t] = new RegionWork(provider, impl, op, op == RegionWork.Op.ENCRYPT ? ContentKey.generate() : key,
                sealed, RegionWork.REGION);
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicLongArray slotEnds = new AtomicLongArray(regions / REGIONS_PER_SLOT);
        long start = System.nanoTime();
        Thread[] running = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            RegionWork mine = work[t];
            running[t] = new Thread(() -> {
                while (next.getAndIncrement() < regions) {
                    mine.run();
                    int finished = done.incrementAndGet();
                    if (finished % REGIONS_PER_SLOT == 0) {
                        slotEnds.set(finished / REGIONS_PER_SLOT - 1, System.nanoTime() - start);
                    }
                }
            });
            running[t].start();
        }
        for (Thread thread : running) {
            thread.join();
        }
        StringBuilder out = new StringBuilder("ENDS");
        for (int s = 0; s < slotEnds.length(); s++) {
            out.append(' ').append(slotEnds.get(s));
        }
        System.out.println(out);
    }

    private static double mbps(long mib, long nanos) {
        return mib * 1024.0 * 1024.0 / (nanos / 1e9) / 1e6;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Command-line options; see the class comment and the README. */
    private static final class Options {
        List<String> providers = List.of("jdk", "auto", "corretto");
        List<String> impls = List.of("CSE4J", "RAW_SLICES", "RAW_ONE_CALL");
        List<String> ops = List.of("encrypt", "decrypt");
        int mib = 256;
        int threads = 1;
        int runs = 3;
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> jvmArgs = new ArrayList<>();

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--providers": o.providers = List.of(value.split(",")); i++; break;
                    case "--impls": o.impls = List.of(value.toUpperCase(Locale.ROOT).split(",")); i++; break;
                    case "--ops": o.ops = List.of(value.toLowerCase(Locale.ROOT).split(",")); i++; break;
                    case "--mib": o.mib = Integer.parseInt(value); i++; break;
                    case "--threads": o.threads = Integer.parseInt(value); i++; break;
                    case "--runs": o.runs = Integer.parseInt(value); i++; break;
                    case "--java": o.java = value; i++; break;
                    case "--jvm-arg": o.jvmArgs.add(value); i++; break;
                    default:
                        throw new IllegalArgumentException("Unknown option " + args[i] + "; options: --providers "
                            + "jdk,auto,corretto --impls CSE4J,RAW_SLICES,RAW_ONE_CALL --ops encrypt,decrypt --mib 256 "
                            + "--threads 1 --runs 3 --java <path to java> --jvm-arg <argument> (repeatable)");
                }
            }
            if (o.mib <= 0 || o.mib % SLOT_MIB != 0) {
                throw new IllegalArgumentException("--mib must be a positive multiple of " + SLOT_MIB);
            }
            return o;
        }
    }
}
