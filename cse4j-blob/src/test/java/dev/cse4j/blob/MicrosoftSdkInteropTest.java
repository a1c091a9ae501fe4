package dev.cse4j.blob;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.specialized.cryptography.EncryptionVersion;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Both directions with Microsoft's {@code azure-storage-blob-cryptography} 12.32.1, for both of our clients
 * ({@link Api}): it reads what we write (2.0 and 2.1, with our integrity record beside {@code encryptiondata},
 * through its V2 and V2_1 clients; uploaded whole or through our output stream) and we read what it writes (1.0 with
 * the opt-in, 2.0, 2.1), whole (through every read path) and ranged, at every size that matters.
 */
@ExtendWith(AzuriteExtension.class)
class MicrosoftSdkInteropTest {
    private static final int MIB = 1024 * 1024;
    private static final int R20 = 4 * MIB;
    private static final int R21 = 16;

    private static Azurite azurite;
    private static BlobContainerClient container;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(Azurite server) {
        azurite = server;
        container = Fixtures.container(server, "interop");
    }

    static LongStream sizes(long r) {
        return LongStream.of(0, 1, 15, 16, 17, r - 1, r, r + 1, 2 * r, 5 * r + 3).distinct();
    }

    static Stream<Arguments> cases() {
        return Arrays.stream(Api.values()).flatMap(api -> protocolCases().map(c -> Arguments.of(api, c.get()[0],
            c.get()[1])));
    }

    static Stream<Arguments> protocolCases() {
        return Stream.concat(sizes(R21).mapToObj(n -> Arguments.of(EncryptionProtocol.V2_1, n)),
            sizes(R20).mapToObj(n -> Arguments.of(EncryptionProtocol.V2_0, n)));
    }

    private static com.azure.storage.blob.specialized.cryptography.EncryptedBlobClient microsoft(String blobName,
        EncryptionVersion version) {
        return Peers.microsoft(azurite, container, blobName, version, R21);
    }

    private static Api.TestBlob ours(Api api, String blobName, EncryptionProtocol protocol) {
        ClientSideEncryptionOptions.Builder options = Fixtures.options().allowUnauthenticatedV1Reads(true);
        if (protocol == EncryptionProtocol.V2_1) {
            options.blobProtocol(EncryptionProtocol.V2_1).blobRegionLength(R21);
        }
        return api.build(Fixtures.builder(container, blobName, options));
    }

    /** Every read path of {@code reader} gives the whole of {@code data}, and the first one each range of it. */
    private void assertReads(Api.TestBlob reader, byte[] data, java.util.List<BlobRange> ranges) throws Exception {
        for (Api.ReadPath path : reader.readPaths()) {
            assertThat(Arrays.equals(path.read(null, dir), data)).as("%s: all %d bytes", path, data.length).isTrue();
        }
        Api.ReadPath first = reader.readPaths().get(0);
        for (BlobRange range : ranges) {
            assertThat(first.read(range, dir)).as("%s %s", first, range).isEqualTo(Ranges.slice(data, range));
        }
    }

    /** Every edge for 16-byte regions; a few for 4 MiB regions, each of which costs whole regions to verify. */
    private static java.util.List<BlobRange> ranges(EncryptionProtocol protocol, long size) {
        return protocol == EncryptionProtocol.V2_1 ? Ranges.edges(size, R21) : Ranges.few(size, R20);
    }

    @ParameterizedTest(name = "{0} {1} {2} bytes")
    @MethodSource("cases")
    void microsoft_readsWhatWeWrite_wholeAndRanged(Api api, EncryptionProtocol protocol, long size) {
        String name = "ours-" + api + "-" + protocol.wireValue() + "-" + size;
        byte[] data = TestData.random((int) size, size * 31 + protocol.ordinal());
        ours(api, name, protocol).upload(BinaryData.fromBytes(data));
        assertHasIntegrityRecord(api, name);

        for (EncryptionVersion version : new EncryptionVersion[] {EncryptionVersion.V2, EncryptionVersion.V2_1}) {
            var reader = microsoft(name, version);
            assertThat(reader.downloadContent().toBytes()).as("read by %s", version).isEqualTo(data);
            for (BlobRange range : ranges(protocol, size)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                reader.downloadStreamWithResponse(out, range, null, null, false, null, Context.NONE);
                assertThat(out.toByteArray()).as("range %s read by %s", range, version)
                    .isEqualTo(Ranges.slice(data, range));
            }
        }
    }

    /** Blobs written through our output stream (so staged, or one Put Blob on close) carry the record too. */
    @ParameterizedTest(name = "{0} {1} bytes")
    @MethodSource("protocolCases")
    void microsoft_readsWhatOurOutputStreamWrites(EncryptionProtocol protocol, long size) throws IOException {
        String name = "ours-stream-" + protocol.wireValue() + "-" + size;
        byte[] data = TestData.random((int) size, size * 37 + protocol.ordinal());
        ClientSideEncryptionOptions.Builder options = Fixtures.options();
        if (protocol == EncryptionProtocol.V2_1) {
            options.blobProtocol(EncryptionProtocol.V2_1).blobRegionLength(R21);
        }
        try (EncryptedBlobOutputStream out = Fixtures.builder(container, name, options).buildEncryptedBlobClient()
            .getBlobOutputStream(new EncryptedBlobOutputStreamOptions().setParallelTransferOptions(
                new ParallelTransferOptions().setBlockSizeLong(protocol == EncryptionProtocol.V2_1 ? 2L * R21 : R20)
                    .setMaxConcurrency(2)))) {
            int piece = size > 1000 ? 65_537 : 7;
            for (int pos = 0; pos < data.length; pos += piece) {
                out.write(data, pos, Math.min(piece, data.length - pos));
            }
        }
        assertHasIntegrityRecord(Api.SYNC, name);
        for (EncryptionVersion version : new EncryptionVersion[] {EncryptionVersion.V2, EncryptionVersion.V2_1}) {
            assertThat(microsoft(name, version).downloadContent().toBytes()).as("read by %s", version)
                .isEqualTo(data);
        }
    }

