package dev.cse4j.blob;

import com.azure.core.exception.AzureException;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.Exceptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Downloads cut by a fault proxy between the client and Azurite (issue 14, fault injection): the response reset,
 * closed early or stalled after a random number of bytes, or 500/503 answers, with or without the SDK's retries.
 * Each seed picks the read path (to a file replacing an existing one, to a stream, into memory, through an input
 * stream), the fault and the retries. Whatever happens, the download either returns the plaintext byte-exact, or
 * fails with a typed exception and leaves nothing behind: the target file unchanged and alone in its folder (no
 * transient file), and a stream given only verified plaintext (a prefix of the blob). The seed is in the test's name
 * and message.
 */
@ExtendWith(AzuriteExtension.class)
class DownloadFaultTest {
    private static final int SEEDS = 16;
    private static final Duration NO_PROGRESS = Duration.ofSeconds(1);
    private static final byte[] PLAINTEXT = TestData.random(100_000, 1414);
    private static final byte[] PREVIOUS = "the file before the download".getBytes(StandardCharsets.US_ASCII);
    // an asynchronous client signals the HTTP client's own failures (IOException, Netty's unchecked
    // PrematureChannelClosureException) as the Azure SDK's asynchronous clients do; a synchronous one throws
    // UncheckedIOException for both
    private static final FaultMatrix MATRIX = new FaultMatrix("download cut", AzureException.class,
        UncheckedIOException.class, ClientSideEncryptionException.class, IOException.class,
        PrematureChannelClosureException.class);

    private static Azurite azurite;
    private static FaultProxy proxy;
    private static BlobContainerClient direct;
    private static long responseBytes;

    @TempDir
    Path dir;

    private enum ReadPath { FILE, STREAM, MEMORY, INPUT_STREAM }

    @BeforeAll
    static void start(Azurite service) throws IOException {
        azurite = service;
        proxy = FaultProxy.start(azurite.blobPort());
        direct = Fixtures.container(azurite, "download-cuts");
        Fixtures.builder(direct, "blob", Fixtures.options().blobProtocol(EncryptionProtocol.V2_1)
            .blobRegionLength(1024)).buildEncryptedBlobClient().upload(BinaryData.fromBytes(PLAINTEXT));
        long before = proxy.forwarded(Direction.DOWNSTREAM);
        assertThat(client(Api.SYNC, 1).read(ReadPath.MEMORY, null)).isEqualTo(PLAINTEXT);
        responseBytes = proxy.forwarded(Direction.DOWNSTREAM) - before;
    }

    @AfterAll
    static void stop() {
        proxy.close();
        MATRIX.print();
    }

