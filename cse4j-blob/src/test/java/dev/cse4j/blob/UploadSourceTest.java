package dev.cse4j.blob;

import com.azure.core.exception.UnexpectedLengthException;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.core.util.ProgressListener;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ParallelTransferOptions;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ConcurrentModificationException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What an upload commits when its source or the blob changes under it: a file that grows, shrinks or changes while
 * it is read commits nothing; a stream longer than declared commits nothing (as with the plain SDK); two uploads
 * racing to one name never mix their blocks, and the loser is told what happened. Sources are checked the same way by
 * both clients ({@link Api}).
 */
@ExtendWith(AzuriteExtension.class)
class UploadSourceTest {
    /** One region per block, and regions large enough that the source is read block by block (no read-ahead). */
    private static final int BLOCK = 64 * 1024;
    /** Staged one block at a time: a block is staged before the next one is read. */
    private static final ParallelTransferOptions STAGED = new ParallelTransferOptions().setBlockSizeLong((long) BLOCK)
        .setMaxSingleUploadSizeLong(1L).setMaxConcurrency(1);
    private static BlobContainerClient container;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(Azurite azurite) {
        container = Fixtures.container(azurite, "sources");
    }

    private static EncryptedBlobClient client(String name) {
        return Fixtures.builder(container, name, Fixtures.options().blobProtocol(EncryptionProtocol.V2_1)
            .blobRegionLength(BLOCK)).buildEncryptedBlobClient();
    }

    /**
     * Uploads {@code file} staged with the client of {@code api}; {@code onFirstBlockSent} runs once, after the first
     * block's body was sent (on the HTTP client's event loop, where it may block: {@link BlockingOnPurpose}).
     */
    private static void uploadFile(Api api, String name, Path file, Consumer<Path> onFirstBlockSent) {
        AtomicBoolean done = new AtomicBoolean();
        ProgressListener listener = bytes -> {
            if (bytes >= BLOCK && done.compareAndSet(false, true)) {
                BlockingOnPurpose.run(() -> onFirstBlockSent.accept(file));
            }
        };
        EncryptedBlobUploadFromFileOptions options = new EncryptedBlobUploadFromFileOptions(file.toString())
            .setParallelTransferOptions(STAGED).setProgressListener(listener);
        if (api == Api.SYNC) {
            client(name).uploadFromFileWithResponse(options, null, Context.NONE);
        } else {
            asyncClient(name).uploadFromFileWithResponse(options).block(Api.TIMEOUT);
        }
    }

