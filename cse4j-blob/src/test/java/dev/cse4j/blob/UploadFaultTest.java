package dev.cse4j.blob;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import com.azure.core.exception.AzureException;
import dev.cse4j.core.ClientSideEncryptionException;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.FaultMatrix;
import dev.cse4j.testing.FaultProxy;
import dev.cse4j.testing.FaultRule;
import dev.cse4j.testing.FaultRule.Direction;
import dev.cse4j.testing.TestData;
import io.netty.handler.codec.PrematureChannelClosureException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.Exceptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Uploads cut at random points by a fault proxy between the client and Azurite (issue 14, fault injection): the
 * connection reset or closed after a random number of bytes either way, or the service answering 500/503. Each seed
 * picks the data (0 to 40 KiB), the protocol, the transfer path (one Put Blob from memory or from the spool file,
 * or staged 4 KiB blocks), whether an older version exists, whether the SDK retries, and the fault. Whatever
 * happens, the blob is the older version (or absent), or the new one complete: everything stored is downloaded and
 * decrypted and must equal one of the two inputs, named by the metadata written with it; a successful upload must
 * have stored the new one. A failing seed is named in the test's name and message: rerun it alone with
 * {@code -Dtest='UploadFaultTest'} and the same seed list.
 */
@ExtendWith(AzuriteExtension.class)
class UploadFaultTest {
    private static final int SYNC_SEEDS = 30;
    private static final int ASYNC_SEEDS = 10;
    // an asynchronous client signals the HTTP client's own failures (IOException, Netty's unchecked
    // PrematureChannelClosureException) as the Azure SDK's asynchronous clients do; a synchronous one throws
    // UncheckedIOException for both
    private static final FaultMatrix MATRIX = new FaultMatrix("upload cut at a random point",
        AzureException.class, UncheckedIOException.class, ClientSideEncryptionException.class, IOException.class,
        PrematureChannelClosureException.class);

    private static Azurite azurite;
    private static FaultProxy proxy;
    private static BlobContainerClient direct;

    @BeforeAll
    static void start(Azurite service) {
        azurite = service;
        proxy = FaultProxy.start(azurite.blobPort());
        direct = Fixtures.container(azurite, "upload-cuts");
    }

    @AfterAll
    static void stop() {
        proxy.close();
        MATRIX.print();
    }

