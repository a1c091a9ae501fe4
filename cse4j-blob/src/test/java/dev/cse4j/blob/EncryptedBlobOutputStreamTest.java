package dev.cse4j.blob;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.specialized.BlobLeaseClient;
import com.azure.storage.blob.specialized.BlobLeaseClientBuilder;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The encrypted output stream: what is written arrives whole (one Put Blob for data that fits the pool, staged
 * blocks beyond), with its integrity record; and all or nothing — an abort, a writer that throws, or an upload that
 * fails commits nothing and leaves the previous blob as it was. Protocol 2.1 with 16-byte regions, 4-region blocks,
 * 2 in flight, so 128 bytes fit the pool and anything larger is staged.
 */
@ExtendWith(AzuriteExtension.class)
class EncryptedBlobOutputStreamTest {
    private static final int R = 16;
    private static BlobContainerClient container;

    @BeforeAll
    static void setUp(Azurite azurite) {
        container = Fixtures.container(azurite, "ostream");
    }

    private static EncryptedBlobClient client(String name) {
        return Fixtures.builder(container, name, Fixtures.options().blobProtocol(EncryptionProtocol.V2_1)
                .blobRegionLength(R).requireIntegrityRecord(true))
            .parallelTransferOptions(new ParallelTransferOptions().setBlockSizeLong(4L * R).setMaxConcurrency(2))
            .buildEncryptedBlobClient();
    }

    /** Writes {@code data} in pieces of 1, 7, 64 and 1000 bytes in turn. */
    private static void writeInPieces(OutputStream out, byte[] data) throws IOException {
        int[] pieces = {1, 7, 64, 1000};
        for (int pos = 0, i = 0; pos < data.length; i++) {
            int n = Math.min(pieces[i % pieces.length], data.length - pos);
            if (n == 1) {
                out.write(data[pos]);
            } else {
                out.write(data, pos, n);
            }
            pos += n;
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, R - 1, R, R + 1, 4 * R, 8 * R - 1, 8 * R, 8 * R + 1, 100 * R + 3})
    void written_roundTripsWithItsIntegrityRecord(int size) throws IOException {
        String name = "round-" + size;
        byte[] data = TestData.random(size, size);
        EncryptedBlobClient client = client(name);
        EncryptedBlobOutputStream out = client.getBlobOutputStream();
        writeInPieces(out, data);
        assertThat(client.exists()).as("nothing visible before close").isFalse();
        out.close();
        out.close(); // idempotent

        assertThat(out.getBlockBlobItem().getETag()).isEqualTo(container.getBlobClient(name).getProperties()
            .getETag());
        assertThat(client.downloadContent().toBytes()).isEqualTo(data);
        assertThat(client.verifyIntegrityRecord().plaintextLength()).isEqualTo(size);
        assertThat(container.getBlobClient(name).getProperties().getBlobSize())
            .isEqualTo(size + (size + R - 1L) / R * 28);
    }

    @Test
    void optionsMetadataAndHeaders_areWrittenWithTheCommit() throws IOException {
        EncryptedBlobClient client = client("with-options");
        try (EncryptedBlobOutputStream out = client.getBlobOutputStream(new EncryptedBlobOutputStreamOptions()
            .setMetadata(Map.of("color", "blue")).setHeaders(new com.azure.storage.blob.models.BlobHttpHeaders()
                .setContentType("text/plain")))) {
            out.write(TestData.random(1000, 3));
        }
        BlobProperties properties = container.getBlobClient("with-options").getProperties();
        assertThat(properties.getMetadata()).containsEntry("color", "blue")
            .containsKeys("encryptiondata", "cse4jintegrity");
        assertThat(properties.getContentType()).isEqualTo("text/plain");
    }

    @Test
    void reservedMetadata_isRefusedBeforeAnythingIsWritten() {
        EncryptedBlobClient client = client("reserved");
        assertThatThrownBy(() -> client.getBlobOutputStream(new EncryptedBlobOutputStreamOptions()
            .setMetadata(Map.of("CSE4JINTEGRITY", "x")))).isInstanceOf(EncryptionPolicyException.class);
        assertThat(client.exists()).isFalse();
    }

    private static EncryptedBlobClient previous(String name, byte[] data) {
        EncryptedBlobClient client = client(name);
        client.upload(BinaryData.fromBytes(data), true);
        return client;
    }

