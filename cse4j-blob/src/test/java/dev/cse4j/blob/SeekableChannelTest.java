package dev.cse4j.blob;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.specialized.cryptography.EncryptionVersion;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.IntegrityException;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The read channel: random reads at every edge return exactly the plaintext, whatever the read size, cache and
 * read-ahead; {@code size()} is the plaintext length; a modified region fails the read that touches it (and only
 * that one) before any byte of it is returned; blobs of Microsoft's SDK (2.x, and 1.0 on opt-in) and unencrypted
 * blobs (when allowed) read too; fetches are whole regions, counted.
 */
@ExtendWith(AzuriteExtension.class)
class SeekableChannelTest {
    private static final int R = 16;
    private static final byte[] DATA = TestData.random(50 * R + 7, 21);
    private static Azurite azurite;
    private static BlobContainerClient container;

    @BeforeAll
    static void setUp(Azurite server) {
        azurite = server;
        container = Fixtures.container(server, "channel");
        Fixtures.encrypted21(container, "blob").upload(BinaryData.fromBytes(DATA));
    }

    private static EncryptedBlobClient reader(String name, CountingPolicy counter) {
        BlobClient plain = new BlobClientBuilder().connectionString(azurite.connectionString())
            .containerName(container.getBlobContainerName()).blobName(name).addPolicy(counter).buildClient();
        return new EncryptedBlobClientBuilder().blobClient(plain)
            .clientSideEncryptionOptions(Fixtures.options().allowUnauthenticatedV1Reads(true).build())
            .buildEncryptedBlobClient();
    }