    private static void assertHasIntegrityRecord(Api api, String name) {
        assertThat(container.getBlobClient(name).getProperties().getMetadata()).containsKey("cse4jintegrity");
        assertThat(ours(api, name, EncryptionProtocol.V2_0).verifyIntegrityRecord()).isNotNull();
    }

    @ParameterizedTest(name = "{0} {1} {2} bytes")
    @MethodSource("cases")
    void we_readWhatMicrosoftWrites_wholeAndRanged(Api api, EncryptionProtocol protocol, long size)
        throws Exception {
        String name = "microsoft-" + api + "-" + protocol.wireValue() + "-" + size;
        byte[] data = TestData.random((int) size, size * 17 + protocol.ordinal());
        microsoft(name, protocol == EncryptionProtocol.V2_1 ? EncryptionVersion.V2_1 : EncryptionVersion.V2)
            .upload(BinaryData.fromBytes(data));

        Api.TestBlob reader = ours(api, name, protocol);
        assertThat(reader.inspect().protocol()).isEqualTo(protocol);
        assertThat(reader.getProperties().getPlaintextSize()).isEqualTo(size);
        assertReads(reader, data, ranges(protocol, size));
    }

    static Stream<Arguments> v1Sizes() {
        return Arrays.stream(Api.values()).flatMap(api -> LongStream.of(0, 1, 15, 16, 17, 31, 32, 33, 100)
            .mapToObj(n -> Arguments.of(api, n)));
    }

    @ParameterizedTest(name = "{0} {1} bytes")
    @MethodSource("v1Sizes")
    void we_readMicrosoftV1_onlyWithOptIn_wholeAndRanged(Api api, long size) throws Exception {
        String name = "microsoft-1.0-" + api + "-" + size;
        byte[] data = TestData.random((int) size, size);
        microsoft(name, EncryptionVersion.V1).upload(BinaryData.fromBytes(data));

        Api.TestBlob strict = api.build(Fixtures.builder(container, name));
        for (Api.ReadPath path : strict.readPaths()) {
            assertThatThrownBy(() -> path.read(null, dir)).as(path.toString())
                .isInstanceOf(EncryptionPolicyException.class).hasMessageContaining("allowUnauthenticatedV1Reads(true)");
        }

        Api.TestBlob reader = ours(api, name, EncryptionProtocol.V2_0);
        assertThat(reader.inspect().protocol()).isEqualTo(EncryptionProtocol.V1_0);
        assertThat(reader.getProperties().getPlaintextSize()).isEqualTo(size);
        assertReads(reader, data, Ranges.edges(size, 16));
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void microsoft_readsOur64MiBBlob(Api api) {
        byte[] data = TestData.random(64 * MIB + 5, 64);
        String name = "ours-large-" + api;
        ours(api, name, EncryptionProtocol.V2_0).upload(BinaryData.fromBytes(data));
        assertHasIntegrityRecord(api, name);

        byte[] read = microsoft(name, EncryptionVersion.V2).downloadContent().toBytes();
        assertThat(Arrays.equals(read, data)).as("64 MiB + 5 read by Microsoft's client").isTrue();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void we_readMicrosofts64MiBBlob_wholeAndRanged(Api api) throws Exception {
        byte[] data = TestData.random(64 * MIB + 5, 65);
        String name = "microsoft-large-" + api;
        microsoft(name, EncryptionVersion.V2).upload(BinaryData.fromBytes(data));

        // through one read path: every path reads Microsoft's multi-region blobs in we_readWhatMicrosoftWrites
        Api.ReadPath first = ours(api, name, EncryptionProtocol.V2_0).readPaths().get(0);
        assertThat(Arrays.equals(first.read(null, dir), data)).as("%s: all %d bytes", first, data.length).isTrue();
        BlobRange range = new BlobRange(3L * R20 - 7, 9L * R20 + 11);
        assertThat(first.read(range, dir)).as("%s %s", first, range).isEqualTo(Ranges.slice(data, range));
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void ourMetadata_isWhatMicrosoftWritesButForTheAgent(Api api) {
        ours(api, "metadata-shape-" + api, EncryptionProtocol.V2_0).upload(BinaryData.fromString("x"));
        microsoft("metadata-shape-ms-" + api, EncryptionVersion.V2).upload(BinaryData.fromString("x"));

        EncryptionData ourData = api.build(Fixtures.builder(container, "metadata-shape-" + api)).inspect();
        EncryptionData theirs = api.build(Fixtures.builder(container, "metadata-shape-ms-" + api)).inspect();
        assertThat(ourData.protocol()).isEqualTo(theirs.protocol());
        assertThat(ourData.encryptionMode()).isEqualTo(theirs.encryptionMode()).isEqualTo("FullBlob");
        assertThat(ourData.encryptedRegionInfo()).isEqualTo(theirs.encryptedRegionInfo());
        assertThat(ourData.wrappedContentKey().keyId()).isEqualTo(theirs.wrappedContentKey().keyId());
        assertThat(ourData.encryptionLibrary()).startsWith("cse4j").doesNotContain("Java");
    }
}