    @ParameterizedTest(name = "{0} bytes written before the abort")
    @ValueSource(ints = {0, 100, 5000})
    void abort_commitsNothing_andThePreviousBlobStays(int written) throws IOException {
        String name = "abort-" + written;
        byte[] before = TestData.random(300, 1);
        EncryptedBlobClient client = previous(name, before);
        String etag = container.getBlobClient(name).getProperties().getETag();

        EncryptedBlobOutputStream out = client.getBlobOutputStream(true);
        out.write(TestData.random(written, 2));
        out.abort();
        out.abort(); // idempotent
        assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class);
        assertThatThrownBy(out::close).isInstanceOf(IOException.class).hasMessageContaining("nothing was committed");

        assertThat(container.getBlobClient(name).getProperties().getETag()).isEqualTo(etag);
        assertThat(client.downloadContent().toBytes()).isEqualTo(before);
    }

    @Test
    void writerThrowingMidWrite_commitsNothing_andThePreviousBlobStays() {
        byte[] before = TestData.random(300, 4);
        EncryptedBlobClient client = previous("writer-throws", before);
        String etag = container.getBlobClient("writer-throws").getProperties().getETag();
        byte[] partial = TestData.random(5000, 5);

        assertThatThrownBy(() -> client.upload(out -> {
            out.write(partial);
            throw new IOException("the source failed half-way");
        }, true)).isInstanceOf(UncheckedIOException.class).hasRootCauseMessage("the source failed half-way");
        assertThatThrownBy(() -> client.upload(out -> {
            out.write(partial, 0, 10);
            throw new IllegalStateException("bug in the writer");
        }, true)).isInstanceOf(IllegalStateException.class).hasMessage("bug in the writer");

        assertThat(container.getBlobClient("writer-throws").getProperties().getETag()).isEqualTo(etag);
        assertThat(client.downloadContent().toBytes()).isEqualTo(before);
    }

    @Test
    void writer_returningNormally_commits() {
        byte[] data = TestData.random(5000, 6);
        EncryptedBlobClient client = client("writer-commits");
        client.upload(out -> out.write(data), false);
        assertThat(client.downloadContent().toBytes()).isEqualTo(data);
        assertThatThrownBy(() -> client.upload(out -> out.write(data), false))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exists");
    }

    /**
     * The blob is leased and the stream has no lease id: staging fails on the service. The failure reaches the
     * writer (a write or the close throws), and nothing is committed.
     */
    @Test
    void uploadFailingMidWrite_failsTheStream_andCommitsNothing() {
        byte[] before = TestData.random(300, 7);
        previous("leased", before);
        BlobLeaseClient lease = new BlobLeaseClientBuilder().blobClient(container.getBlobClient("leased"))
            .buildClient();
        lease.acquireLease(-1);
        try {
            String etag = container.getBlobClient("leased").getProperties().getETag();
            EncryptedBlobOutputStream out = client("leased").getBlobOutputStream(true);
            byte[] chunk = TestData.random(1000, 8);
            assertThatThrownBy(() -> {
                for (int i = 0; i < 1000; i++) {
                    out.write(chunk);
                }
                out.close();
            }).isInstanceOf(IOException.class);
            assertThatThrownBy(out::close).isInstanceOf(IOException.class)
                .hasMessageContaining("nothing was committed");
            assertThat(container.getBlobClient("leased").getProperties().getETag()).isEqualTo(etag);
        } finally {
            lease.releaseLease();
        }
        assertThat(client("leased").downloadContent().toBytes()).isEqualTo(before);
    }

    @Test
    void getBlobOutputStream_withoutOverwrite_refusesAnExistingBlob() {
        previous("exists", new byte[] {1});
        assertThatThrownBy(() -> client("exists").getBlobOutputStream())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exists");
    }

    @Test
    void blobCreatedMeanwhile_failsTheCommitWithoutOverwrite() throws IOException {
        EncryptedBlobOutputStream out = client("raced").getBlobOutputStream(false);
        out.write(TestData.random(50, 9));
        byte[] other = TestData.random(20, 10);
        previous("raced", other);
        assertThatThrownBy(out::close).isInstanceOf(IOException.class);
        assertThat(client("raced").downloadContent().toBytes()).isEqualTo(other);
    }

    @Test
    void written_isReadByAClientWithDefaultTransferOptions() throws IOException {
        byte[] data = TestData.random(3 * 1024 * 1024 + 5, 11);
        EncryptedBlobClient writer = Fixtures.encrypted(container, "default-options");
        try (OutputStream out = writer.getBlobOutputStream()) {
            for (int pos = 0; pos < data.length; pos += 100_000) {
                out.write(data, pos, Math.min(100_000, data.length - pos));
            }
        }
        assertThat(Arrays.equals(writer.downloadContent().toBytes(), data)).isTrue();
    }
}