    static Stream<Arguments> seeds() {
        return Stream.concat(LongStream.rangeClosed(1, SYNC_SEEDS).mapToObj(seed -> Arguments.of(Api.SYNC, seed)),
            LongStream.rangeClosed(1, ASYNC_SEEDS).mapToObj(seed -> Arguments.of(Api.ASYNC, seed)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("seeds")
    void uploadCut_leavesTheOldVersionOrTheNewOneWhole_neverMismatchedMetadata(Api api, long seed) {
        Random random = new Random(seed);
        Scenario scenario = Scenario.pick(random);
        String name = api + "-" + seed;
        byte[] old = TestData.random(scenario.length, seed * 2);
        byte[] fresh = TestData.random(scenario.length, seed * 2 + 1);
        proxy.clear();

        // the older version, through the proxy without faults: how many bytes an upload of this shape sends
        long up = proxy.forwarded(Direction.UPSTREAM);
        long down = proxy.forwarded(Direction.DOWNSTREAM);
        upload(api, scenario, scenario.withOld ? name : name + "-probe", old, "old", 1);
        up = proxy.forwarded(Direction.UPSTREAM) - up;
        down = proxy.forwarded(Direction.DOWNSTREAM) - down;

        String fault = scenario.addFault(random, up, down);
        String what = api + " seed " + seed + ": " + scenario + ", " + fault;
        Throwable failure = null;
        try {
            upload(api, scenario, name, fresh, "new", scenario.tries);
        } catch (RuntimeException e) {
            failure = Exceptions.unwrap(e); // the asynchronous client's error signal, as block() wraps it
        } finally {
            proxy.clear();
        }

        Stored stored = stored(name, old, fresh, what);
        if (failure == null) {
            assertThat(stored).as("%s: the upload succeeded", what).isEqualTo(Stored.NEW);
        } else {
            MATRIX.assertTyped(failure, what);
            if (api == Api.SYNC) {
                assertThat(failure).as("%s: a synchronous client's failure", what)
                    .isNotInstanceOf(PrematureChannelClosureException.class);
            }
        }
        if (stored != Stored.NEW) {
            assertThat(stored).as("%s: the blob before the upload", what)
                .isEqualTo(scenario.withOld ? Stored.OLD : Stored.ABSENT);
        }
        MATRIX.count(api, failure == null ? "retried ok, committed whole" : stored == Stored.NEW
            ? "typed error, committed whole" : "typed error, unchanged");
    }

    /** What the blob holds now, read directly (no proxy): downloaded, decrypted and compared whole. */
    private static Stored stored(String name, byte[] old, byte[] fresh, String what) {
        if (!direct.getBlobClient(name).exists()) {
            return Stored.ABSENT;
        }
        Map<String, String> metadata = direct.getBlobClient(name).getProperties().getMetadata();
        byte[] plaintext = Fixtures.encrypted(direct, name).downloadContent().toBytes();
        String generation = metadata.get("generation");
        assertThat(generation).as("%s: the stored blob's own metadata", what).isIn("old", "new");
        assertThat(plaintext).as("%s: the stored %s version decrypted", what, generation)
            .isEqualTo("old".equals(generation) ? old : fresh);
        return "old".equals(generation) ? Stored.OLD : Stored.NEW;
    }

    private static void upload(Api api, Scenario scenario, String name, byte[] data, String generation, int tries) {
        RequestRetryOptions retries = new RequestRetryOptions(RetryPolicyType.FIXED, tries, Duration.ofSeconds(30),
            Duration.ofMillis(1), Duration.ofMillis(1), null);
        BlobContainerClient container = new BlobServiceClientBuilder()
            .connectionString(azurite.connectionStringThrough(proxy)).retryOptions(retries).buildClient()
            .getBlobContainerClient(direct.getBlobContainerName());
        EncryptedBlobClientBuilder builder = Fixtures.builder(container, name, scenario.protocol == EncryptionProtocol
            .V2_0 ? Fixtures.options() : Fixtures.options().blobProtocol(EncryptionProtocol.V2_1)
            .blobRegionLength(1024));
        EncryptedBlobUploadOptions options = new EncryptedBlobUploadOptions(BinaryData.fromBytes(data))
            .setMetadata(Map.of("generation", generation))
            .setParallelTransferOptions(new ParallelTransferOptions().setBlockSizeLong(4096L).setMaxConcurrency(2)
                .setMaxSingleUploadSizeLong(scenario.singleUpload));
        if (api == Api.SYNC) {
            builder.buildEncryptedBlobClient().uploadWithResponse(options, null, Context.NONE);
        } else {
            builder.buildEncryptedBlobAsyncClient().uploadWithResponse(options).block(Api.TIMEOUT);
        }
    }

    private enum Stored { ABSENT, OLD, NEW }

    /** One seed's upload: its shape and its fault. */
    private static final class Scenario {
        final int length;
        final EncryptionProtocol protocol;
        final long singleUpload;
        final boolean withOld;
        final int tries;

        private Scenario(int length, EncryptionProtocol protocol, long singleUpload, boolean withOld, int tries) {
            this.length = length;
            this.protocol = protocol;
            this.singleUpload = singleUpload;
            this.withOld = withOld;
            this.tries = tries;
        }

        static Scenario pick(Random random) {
            int length = random.nextInt(8) == 0 ? random.nextInt(2) : random.nextInt(40 * 1024);
            EncryptionProtocol protocol = random.nextInt(5) == 0 ? EncryptionProtocol.V2_0 : EncryptionProtocol.V2_1;
            // 1: staged (but 0 or 1 byte); 64 KiB: one Put Blob, from memory up to 8 KiB, from the spool file above
            long single = random.nextBoolean() ? 1 : 64 * 1024;
            return new Scenario(length, protocol, single, random.nextInt(3) != 0, random.nextBoolean() ? 1 : 3);
        }

        /** Adds a fault, at a random point of an upload that sends {@code up} bytes and receives {@code down}. */
        String addFault(Random random, long up, long down) {
            switch (random.nextInt(5)) {
                case 0:
                    return proxy.add(FaultRule.upstream().afterBytes(random.nextLong(up)).reset()).toString();
                case 1:
                    return proxy.add(FaultRule.upstream().afterBytes(random.nextLong(up)).truncate()).toString();
                case 2:
                    return proxy.add(FaultRule.downstream().afterBytes(random.nextLong(down)).reset()).toString();
                case 3:
                    return proxy.add(FaultRule.downstream().afterBytes(random.nextLong(down)).truncate()).toString();
                default:
                    return proxy.add(FaultRule.requests().skip(random.nextInt(4)).times(1 + random.nextInt(3))
                        .respond(random.nextBoolean() ? 500 : 503)).toString();
            }
        }

        @Override
        public String toString() {
            return length + " bytes, " + protocol + ", " + (singleUpload == 1 ? "staged" : "single Put Blob up to "
                + singleUpload) + (withOld ? ", replacing an older version" : ", new blob") + ", " + tries
                + (tries == 1 ? " try" : " tries");
        }
    }
}