    static Stream<Arguments> seeds() {
        return Stream.of(Api.values()).flatMap(api -> LongStream.rangeClosed(1, SEEDS)
            .mapToObj(seed -> Arguments.of(api, seed)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("seeds")
    void downloadCut_isRetriedByteExact_orFailsTypedLeavingNothingBehind(Api api, long seed) throws IOException {
        Random random = new Random(seed * 7919 + api.ordinal());
        ReadPath picked = ReadPath.values()[random.nextInt(ReadPath.values().length)];
        // the asynchronous client has no input stream: it reads into memory instead
        ReadPath path = api == Api.ASYNC && picked == ReadPath.INPUT_STREAM ? ReadPath.MEMORY : picked;
        int tries = random.nextBoolean() ? 1 : 3;
        Path target = Files.write(dir.resolve("target.bin"), PREVIOUS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        proxy.clear();
        String fault = addFault(random, path);
        String what = api + " seed " + seed + ": " + path + ", " + tries + " tries, " + fault;

        Throwable failure = null;
        byte[] read = null;
        try {
            read = client(api, tries).read(path, path == ReadPath.FILE ? target : null, out);
        } catch (RuntimeException e) {
            failure = Exceptions.unwrap(e); // the asynchronous client's error signal, as block() wraps it
        } finally {
            proxy.clear();
        }

        if (failure == null) {
            assertThat(read).as("%s: the download", what).isEqualTo(PLAINTEXT);
            MATRIX.count(api + " " + path, "retried ok, byte-exact");
            return;
        }
        MATRIX.assertTyped(failure, what);
        if (api == Api.SYNC) {
            assertThat(failure).as("%s: a synchronous client's failure", what)
                .isNotInstanceOf(PrematureChannelClosureException.class);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("%s: the folder after the failed download", what).containsExactly(target);
        }
        assertThat(Files.readAllBytes(target)).as("%s: the target file", what).isEqualTo(PREVIOUS);
        byte[] released = out.toByteArray();
        assertThat(released).as("%s: plaintext released before the failure", what)
            .isEqualTo(Arrays.copyOf(PLAINTEXT, released.length));
        MATRIX.count(api + " " + path, "typed error, nothing left behind");
    }

    /** Adds one fault on the responses (or requests) of a download, at a random point. */
    private static String addFault(Random random, ReadPath path) {
        long at = random.nextLong(responseBytes);
        boolean bounded = path == ReadPath.FILE || path == ReadPath.STREAM; // these take a no-progress bound
        switch (random.nextInt(bounded ? 5 : 4)) {
            case 0:
                return proxy.add(FaultRule.downstream().afterBytes(at).reset()).toString();
            case 1:
                return proxy.add(FaultRule.downstream().afterBytes(at).truncate()).toString();
            case 2:
                return proxy.add(FaultRule.downstream().afterBytes(at).stall(Duration.ofMillis(200))).toString();
            case 3:
                return proxy.add(FaultRule.requests().method("GET").skip(random.nextInt(3))
                    .times(1 + random.nextInt(3)).respond(random.nextBoolean() ? 500 : 503)).toString();
            default:
                return proxy.add(FaultRule.downstream().afterBytes(at).stall()).toString() + " (no-progress bound "
                    + NO_PROGRESS.toMillis() + " ms)";
        }
    }

    /** The encrypted client of {@code api} through the proxy, with {@code tries} tries per request. */
    private static Reader client(Api api, int tries) {
        RequestRetryOptions retries = new RequestRetryOptions(RetryPolicyType.FIXED, tries, Duration.ofSeconds(30),
            Duration.ofMillis(1), Duration.ofMillis(1), null);
        EncryptedBlobClientBuilder builder = Fixtures.builder(new BlobServiceClientBuilder()
            .connectionString(azurite.connectionStringThrough(proxy)).retryOptions(retries).buildClient()
            .getBlobContainerClient(direct.getBlobContainerName()), "blob");
        return new Reader(api, builder);
    }

    /** Reads the blob whole by one read path of one client, in 16 KiB chunks two at a time where it can. */
    private record Reader(Api api, EncryptedBlobClientBuilder builder) {
        private static final ParallelTransferOptions CHUNKS = new ParallelTransferOptions().setBlockSizeLong(16_384L)
            .setMaxConcurrency(2);

        byte[] read(ReadPath path, Path file) {
            return read(path, file, new ByteArrayOutputStream());
        }

        /** @return the plaintext read; {@code out} gets what a stream download released as it went */
        byte[] read(ReadPath path, Path file, ByteArrayOutputStream out) {
            EncryptedBlobDownloadToFileOptions toFile = file == null ? null
                : new EncryptedBlobDownloadToFileOptions(file.toString()).setOverwrite(true)
                    .setParallelTransferOptions(CHUNKS).setNoProgressTimeout(NO_PROGRESS);
            EncryptedBlobDownloadStreamOptions toStream = new EncryptedBlobDownloadStreamOptions()
                .setParallelTransferOptions(CHUNKS).setNoProgressTimeout(NO_PROGRESS);
            if (api == Api.SYNC) {
                EncryptedBlobClient client = builder.buildEncryptedBlobClient();
                switch (path) {
                    case FILE -> client.downloadToFileWithResponse(toFile, null, Context.NONE);
                    case STREAM -> client.downloadStreamWithResponse(out, toStream, null, Context.NONE);
                    case MEMORY -> out.writeBytes(client.downloadContent().toBytes());
                    default -> readAll(client.openInputStream(), out);
                }
            } else {
                EncryptedBlobAsyncClient client = builder.buildEncryptedBlobAsyncClient();
                switch (path) {
                    case FILE -> client.downloadToFileWithResponse(toFile).block(Api.TIMEOUT);
                    case STREAM -> client.downloadStreamWithResponse(toStream)
                        .flatMapMany(response -> response.getValue())
                        .doOnNext(buffer -> {
                            byte[] bytes = new byte[buffer.remaining()];
                            buffer.get(bytes);
                            out.writeBytes(bytes);
                        }).blockLast(Api.TIMEOUT);
                    default -> out.writeBytes(client.downloadContent().block(Api.TIMEOUT).toBytes());
                }
            }
            if (file != null) {
                try {
                    return Files.readAllBytes(file);
                } catch (IOException e) {
                    throw new IllegalStateException("the downloaded file cannot be read back", e);
                }
            }
            return out.toByteArray();
        }

        private static void readAll(InputStream in, ByteArrayOutputStream out) {
            try (in) {
                in.transferTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
