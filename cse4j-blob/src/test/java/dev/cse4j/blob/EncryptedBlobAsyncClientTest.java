package dev.cse4j.blob;

import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKey;
import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.security.keyvault.keys.cryptography.KeyEncryptionKeyClientBuilder;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.keys.CachingAsyncKeyEncryptionKeyResolver;
import dev.cse4j.keys.KeyWrapAlgorithm;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.KeyVaultClients;
import dev.cse4j.testing.KeyVaultExtension;
import dev.cse4j.testing.KeyVaultOperation;
import dev.cse4j.testing.KeyVaultServer;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The asynchronous client's own operations, each subscribed on a Reactor parallel worker so that BlockHound ({@link
 * dev.cse4j.testing.BlockHoundInstaller}) watches everything it does, from subscription to the last signal: uploads
 * from memory, a {@code Flux} (single request and staged) and a file; downloads to memory, a {@code Flux} and a file;
 * properties, metadata, tags, snapshots, copies, deletion. With a local key, a synchronous key that blocks (which must
 * be called off the Reactor threads), and Key Vault's real asynchronous client against the loopback vault (key and
 * caching resolver). The synchronous client reads everything the asynchronous one writes and the other way round.
 */
@ExtendWith(AzuriteExtension.class)
@Isolated("it reads the buffer pools' counters, which every transfer of this JVM moves (PoolProbe)")
class EncryptedBlobAsyncClientTest {
    private static final Duration TIMEOUT = Api.TIMEOUT;
    @RegisterExtension
    static final KeyVaultExtension KEY_VAULT = new KeyVaultExtension();

    private static BlobContainerClient container;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(Azurite azurite) {
        container = Fixtures.container(azurite, "async");
    }

    /** {@code mono}, subscribed on a parallel worker (a thread that must never block), waited for. */
    private static <T> T onParallel(Mono<T> mono) {
        return mono.subscribeOn(Schedulers.parallel()).block(TIMEOUT);
    }

