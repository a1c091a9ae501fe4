package dev.cse4j.bench.e2e;

import com.azure.core.cryptography.KeyEncryptionKeyResolver;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.blob.specialized.cryptography.EncryptionVersion;
import dev.cse4j.blob.BlobFleetOperation;
import dev.cse4j.blob.BlobListing;
import dev.cse4j.blob.BlobRef;
import dev.cse4j.blob.EncryptedBlobClientBuilder;
import dev.cse4j.blob.implementation.TransferTuning;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.implementation.Workers;
import dev.cse4j.fleet.FleetAction;
import dev.cse4j.fleet.FleetOptions;
import dev.cse4j.fleet.FleetOutcome;
import dev.cse4j.fleet.FleetSummary;
import dev.cse4j.keys.AesKeyWrapKey;
import dev.cse4j.keys.KeyWrapAlgorithm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The fleet harness (issue 11's throughput): cse4j's {@link BlobFleetOperation} against the plain SDK doing the
 * nearest plain work on the same blobs, with the same concurrency and the same worker loop ({@link Workers#run},
 * which {@code FleetOperation.applyAll} uses) over the same listing ({@link BlobListing}, with metadata), in one JVM
 * on one Azurite:
 * <ul>
 *   <li><b>rewrap</b>: {@code --blobs} blobs of {@code --blob-bytes} written by cse4j (protocol 2.0) under key A;
 *       cse4j's rewrap (A to B, then B to A in the next round, ...) against the plain SDK's
 *       {@code BlobClient.setMetadataWithResponse} of each blob's listed metadata, conditioned on its listed ETag.</li>
 *   <li><b>migrate</b>: {@code --migrate-mib} of blobs of {@code --sizes} MiB, alternately written by cse4j as
 *       protocol 2.1 and by Microsoft's 12.32.1 client as protocol 1.0 (key A), rewritten every round; cse4j's
 *       migrate (to 2.0, each blob's properties and tags read, its plaintext streamed into the upload, the commit
 *       conditioned on its ETag, the result read back and its hash compared) against the plain SDK's download and
 *       upload of the same bytes: {@code BlobClient.openInputStream} (If-Match on the listed ETag) streamed into
 *       {@code uploadWithResponse} with the listed metadata and the same block size, blocks in flight per blob and
 *       single-upload limit as the migration's transfers.</li>
 * </ul>
 * Each part runs one warm-up round (not counted), then {@code --rounds} rounds, cse4j and plain in alternating
 * order. Each pass is timed (wall), with this process's CPU time and Azurite's meanwhile. Every pass must have done
 * every blob (a fleet result other than rewritten or migrated fails the run). Run it with
 * {@code cse4j-bench/e2e.sh fleet} (options: {@link FleetHarnessOptions#USAGE}); see {@code cse4j-bench/README.md}.
 */
public final class FleetHarness {
    static final String REWRAP_CONTAINER = "fleet-rewrap";
    static final String MIGRATE_CONTAINER = "fleet-migrate";
    static final String CSE4J = "cse4j";
    static final String PLAIN = "plain";
    private static final int MIB = 1024 * 1024;
    /** Blobs written at once while setting up (not timed). */
    private static final int SETUP_CONCURRENCY = 8;

    private final String connectionString;
    private final long azuritePid;
    private final FleetHarnessOptions options;
    final AesKeyWrapKey keyA;
    final AesKeyWrapKey keyB;
    private final KeyEncryptionKeyResolver keys;
    private final ParallelTransferOptions transfer;

    /**
     * @param azuritePid Azurite's process id, whose CPU time is measured; 0 if unknown
     */
    FleetHarness(String connectionString, long azuritePid, FleetHarnessOptions options) {
        this.connectionString = connectionString;
        this.azuritePid = azuritePid;
        this.options = options;
        this.keyA = AesKeyWrapKey.of("fleet-bench-a", randomKey());
        this.keyB = AesKeyWrapKey.of("fleet-bench-b", randomKey());
        this.keys = id -> keyA.getKeyId().equals(id) ? keyA : keyB.getKeyId().equals(id) ? keyB : null;
        // the migration's transfers (BlobFleetOperation): 4 MiB blocks, max(1, 8 / concurrency) in flight per blob
        int perBlob = Math.max(1, TransferTuning.DEFAULT_MAX_CONCURRENCY / options.concurrency());
        this.transfer = new ParallelTransferOptions().setBlockSizeLong(TransferTuning.DEFAULT_BLOCK_SIZE)
            .setMaxConcurrency(perBlob).setMaxSingleUploadSizeLong(TransferTuning.DEFAULT_BLOCK_SIZE * perBlob);
    }

    /** One timed pass over every blob of a part. */
    record Pass(String part, String who, int round, long objects, long bytes, long wallNanos, long cpuNanos,
        long azuriteCpuNanos) {
    }

    public static void main(String[] args) throws IOException {
        FleetHarnessOptions options;
        try {
            options = FleetHarnessOptions.parse(args, Path.of("cse4j-bench/target/e2e/fleet-results.md"));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        String connectionString = System.getenv(TransferChild.CONNECTION_STRING_VARIABLE);
        String pid = System.getenv(Harness.AZURITE_PID_VARIABLE);
        if (connectionString == null || pid == null || !pid.matches("\\d+")) {
            System.err.println("The fleet harness needs " + TransferChild.CONNECTION_STRING_VARIABLE + " and "
                + Harness.AZURITE_PID_VARIABLE + " (an Azurite on loopback and its server's process id): run it with "
                + "cse4j-bench/e2e.sh fleet, which starts one.");
            System.exit(2);
            return;
        }
        FleetHarness harness = new FleetHarness(connectionString, Long.parseLong(pid), options);
        List<Pass> passes = harness.runAll();
        String markdown = new FleetReport(passes, options).markdown(Machine.describe(
            ProcessHandle.current().info().command().orElse("java"),
            ManagementFactory.getRuntimeMXBean().getInputArguments()));
        Files.createDirectories(options.out().getParent());
        Files.writeString(options.out(), markdown);
        System.out.println();
        System.out.println(markdown);
        Harness.log("Report written to %s", options.out());
        System.exit(0);
    }

    /** Every part and round; the warm-up rounds are round 0. */
    List<Pass> runAll() {
        List<Pass> passes = new ArrayList<>();
        if (options.parts().contains("rewrap")) {
            passes.addAll(rewrapPart());
        }
        if (options.parts().contains("migrate")) {
            passes.addAll(migratePart());
        }
        return passes;
    }

    private List<Pass> rewrapPart() {
        BlobContainerClient container = container(REWRAP_CONTAINER);
        Harness.log("rewrap: writing %d blobs of %d bytes with cse4j (2.0, key A)", options.blobs(),
            options.blobBytes());
        Workers.run(IntStream.range(0, options.blobs()).iterator(), SETUP_CONCURRENCY, i -> {
            cse4j(container, smallName(i), ClientSideEncryptionOptions.builder().key(keyA, KeyWrapAlgorithm.A256KW)
                .build()).upload(BinaryData.fromBytes(content(i, options.blobBytes())));
            return i;
        }, i -> { });
        List<Pass> passes = new ArrayList<>();
        AesKeyWrapKey current = keyA;
        for (int round = 0; round <= options.rounds(); round++) {
            AesKeyWrapKey next = current == keyA ? keyB : keyA;
            Pass fleet = null;
            Pass plain = null;
            for (String who : order(round)) {
                if (who.equals(CSE4J)) {
                    fleet = timed("rewrap", CSE4J, round, () -> rewrap(container, next));
                } else {
                    plain = timed("rewrap", PLAIN, round, () -> setMetadata(container));
                }
            }
            current = next;
            passes.add(plain);
            passes.add(fleet);
        }
        return passes;
    }

    private long[] rewrap(BlobContainerClient container, AesKeyWrapKey to) {
        FleetSummary summary = BlobFleetOperation.create(container,
            FleetOptions.builder(FleetAction.REWRAP).concurrency(options.concurrency()).build(),
            ClientSideEncryptionOptions.builder().keyResolver(keys).key(to, KeyWrapAlgorithm.A256KW).build())
            .run(null, result -> { });
        return expect(summary, FleetOutcome.REWRAPPED, options.blobs(), 0);
    }

    private long[] setMetadata(BlobContainerClient container) {
        AtomicLong count = new AtomicLong();
        Workers.run(BlobListing.list(container, (String) null), options.concurrency(), ref -> container
            .getBlobClient(ref.getName()).setMetadataWithResponse(ref.getMetadata(),
                new BlobRequestConditions().setIfMatch(ref.getETag()), null, Context.NONE), response -> count
            .incrementAndGet());
        return new long[] {count.get(), 0};
    }

    private List<Pass> migratePart() {
        BlobContainerClient container = container(MIGRATE_CONTAINER);
        List<Integer> sizes = options.migrateBlobsMib();
        int smallest = options.sizesMib().get(options.sizesMib().size() - 1);
        List<Pass> passes = new ArrayList<>();
        for (int round = 0; round <= options.rounds(); round++) {
            // the warm-up round: four of the smallest blobs, two of each writer
            List<Integer> set = round == 0 ? List.of(smallest, smallest, smallest, smallest) : sizes;
            long bytes = set.stream().mapToLong(size -> size * (long) MIB).sum();
            writeSources(container, set, round);
            Pass fleet = null;
            Pass plain = null;
            for (String who : order(round)) {
                if (who.equals(CSE4J)) {
                    fleet = timed("migrate", CSE4J, round, () -> migrate(container, set.size(), bytes));
                } else {
                    plain = timed("migrate", PLAIN, round, () -> copy(container, set.size(), bytes));
                }
            }
            passes.add(plain);
            passes.add(fleet);
            container.listBlobs().forEach(item -> container.getBlobClient(item.getName()).delete());
        }
        return passes;
    }

    /** Writes the migrate part's sources: even indexes by cse4j as 2.1, odd ones by Microsoft's client as 1.0. */
    private void writeSources(BlobContainerClient container, List<Integer> sizes, int round) {
        Harness.log("migrate, round %d: writing %d blobs, %d MiB (2.1 by cse4j, 1.0 by Microsoft 12.32.1)", round,
            sizes.size(), sizes.stream().mapToInt(Integer::intValue).sum());
        Workers.run(IntStream.range(0, sizes.size()).iterator(), SETUP_CONCURRENCY / 2, i -> {
            String name = String.format("m-%02d-%03d-%dMiB", round, i, sizes.get(i));
            BinaryData data = BinaryData.fromBytes(content(round * 1000L + i, sizes.get(i) * MIB));
            if (i % 2 == 0) {
                cse4j(container, name, ClientSideEncryptionOptions.builder().key(keyA, KeyWrapAlgorithm.A256KW)
                    .blobProtocol(EncryptionProtocol.V2_1).build()).upload(data);
            } else {
                microsoftV1(container, name).upload(data);
            }
            return i;
        }, i -> { });
    }

    private long[] migrate(BlobContainerClient container, int blobs, long bytes) {
        FleetSummary summary = BlobFleetOperation.create(container,
            FleetOptions.builder(FleetAction.MIGRATE).concurrency(options.concurrency()).build(),
            ClientSideEncryptionOptions.builder().keyResolver(keys).build()).run(null, result -> { });
        return expect(summary, FleetOutcome.MIGRATED, blobs, bytes);
    }

    /** The plain SDK's download and upload of every blob's stored bytes, metadata kept, If-Match on the listing. */
    private long[] copy(BlobContainerClient container, int blobs, long bytes) {
        AtomicLong count = new AtomicLong();
        Workers.run(BlobListing.list(container, (String) null), options.concurrency(), ref -> copy(container, ref),
            ref -> count.incrementAndGet());
        if (count.get() != blobs) {
            throw new IllegalStateException("The plain pass copied " + count.get() + " blobs, not " + blobs);
        }
        return new long[] {blobs, bytes};
    }

    private BlobRef copy(BlobContainerClient container, BlobRef ref) {
        BlobClient blob = container.getBlobClient(ref.getName());
        BlobRequestConditions unchanged = new BlobRequestConditions().setIfMatch(ref.getETag());
        try (InputStream in = blob.openInputStream(new BlobInputStreamOptions()
            .setBlockSize((int) TransferTuning.DEFAULT_BLOCK_SIZE).setRequestConditions(unchanged))) {
            blob.uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromStream(in, ref.getContentLength()))
                .setParallelTransferOptions(transfer).setMetadata(ref.getMetadata()).setRequestConditions(unchanged),
                null, Context.NONE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ref;
    }

    /** Checks that every blob got {@code outcome}; returns {objects, bytes}. */
    private static long[] expect(FleetSummary summary, FleetOutcome outcome, long blobs, long bytes) {
        if (summary.count(outcome) != blobs || summary.total() != blobs) {
            throw new IllegalStateException("Expected " + blobs + " blobs " + outcome + ", got " + summary);
        }
        return new long[] {blobs, bytes};
    }

    /** Runs {@code work} (which returns {objects, bytes}) and measures it. */
    private Pass timed(String part, String who, int round, Supplier<long[]> work) {
        long cpu = ProcFs.selfCpuNanos();
        long azurite = azuriteCpuNanos();
        long start = System.nanoTime();
        long[] done = work.get();
        long wall = System.nanoTime() - start;
        Pass pass = new Pass(part, who, round, done[0], done[1], wall, ProcFs.selfCpuNanos() - cpu,
            azuriteCpuNanos() - azurite);
        Harness.log("%-7s %-5s round %d%s: %d blobs in %.2f s (%.0f blobs/s%s), CPU %.2f s, Azurite CPU %.2f s", part,
            who, round, round == 0 ? " (warm-up)" : "", pass.objects(), wall / 1e9, pass.objects() / (wall / 1e9),
            pass.bytes() == 0 ? "" : String.format(", %.0f MB/s", pass.bytes() / 1e6 / (wall / 1e9)),
            pass.cpuNanos() / 1e9, pass.azuriteCpuNanos() / 1e9);
        return pass;
    }

    private long azuriteCpuNanos() {
        return azuritePid > 0 ? ProcFs.cpuNanos(azuritePid) : 0;
    }

    /** cse4j first in odd rounds, plain first in even ones. */
    private static List<String> order(int round) {
        return round % 2 == 1 ? List.of(CSE4J, PLAIN) : List.of(PLAIN, CSE4J);
    }

    private BlobContainerClient container(String name) {
        BlobContainerClient container = new BlobServiceClientBuilder().connectionString(connectionString)
            .buildClient().getBlobContainerClient(name);
        container.createIfNotExists();
        return container;
    }

    private static dev.cse4j.blob.EncryptedBlobClient cse4j(BlobContainerClient container, String name,
        ClientSideEncryptionOptions options) {
        return new EncryptedBlobClientBuilder().blobClient(container.getBlobClient(name))
            .clientSideEncryptionOptions(options).buildEncryptedBlobClient();
    }

    @SuppressWarnings("deprecation") // protocol 1.0 on purpose: the data a migration exists for
    private com.azure.storage.blob.specialized.cryptography.EncryptedBlobClient microsoftV1(
        BlobContainerClient container, String name) {
        return new com.azure.storage.blob.specialized.cryptography.EncryptedBlobClientBuilder(EncryptionVersion.V1)
            .connectionString(connectionString).containerName(container.getBlobContainerName()).blobName(name)
            .key(keyA.asAsync(), KeyWrapAlgorithm.A256KW).buildEncryptedBlobClient();
    }

    static String smallName(int index) {
        return String.format("s-%06d", index);
    }

    /** The plaintext of blob {@code seed}: pseudo-random bytes, the same for the same seed and length. */
    static byte[] content(long seed, int length) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] data = new byte[length];
        for (int i = 0; i < length; i += Long.BYTES) {
            long value = random.nextLong();
            for (int j = 0; j < Long.BYTES && i + j < length; j++) {
                data[i + j] = (byte) (value >>> (8 * j));
            }
        }
        return data;
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