    private static EncryptedBlobAsyncClient asyncClient(String name) {
        return Fixtures.builder(container, name, Fixtures.options().blobProtocol(EncryptionProtocol.V2_1)
            .blobRegionLength(BLOCK)).buildEncryptedBlobAsyncClient();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void uploadFromFile_fileGrowsWhileItIsRead_commitsNothing(Api api) throws IOException {
        Path file = Files.write(dir.resolve("grows.bin"), TestData.random(10 * BLOCK, 1));
        String name = "grows-" + api;

        assertThatThrownBy(() -> uploadFile(api, name, file, f -> append(f, new byte[100])))
            .isInstanceOf(UnexpectedLengthException.class)
            .hasMessageContaining(file.toString()).hasMessageContaining("changed while it was uploaded")
            .hasMessageContaining(String.valueOf(10 * BLOCK)).hasMessageContaining(String.valueOf(10 * BLOCK + 100))
            .hasMessageContaining("nothing was committed");
        assertThat(container.getBlobClient(name).exists()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void uploadFromFile_fileShrinksWhileItIsRead_commitsNothing(Api api) throws IOException {
        Path file = Files.write(dir.resolve("shrinks.bin"), TestData.random(10 * BLOCK, 2));
        String name = "shrinks-" + api;

        assertThatThrownBy(() -> uploadFile(api, name, file, f -> truncate(f, 5 * BLOCK)))
            .isInstanceOf(UnexpectedLengthException.class);
        assertThat(container.getBlobClient(name).exists()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void uploadFromFile_fileRewrittenInPlaceWhileItIsRead_commitsNothing(Api api) throws IOException {
        Path file = Files.write(dir.resolve("rewritten.bin"), TestData.random(10 * BLOCK, 3));
        FileTime before = Files.getLastModifiedTime(file);
        String name = "rewritten-" + api;

        assertThatThrownBy(() -> uploadFile(api, name, file, f -> {
            rewriteLastByte(f);
            setModified(f, FileTime.fromMillis(before.toMillis() + 2000));
        }))
            .isInstanceOf(ConcurrentModificationException.class)
            .hasMessageContaining(file.toString()).hasMessageContaining("changed while it was uploaded")
            .hasMessageContaining("nothing was committed");
        assertThat(container.getBlobClient(name).exists()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void uploadFromFile_unchangedFile_roundTrips(Api api) throws IOException {
        byte[] data = TestData.random(10 * BLOCK + 7, 4);
        Path file = Files.write(dir.resolve("steady.bin"), data);

        uploadFile(api, "steady-" + api, file, f -> { });

        assertThat(client("steady-" + api).downloadContent().toBytes()).isEqualTo(data);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void uploadFromFile_ofAFolder_isRefusedBeforeAnyRequest(Api api) {
        assertThatThrownBy(() -> uploadFile(api, "folder-" + api, dir, f -> { }))
            .isInstanceOf(UncheckedIOException.class).hasMessageContaining("it is a folder");
        assertThat(container.getBlobClient("folder-" + api).exists()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void upload_streamLongerThanItsDeclaredLength_commitsNothing_asThePlainSdkRefusesIt(Api api) {
        for (ParallelTransferOptions transfer : new ParallelTransferOptions[] {null, STAGED}) {
            String name = "longer-" + api + "-" + (transfer == null ? "single" : "staged");
            InputStream longer = new ByteArrayInputStream(TestData.random(3 * BLOCK, 5));
            EncryptedBlobUploadOptions options = new EncryptedBlobUploadOptions(longer, 2L * BLOCK)
                .setParallelTransferOptions(transfer);

            assertThatThrownBy(() -> {
                if (api == Api.SYNC) {
                    client(name).uploadWithResponse(options, null, Context.NONE);
                } else {
                    asyncClient(name).uploadWithResponse(options).block(Api.TIMEOUT);
                }
            })
                .isInstanceOf(UnexpectedLengthException.class)
                .hasMessageContaining("more than the " + 2 * BLOCK + " bytes declared");
            assertThat(container.getBlobClient(name).exists()).as(name).isFalse();
        }
    }

    /**
     * A stream of unknown length that ends exactly on a block boundary, one block in flight: the read that finds the
     * end yields no block, and the upload must still complete (it once waited forever for demand that never came, as
     * a fleet migration of a 1.0 blob of 4 MiB multiples did at concurrency 5 and more).
     */
    @ParameterizedTest
    @EnumSource(Api.class)
    void upload_streamOfUnknownLengthEndingOnABlockBoundary_oneBlockInFlight_commitsAllOfIt(Api api) {
        for (int blocks : new int[] {1, 3}) {
            String name = "boundary-" + api + "-" + blocks;
            byte[] data = TestData.random(blocks * BLOCK, 6);
            EncryptedBlobUploadOptions options = new EncryptedBlobUploadOptions(new ByteArrayInputStream(data))
                .setParallelTransferOptions(STAGED);

            if (api == Api.SYNC) {
                client(name).uploadWithResponse(options, null, Context.NONE);
            } else {
                asyncClient(name).uploadWithResponse(options).block(Api.TIMEOUT);
            }

            assertThat(client(name).downloadContent().toBytes()).as(name).isEqualTo(data);
        }
    }

    @Test
    void upload_anotherUploadCommitsWhileThisOneStages_failsSayingSo_andTheBlobHoldsTheOtherWhole() {
        byte[] mine = TestData.random(5 * BLOCK, 6);
        byte[] theirs = TestData.random(3 * BLOCK, 7);
        // The second block is read only once the first is staged (one block at a time): the other upload commits
        // in between, which discards this upload's staged block.
        InputStream source = new InterruptingStream(mine, BLOCK,
            () -> client("contested").uploadWithResponse(new EncryptedBlobUploadOptions(BinaryData.fromBytes(theirs))
                .setParallelTransferOptions(STAGED), null, Context.NONE));

        assertThatThrownBy(() -> client("contested").uploadWithResponse(new EncryptedBlobUploadOptions(source,
            mine.length).setParallelTransferOptions(STAGED), null, Context.NONE))
            .isInstanceOfSatisfying(BlobStorageException.class, e -> assertThat(e.getErrorCode())
                .isEqualTo(BlobErrorCode.INVALID_BLOCK_LIST))
            .hasMessageContaining("another upload committed")
            .hasMessageContaining("nothing of this upload was committed");
        assertThat(client("contested").downloadContent().toBytes()).isEqualTo(theirs);
    }

    @Test
    void twoStagedUploadsRacingToOneName_neverMixBlocks_theBlobIsAlwaysExactlyOneOfThem() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int race = 0; race < 20; race++) {
                String name = "race-" + race;
                byte[] a = TestData.random(6 * BLOCK, 100 + 2 * race);
                byte[] b = TestData.random(6 * BLOCK, 101 + 2 * race);
                CountDownLatch start = new CountDownLatch(1);
                Future<Throwable> first = threads.submit(racer(start, name, a));
                Future<Throwable> second = threads.submit(racer(start, name, b));
                start.countDown();
                Throwable failedA = first.get(60, TimeUnit.SECONDS);
                Throwable failedB = second.get(60, TimeUnit.SECONDS);

                byte[] stored = client(name).downloadContent().toBytes();
                assertThat(stored).as("race %d", race).satisfiesAnyOf(s -> assertThat(s).isEqualTo(a),
                    s -> assertThat(s).isEqualTo(b));
                assertThat(failedA == null || failedB == null).as("race %d: at least one upload wins", race).isTrue();
                if (failedA != null) {
                    assertThat(stored).as("race %d", race).isEqualTo(b);
                }
                if (failedB != null) {
                    assertThat(stored).as("race %d", race).isEqualTo(a);
                }
                for (Throwable failure : new Throwable[] {failedA, failedB}) {
                    if (failure != null) {
                        assertThat(failure).isInstanceOf(BlobStorageException.class)
                            .hasMessageContaining("another upload committed");
                    }
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static Callable<Throwable> racer(CountDownLatch start, String name, byte[] data) {
        return () -> {
            start.await();
            try {
                client(name).uploadWithResponse(new EncryptedBlobUploadOptions(BinaryData.fromBytes(data))
                    .setParallelTransferOptions(new ParallelTransferOptions().setBlockSizeLong((long) BLOCK)
                        .setMaxSingleUploadSizeLong(1L).setMaxConcurrency(2)), null, Context.NONE);
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        };
    }

    /** A stream of {@code data} that runs {@code interruption} once, when it is first read past {@code at} bytes. */
    private static final class InterruptingStream extends InputStream {
        private final ByteArrayInputStream data;
        private final int at;
        private final Runnable interruption;
        private int position;
        private boolean interrupted;

        InterruptingStream(byte[] data, int at, Runnable interruption) {
            this.data = new ByteArrayInputStream(data);
            this.at = at;
            this.interruption = interruption;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= at && !interrupted) {
                interrupted = true;
                interruption.run();
            }
            int n = data.read(b, off, position < at ? Math.min(len, at - position) : len);
            position += Math.max(0, n);
            return n;
        }
    }

    private static void append(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void truncate(Path file, long size) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void rewriteLastByte(Path file) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(f.length() - 1);
            int last = f.read();
            f.seek(f.length() - 1);
            f.write(last ^ 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void setModified(Path file, FileTime time) {
        try {
            Files.setLastModifiedTime(file, time);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