    private static byte[] collect(Flux<ByteBuffer> plaintext) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        plaintext.subscribeOn(Schedulers.parallel()).doOnNext(buffer -> {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            out.writeBytes(bytes);
        }).blockLast(TIMEOUT);
        return out.toByteArray();
    }

    /** Buffers of {@code data}, {@code size} bytes each, published one at a time as requested. */
    private static Flux<ByteBuffer> buffers(byte[] data, int size) {
        return Flux.range(0, (data.length + size - 1) / size)
            .map(i -> ByteBuffer.wrap(data, i * size, Math.min(size, data.length - i * size)));
    }

    private static EncryptedBlobClientBuilder smallBlocks(String name, ClientSideEncryptionOptions.Builder options) {
        return Fixtures.builder(container, name, options.blobProtocol(EncryptionProtocol.V2_1).blobRegionLength(1024))
            .parallelTransferOptions(new ParallelTransferOptions().setBlockSizeLong(4096L).setMaxConcurrency(3)
                .setMaxSingleUploadSizeLong(8192L));
    }

    @Test
    void everyOperation_onAParallelWorker_neverBlocks_andRoundTripsWithTheSyncClient() throws Exception {
        byte[] data = TestData.random(50_003, 1);
        EncryptedBlobClientBuilder builder = smallBlocks("every-op", Fixtures.options());
        EncryptedBlobAsyncClient async = builder.buildEncryptedBlobAsyncClient();
        EncryptedBlobClient sync = builder.buildEncryptedBlobClient();

        onParallel(async.upload(buffers(data, 777), null, true));
        assertThat(container.getBlobClient("every-op").getBlockBlobClient().listBlocks(BlockListType.COMMITTED)
            .getCommittedBlocks()).as("staged in 4 KiB blocks").hasSize(13);
        assertThat(sync.downloadContent().toBytes()).isEqualTo(data);
        assertThat(sync.verifyIntegrityRecord().plaintextLength()).as("the record of a staged upload")
            .isEqualTo(data.length);
        assertThat(onParallel(async.verifyIntegrityRecord()).plaintextLength()).isEqualTo(data.length);
        assertThat(onParallel(async.downloadContent()).toBytes()).isEqualTo(data);
        assertThat(collect(async.downloadStream())).isEqualTo(data);
        BlobRange range = new BlobRange(1000, 30_000L);
        assertThat(onParallel(async.downloadContentWithResponse(range, null)).getValue().toBytes())
            .isEqualTo(Arrays.copyOfRange(data, 1000, 31_000));
        Path file = dir.resolve("every-op.bin");
        assertThat(onParallel(async.downloadToFile(file.toString())).getPlaintextSize()).isEqualTo(data.length);
        assertThat(Files.readAllBytes(file)).isEqualTo(data);

        Path source = dir.resolve("source.bin");
        Files.write(source, data);
        onParallel(async.uploadFromFile(source.toString(), true));
        assertThat(sync.downloadContent().toBytes()).isEqualTo(data);
        assertThat(sync.verifyIntegrityRecord().plaintextLength()).isEqualTo(data.length);
        onParallel(async.upload(BinaryData.fromBytes(Arrays.copyOf(data, 5000)), true));
        assertThat(sync.downloadContent().toBytes()).as("one Put Blob").isEqualTo(Arrays.copyOf(data, 5000));
        assertThat(sync.verifyIntegrityRecord().plaintextLength()).isEqualTo(5000);
        sync.upload(BinaryData.fromBytes(data), true);
        assertThat(onParallel(async.downloadContent()).toBytes()).isEqualTo(data);

        EncryptedBlobProperties properties = onParallel(async.getProperties());
        assertThat(properties.getPlaintextSize()).isEqualTo(data.length);
        assertThat(onParallel(async.inspect()).protocol()).isEqualTo(EncryptionProtocol.V2_1);
        onParallel(async.setMetadata(Map.of("purpose", "test")));
        assertThat(onParallel(async.getProperties()).getMetadata()).containsExactly(Map.entry("purpose", "test"));
        assertThatThrownBy(() -> onParallel(async.setMetadata(Map.of("EncryptionData", "x"))))
            .isInstanceOf(EncryptionPolicyException.class);
        onParallel(async.setTags(Map.of("tag", "v")));
        assertThat(onParallel(async.getTags())).containsEntry("tag", "v");
        EncryptedBlobAsyncClient snapshot = onParallel(async.createSnapshotWithResponse(Map.of("kind", "snap"), null))
            .getValue();
        assertThat(onParallel(snapshot.downloadContent()).toBytes()).isEqualTo(data);
        EncryptedBlobAsyncClient copy = smallBlocks("every-op-copy", Fixtures.options())
            .buildEncryptedBlobAsyncClient();
        onParallel(copy.copyFromUrl(async.getBlobUrl()));
        assertThat(onParallel(copy.downloadContent()).toBytes()).isEqualTo(data);
        assertThat(onParallel(copy.exists())).isTrue();
        onParallel(copy.delete());
        assertThat(onParallel(copy.exists())).isFalse();
    }

    @Test
    void aSynchronousKeyThatBlocks_isCalledOffTheReactorThreads() {
        AtomicInteger calls = new AtomicInteger();
        KeyEncryptionKey slow = new KeyEncryptionKey() {
            private final KeyEncryptionKey key = Fixtures.kek();

            @Override
            public String getKeyId() {
                return key.getKeyId();
            }

            @Override
            public byte[] wrapKey(String algorithm, byte[] plaintextKey) {
                pause();
                return key.wrapKey(algorithm, plaintextKey);
            }

            @Override
            public byte[] unwrapKey(String algorithm, byte[] encryptedKey) {
                pause();
                return key.unwrapKey(algorithm, encryptedKey);
            }

            /** What a remote key's synchronous client does: wait for its answer. */
            private void pause() {
                calls.incrementAndGet();
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        EncryptedBlobAsyncClient client = Fixtures.builder(container, "slow-key", ClientSideEncryptionOptions.builder()
            .key(slow, KeyWrapAlgorithm.A256KW)).buildEncryptedBlobAsyncClient();
        byte[] data = TestData.random(1000, 2);

        onParallel(client.upload(BinaryData.fromBytes(data), true));
        assertThat(onParallel(client.downloadContent()).toBytes()).isEqualTo(data);
        assertThat(calls).hasValue(2);
    }

    @Test
    void keyVaultsAsyncClient_asKeyAndAsCachingResolver_neverBlocks_oneUnwrapPerDownload() throws Exception {
        KeyVaultServer vault = KEY_VAULT.server();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair rsa = generator.generateKeyPair();
        String keyId = vault.importKey("async-blob", rsa);
        KeyEncryptionKeyClientBuilder keyVault = KeyVaultClients.keyEncryptionKeyClientBuilder(vault);
        AsyncKeyEncryptionKey key = keyVault.buildAsyncKeyEncryptionKey(keyId).block(TIMEOUT);
        byte[] data = TestData.random(300_000, 3);

        EncryptedBlobAsyncClient writer = Fixtures.builder(container, "key-vault", ClientSideEncryptionOptions.builder()
            .key(key, KeyWrapAlgorithm.RSA_OAEP_256)).buildEncryptedBlobAsyncClient();
        onParallel(writer.upload(BinaryData.fromBytes(data), true));
        assertThat(onParallel(writer.downloadContent()).toBytes()).isEqualTo(data);

        vault.resetCounts();
        EncryptedBlobAsyncClient reader = smallBlocks("key-vault", ClientSideEncryptionOptions.builder()
            .asyncKeyResolver(new CachingAsyncKeyEncryptionKeyResolver(keyVault))).buildEncryptedBlobAsyncClient();
        assertThat(collect(reader.downloadStream())).isEqualTo(data);
        assertThat(onParallel(reader.downloadContent()).toBytes()).isEqualTo(data);
        assertThat(vault.calls(KeyVaultOperation.UNWRAP_KEY, "async-blob")).as("one per download, however many "
            + "chunks").isEqualTo(2);
        assertThat(vault.calls(KeyVaultOperation.GET_KEY, "async-blob")).as("resolved once").isLessThanOrEqualTo(1);
    }

    @Test
    void uploadFromAFluxOfUnknownLength_requestsOneBufferAtATime_andHoldsAtMostItsWindow() {
        byte[] data = TestData.random(6 * 1024 * 1024 + 3, 4);
        AtomicInteger outstanding = new AtomicInteger();
        AtomicInteger mostOutstanding = new AtomicInteger();
        Flux<ByteBuffer> source = buffers(data, 64 * 1024)
            .doOnRequest(n -> mostOutstanding.accumulateAndGet(outstanding.addAndGet((int) n), Math::max))
            .doOnNext(buffer -> outstanding.decrementAndGet());
        EncryptedBlobAsyncClient client = Fixtures.builder(container, "flux-window", Fixtures.options()
            .blobProtocol(EncryptionProtocol.V2_1).blobRegionLength(64 * 1024)).buildEncryptedBlobAsyncClient();
        dev.cse4j.blob.implementation.PoolProbe.reset();

        onParallel(client.upload(source, new ParallelTransferOptions().setBlockSizeLong(1024L * 1024)
            .setMaxConcurrency(2), true));

        assertThat(mostOutstanding).as("buffers requested from the source ahead of the upload").hasValue(1);
        assertThat(dev.cse4j.blob.implementation.PoolProbe.highWaterMark()).as("block buffers at once")
            .isLessThanOrEqualTo(2);
        assertThat(onParallel(client.downloadContent()).toBytes()).isEqualTo(data);
        assertThat(container.getBlobClient("flux-window").getBlockBlobClient().listBlocks(BlockListType.COMMITTED)
            .getCommittedBlocks()).hasSize(7);
    }

    @Test
    void uploadFromAFileLargerThanItsWindow_holdsOneSliceBuffer_asOnePutBlob_andStaged() throws Exception {
        byte[] data = TestData.random(9 * 1024 * 1024 + 3, 9);
        Path file = dir.resolve("window.bin");
        Files.write(file, data);
        for (long single : new long[] {64L << 20, 1L}) {
            EncryptedBlobAsyncClient client = Fixtures.builder(container, "file-window-" + single)
                .buildEncryptedBlobAsyncClient();
            dev.cse4j.blob.implementation.PoolProbe.reset();

            onParallel(client.uploadFromFileWithResponse(new EncryptedBlobUploadFromFileOptions(file.toString())
                .setParallelTransferOptions(new ParallelTransferOptions().setBlockSizeLong(2L * 1024 * 1024)
                    .setMaxConcurrency(2).setMaxSingleUploadSizeLong(single))));

            assertThat(dev.cse4j.blob.implementation.PoolProbe.highWaterMark()).as("buffers at once, Put Blob up to %d",
                single).isEqualTo(1);
            assertThat(onParallel(client.downloadContent()).toBytes()).isEqualTo(data);
            assertThat(container.getBlobClient("file-window-" + single).getBlockBlobClient()
                .listBlocks(BlockListType.COMMITTED).getCommittedBlocks()).as("blocks committed, Put Blob up to %d",
                    single).hasSize(single == 1L ? 3 : 0); // blocks are whole 4 MiB regions
        }
    }

    @Test
    void builders_buildAsyncClientsOnTheSameOptions_andParentsHandThemDown(Azurite azurite) {
        ClientSideEncryptionOptions options = Fixtures.options().build();
        EncryptedBlobServiceAsyncClient service = new EncryptedBlobServiceClientBuilder()
            .connectionString(azurite.connectionString()).clientSideEncryptionOptions(options)
            .buildEncryptedBlobServiceAsyncClient();
        EncryptedBlobContainerAsyncClient async = onParallel(service.createBlobContainerIfNotExists("async-tree"));
        EncryptedBlobAsyncClient blob = async.getEncryptedBlobAsyncClient("a.txt");
        assertThat(blob.getHttpPipeline()).isSameAs(service.getHttpPipeline());
        assertThat(blob.getClientSideEncryptionOptions()).isSameAs(options);
        onParallel(blob.upload(BinaryData.fromString("hello"), true));

        List<EncryptedBlobItem> items = async.listBlobs().collectList().subscribeOn(Schedulers.parallel())
            .block(TIMEOUT);
        assertThat(items).singleElement().satisfies(item -> {
            assertThat(item.getName()).isEqualTo("a.txt");
            assertThat(item.getEncryptionInfo().getKeyId()).isEqualTo(Fixtures.KEY_ID);
        });
        EncryptedBlobContainerClient sync = new EncryptedBlobContainerClientBuilder()
            .blobContainerClient(container.getServiceClient().getBlobContainerClient("async-tree"))
            .clientSideEncryptionOptions(options).buildEncryptedBlobContainerClient();
        assertThat(sync.getEncryptedBlobClient("a.txt").downloadContent().toString()).isEqualTo("hello");
        EncryptedBlobContainerAsyncClient wrapped = new EncryptedBlobContainerClientBuilder()
            .blobContainerClient(container.getServiceClient().getBlobContainerClient("async-tree"))
            .clientSideEncryptionOptions(options).buildEncryptedBlobContainerAsyncClient();
        assertThat(onParallel(wrapped.getEncryptedBlobAsyncClient("a.txt").downloadContent()).toString())
            .isEqualTo("hello");
        assertThat(onParallel(service.deleteBlobContainerIfExists("async-tree"))).isTrue();
    }
}