    private static byte[] read(SeekableByteChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        channel.position(position);
        while (buffer.hasRemaining() && channel.read(buffer) > 0) {
            // read on
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    @ParameterizedTest(name = "read size {0}, cached {1}, read-ahead {2}")
    @CsvSource({"16, 1, false", "16, 2, true", "48, 2, false", "50, 3, true", "4194304, 2, false"})
    void randomReads_returnExactlyThePlaintext(long readSize, int cached, boolean readAhead) throws IOException {
        EncryptedBlobSeekableByteChannelReadOptions options = new EncryptedBlobSeekableByteChannelReadOptions()
            .setReadSizeInBytes(readSize).setCachedReads(cached).setReadAhead(readAhead);
        try (SeekableByteChannel channel = reader("blob", new CountingPolicy()).openSeekableByteChannelRead(options)) {
            assertThat(channel.size()).isEqualTo(DATA.length);
            long[] positions = {0, 1, R - 1, R, R + 1, 2 * R - 1, 17 * R, DATA.length - R - 1, DATA.length - 1,
                DATA.length, DATA.length + 5};
            int[] lengths = {1, R - 1, R + 1, 3 * R + 2};
            for (long position : positions) {
                for (int length : lengths) {
                    int from = (int) Math.min(position, DATA.length);
                    int to = (int) Math.min(DATA.length, position + length);
                    assertThat(read(channel, position, length)).as("%d bytes at %d", length, position)
                        .isEqualTo(Arrays.copyOfRange(DATA, from, to));
                }
            }
            SplittableRandom random = new SplittableRandom(5);
            for (int i = 0; i < 60; i++) {
                int position = random.nextInt(DATA.length);
                int length = 1 + random.nextInt(5 * R);
                assertThat(read(channel, position, length)).isEqualTo(Arrays.copyOfRange(DATA, position,
                    Math.min(DATA.length, position + length)));
            }
            channel.position(0);
            ByteBuffer all = ByteBuffer.allocate(DATA.length + 10);
            int total = 0;
            for (int n; (n = channel.read(ByteBuffer.wrap(all.array(), total, Math.min(7, all.capacity() - total))))
                > 0; ) {
                total += n;
            }
            assertThat(Arrays.copyOf(all.array(), total)).isEqualTo(DATA);
            assertThat(channel.read(ByteBuffer.allocate(1))).isEqualTo(-1);
            assertThat(channel.position()).isEqualTo(DATA.length);
        }
    }

    @Test
    void reads_fetchWholeRegionsOnly_andCachedOnesAreNotFetchedAgain() throws IOException {
        CountingPolicy counter = new CountingPolicy();
        try (SeekableByteChannel channel = reader("blob", counter).openSeekableByteChannelRead(
            new EncryptedBlobSeekableByteChannelReadOptions().setReadSizeInBytes(R).setCachedReads(2))) {
            counter.reset();
            assertThat(read(channel, 5 * R + 3, 2)).isEqualTo(Arrays.copyOfRange(DATA, 5 * R + 3, 5 * R + 5));
            assertThat(read(channel, 5 * R + 9, 4)).isEqualTo(Arrays.copyOfRange(DATA, 5 * R + 9, 5 * R + 13));
            assertThat(counter.gets()).isEqualTo(1);
            assertThat(counter.bytes()).isEqualTo(R + 28);
            assertThat(read(channel, 5 * R + 14, 4)).isEqualTo(Arrays.copyOfRange(DATA, 5 * R + 14, 6 * R + 2));
            assertThat(counter.gets()).isEqualTo(2);
            assertThat(counter.bytes()).isEqualTo(2 * (R + 28));
        }
    }

    @Test
    void modifiedRegion_failsOnlyTheReadsThatTouchIt_beforeReturningAnyOfIt() throws IOException {
        byte[] stored = container.getBlobClient("blob").downloadContent().toBytes();
        stored[7 * (R + 28) + 20] ^= 1;
        container.getBlobClient("modified").getBlockBlobClient().uploadWithResponse(new BlockBlobSimpleUploadOptions(
            BinaryData.fromBytes(stored)).setMetadata(container.getBlobClient("blob").getProperties().getMetadata()),
            null, Context.NONE);
        try (SeekableByteChannel channel = reader("modified", new CountingPolicy()).openSeekableByteChannelRead(
            new EncryptedBlobSeekableByteChannelReadOptions().setReadSizeInBytes(R))) {
            assertThat(read(channel, 0, 7 * R)).isEqualTo(Arrays.copyOf(DATA, 7 * R));
            ByteBuffer buffer = ByteBuffer.allocate(2 * R);
            channel.position(6 * R);
            assertThatThrownBy(() -> channel.read(buffer)).isInstanceOf(IntegrityException.class);
            assertThat(buffer.position()).as("bytes of the regions before, in the same read").isEqualTo(R);
            assertThatThrownBy(() -> read(channel, 7 * R + 3, 1)).isInstanceOf(IntegrityException.class);
            assertThat(read(channel, 8 * R, R)).isEqualTo(Arrays.copyOfRange(DATA, 8 * R, 9 * R));
        }
    }

    @Test
    void microsoftsBlobs_andUnencryptedOnes_read() throws IOException {
        byte[] data = TestData.random(1000, 22);
        for (EncryptionVersion version : new EncryptionVersion[] {EncryptionVersion.V1, EncryptionVersion.V2}) {
            String name = "microsoft-" + version;
            new com.azure.storage.blob.specialized.cryptography.EncryptedBlobClientBuilder(version)
                .blobClient(container.getBlobClient(name)).key(Fixtures.kek().asAsync(), "A256KW")
                .buildEncryptedBlobClient().upload(BinaryData.fromBytes(data));
            try (SeekableByteChannel channel = reader(name, new CountingPolicy()).openSeekableByteChannelRead(
                new EncryptedBlobSeekableByteChannelReadOptions().setReadSizeInBytes(100))) {
                assertThat(channel.size()).isEqualTo(data.length);
                assertThat(read(channel, 333, 400)).as("%s", version).isEqualTo(Arrays.copyOfRange(data, 333, 733));
                assertThat(read(channel, 990, 400)).isEqualTo(Arrays.copyOfRange(data, 990, 1000));
            }
        }
        container.getBlobClient("plain").upload(BinaryData.fromBytes(data));
        assertThatThrownBy(() -> reader("plain", new CountingPolicy()).openSeekableByteChannelRead())
            .isInstanceOf(EncryptionPolicyException.class);
        try (SeekableByteChannel channel = Fixtures.builder(container, "plain",
            Fixtures.options().requireEncryption(false)).buildEncryptedBlobClient().openSeekableByteChannelRead()) {
            assertThat(read(channel, 10, 20)).isEqualTo(Arrays.copyOfRange(data, 10, 30));
        }
    }

    @Test
    void emptyBlob_hasSizeZero_andReadsEndOfStream() throws IOException {
        Fixtures.encrypted(container, "empty").upload(BinaryData.fromBytes(new byte[0]));
        try (SeekableByteChannel channel = Fixtures.encrypted(container, "empty").openSeekableByteChannelRead()) {
            assertThat(channel.size()).isZero();
            assertThat(channel.read(ByteBuffer.allocate(1))).isEqualTo(-1);
        }
    }

    @Test
    void channel_isReadOnly_andUnusableOnceClosed() throws IOException {
        SeekableByteChannel channel = Fixtures.encrypted21(container, "blob").openSeekableByteChannelRead();
        assertThatThrownBy(() -> channel.write(ByteBuffer.allocate(1))).isInstanceOf(NonWritableChannelException.class);
        assertThatThrownBy(() -> channel.truncate(0)).isInstanceOf(NonWritableChannelException.class);
        assertThatThrownBy(() -> channel.position(-1)).isInstanceOf(IllegalArgumentException.class);
        channel.close();
        channel.close();
        assertThat(channel.isOpen()).isFalse();
        assertThatThrownBy(() -> channel.read(ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(channel::size).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void readAhead_sequentialReadsReturnThePlaintext_andCloseMidReadAheadIsClean() throws IOException {
        EncryptedBlobSeekableByteChannelReadOptions options = new EncryptedBlobSeekableByteChannelReadOptions()
            .setReadSizeInBytes(2 * R).setCachedReads(1).setReadAhead(true);
        for (int stop = 1; stop < 10; stop++) {
            try (SeekableByteChannel channel = Fixtures.encrypted21(container, "blob")
                .openSeekableByteChannelRead(options)) {
                assertThat(read(channel, 0, stop * R)).isEqualTo(Arrays.copyOf(DATA, stop * R));
            }
        }
    }

    @Test
    void protocol20Blob_readsWithFourMiBRegions() throws IOException {
        byte[] data = TestData.random(4 * 1024 * 1024 + 100, 23);
        Fixtures.encrypted(container, "v20").upload(BinaryData.fromBytes(data));
        try (SeekableByteChannel channel = Fixtures.encrypted(container, "v20").openSeekableByteChannelRead(
            new EncryptedBlobSeekableByteChannelReadOptions().setReadSizeInBytes(1))) {
            assertThat(channel.size()).isEqualTo(data.length);
            assertThat(read(channel, 4 * 1024 * 1024 - 3, 10)).isEqualTo(Arrays.copyOfRange(data,
                4 * 1024 * 1024 - 3, 4 * 1024 * 1024 + 7));
        }
        assertThat(Fixtures.encrypted(container, "v20").verifyIntegrityRecord().regionDataLength())
            .isEqualTo(4 * 1024 * 1024);
    }
}
