package dev.cse4j.blob;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.options.BlobCopyFromUrlOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import dev.cse4j.core.ClientSideEncryptionException;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.IntegrityException;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 15's truncation matrix: a blob written by cse4j (so with its integrity record), cut, extended or with its
 * record removed, copied or edited field by field through a plain client, on protocol 2.0 (4 MiB regions) and 2.1
 * (16-byte regions), read by both clients ({@link Api}). Every case is refused — whole and ranged (also a range of
 * regions that are intact) through every read path of each client (to memory, a stream or {@code Flux}, a file, an
 * input stream), and as a channel — with no plaintext released and no file left. The blob has four regions, the
 * last one short ({@code 3R + 5} bytes).
 */
@ExtendWith(AzuriteExtension.class)
class TruncationMatrixTest {
    enum Layout {
        V2_0(EncryptionProtocol.V2_0, 4 * 1024 * 1024),
        V2_1(EncryptionProtocol.V2_1, 16);

        final EncryptionProtocol protocol;
        final int r;

        Layout(EncryptionProtocol protocol, int r) {
            this.protocol = protocol;
            this.r = r;
        }

        int storedRegion() {
            return r + 28;
        }
    }

    /** One layout's original blob as stored, and another blob of the same length (its own content key). */
    private record Original(byte[] plain, byte[] stored, Map<String, String> metadata, Map<String, String> other,
        Map<String, String> otherLength) {
    }

    /** A tampered blob: its stored bytes and metadata, from the original. */
    private record Edit(String name, Function<Original, byte[]> data, Function<Original, Map<String, String>> metadata,
        boolean recordStillVerifies) {
        Edit(String name, Function<Original, byte[]> data, Function<Original, Map<String, String>> metadata) {
            this(name, data, metadata, false);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static BlobContainerClient container;
    private static final Map<Layout, Original> ORIGINALS = new EnumMap<>(Layout.class);

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(Azurite azurite) {
        container = Fixtures.container(azurite, "truncation");
        for (Layout layout : Layout.values()) {
            byte[] plain = TestData.random(3 * layout.r + 5, layout.ordinal());
            String name = "original-" + layout;
            writer(name, layout).upload(BinaryData.fromBytes(plain));
            BlobClient raw = container.getBlobClient(name);
            writer("other-" + layout, layout).upload(BinaryData.fromBytes(TestData.random(plain.length, 7)));
            writer("other-length-" + layout, layout).upload(BinaryData.fromBytes(TestData.random(plain.length - 1,
                8)));
            ORIGINALS.put(layout, new Original(plain, raw.downloadContent().toBytes(),
                raw.getProperties().getMetadata(), container.getBlobClient("other-" + layout).getProperties()
                .getMetadata(), container.getBlobClient("other-length-" + layout).getProperties().getMetadata()));
        }
    }

    private static EncryptedBlobClient writer(String name, Layout layout) {
        ClientSideEncryptionOptions.Builder options = Fixtures.options();
        if (layout.protocol == EncryptionProtocol.V2_1) {
            options.blobProtocol(EncryptionProtocol.V2_1).blobRegionLength(layout.r);
        }
        return Fixtures.builder(container, name, options).buildEncryptedBlobClient();
    }

    /** A reader with 1-region chunks, so ranged and whole reads take several parallel requests. */
    private static EncryptedBlobClientBuilder reader(String name, Layout layout, boolean requireRecord) {
        return Fixtures.builder(container, name, Fixtures.options().requireIntegrityRecord(requireRecord))
            .parallelTransferOptions(new ParallelTransferOptions().setBlockSizeLong((long) layout.r)
                .setMaxConcurrency(4));
    }

    private static byte[] cut(byte[] stored, int length) {
        return Arrays.copyOf(stored, length);
    }

    private static byte[] append(byte[] stored, byte[] extra) {
        byte[] out = Arrays.copyOf(stored, stored.length + extra.length);
        System.arraycopy(extra, 0, out, stored.length, extra.length);
        return out;
    }

    /** The original metadata with the record's byte {@code index} set to {@code value}. */
    private static Function<Original, Map<String, String>> recordByte(int index, int value) {
        return o -> editRecord(o.metadata(), bytes -> bytes[index] = (byte) value);
    }

    private static Function<Original, Map<String, String>> recordByteXor(int index) {
        return o -> editRecord(o.metadata(), bytes -> bytes[index] ^= 0x01);
    }

    private interface ByteEdit {
        void apply(byte[] bytes);
    }

    private static Map<String, String> editRecord(Map<String, String> metadata, ByteEdit edit) {
        byte[] record = Base64.getDecoder().decode(metadata.get("cse4jintegrity"));
        edit.apply(record);
        Map<String, String> edited = new HashMap<>(metadata);
        edited.put("cse4jintegrity", Base64.getEncoder().encodeToString(record));
        return edited;
    }

    private static Map<String, String> withRecordOf(Map<String, String> metadata, Map<String, String> donor) {
        Map<String, String> edited = new HashMap<>(metadata);
        edited.put("cse4jintegrity", donor.get("cse4jintegrity"));
        return edited;
    }

    /** Sets the big-endian long at {@code offset} of the record. */
    private static Function<Original, Map<String, String>> recordLength(Function<Original, Long> length) {
        return o -> editRecord(o.metadata(), bytes -> ByteBuffer.wrap(bytes).putLong(8, length.apply(o)));
    }

    private static Function<Original, Map<String, String>> recordRegionLength(int value) {
        return o -> editRecord(o.metadata(), bytes -> ByteBuffer.wrap(bytes).putInt(4, value));
    }

    /** Stored bytes of a full region of the original ({@code 3R + 5} bytes of plaintext). */
    private static int l(Original o) {
        return (o.plain().length - 5) / 3 + 28;
    }

    static List<Edit> edits() {
        Function<Original, Map<String, String>> same = Original::metadata;
        Function<Original, byte[]> intact = Original::stored;
        return List.of(
            new Edit("last region dropped", o -> cut(o.stored(), 3 * l(o)), same),
            new Edit("two regions dropped", o -> cut(o.stored(), 2 * l(o)), same),
            new Edit("all but the first region dropped", o -> cut(o.stored(), l(o)), same),
            new Edit("emptied to 0 bytes", o -> new byte[0], same),
            new Edit("one byte cut", o -> cut(o.stored(), o.stored().length - 1), same),
            new Edit("one byte appended", o -> append(o.stored(), new byte[] {42}), same),
            new Edit("a region appended (a copy of region 1)",
                o -> append(o.stored(), Arrays.copyOfRange(o.stored(), l(o), 2 * l(o))), same),
            new Edit("record copied from another blob of the same length", intact,
                o -> withRecordOf(o.metadata(), o.other())),
            new Edit("record copied from another blob of another length", intact,
                o -> withRecordOf(o.metadata(), o.otherLength())),
            // a consistent record and key of another blob: the record verifies, the data's tags do not
            new Edit("record and encryptiondata copied from another blob", intact, Original::other, true),
            new Edit("record version edited", intact, recordByte(0, 2)),
            new Edit("record protocol edited", intact, recordByte(1, 0x22)),
            new Edit("record protocol swapped 2.0/2.1", intact,
                o -> editRecord(o.metadata(), b -> b[1] = (byte) (b[1] == 0x20 ? 0x21 : 0x20))),
            new Edit("record nonce sequence edited", intact, recordByte(2, 2)),
            new Edit("record reserved byte edited", intact, recordByte(3, 1)),
            new Edit("record region length edited", intact, recordRegionLength(32)),
            new Edit("record plaintext length - 1", intact, recordLength(o -> o.plain().length - 1L)),
            new Edit("record plaintext length + 1", intact, recordLength(o -> o.plain().length + 1L)),
            new Edit("last region dropped and record length edited to match",
                o -> cut(o.stored(), 3 * l(o)),
                recordLength(o -> (long) (o.plain().length - 5))),
            new Edit("record commitment edited", intact, recordByteXor(20)),
            new Edit("record MAC edited", intact, recordByteXor(79)),
            new Edit("record truncated", intact, o -> {
                Map<String, String> edited = new HashMap<>(o.metadata());
                edited.put("cse4jintegrity", edited.get("cse4jintegrity").substring(0, 100));
                return edited;
            }),
            new Edit("record not base64", intact, o -> {
                Map<String, String> edited = new HashMap<>(o.metadata());
                edited.put("cse4jintegrity", "not*base64");
                return edited;
            }));
    }

    static Stream<Arguments> cases() {
        return Stream.of(Api.values()).flatMap(api -> Stream.of(Layout.values())
            .flatMap(layout -> edits().stream().map(e -> Arguments.of(api, layout, e))));
    }

    static Stream<Arguments> layouts() {
        return Stream.of(Api.values()).flatMap(api -> Stream.of(Layout.values()).map(l -> Arguments.of(api, l)));
    }

    private static String store(Layout layout, byte[] bytes, Map<String, String> metadata) {
        String name = "tampered-" + UUID.randomUUID();
        if (bytes == ORIGINALS.get(layout).stored()) { // the data intact: a server-side copy with other metadata
            container.getBlobClient(name).copyFromUrlWithResponse(new BlobCopyFromUrlOptions(
                container.getBlobClient("original-" + layout).getBlobUrl()).setMetadata(metadata), null, Context.NONE);
            return name;
        }
        container.getBlobClient(name).getBlockBlobClient().uploadWithResponse(
            new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(bytes)).setMetadata(metadata), null, Context.NONE);
        return name;
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @MethodSource("cases")
    void tampered_isRefusedEveryWay_withNoPlaintextReleased(Api api, Layout layout, Edit edit) throws Exception {
        Original original = ORIGINALS.get(layout);
        String name = store(layout, edit.data().apply(original), edit.metadata().apply(original));
        for (boolean requireRecord : new boolean[] {false, true}) {
            EncryptedBlobClientBuilder reader = reader(name, layout, requireRecord);
            assertRefusedEveryWay(api, reader, layout, IntegrityException.class);
            if (!edit.recordStillVerifies()) {
                assertThatThrownBy(api.build(reader)::verifyIntegrityRecord).as("verify")
                    .isInstanceOf(IntegrityException.class);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("layouts")
    void recordRemoved_isRefusedUnderThePolicy_andReadAsBeforeWithoutIt(Api api, Layout layout) throws Exception {
        Original original = ORIGINALS.get(layout);
        Map<String, String> stripped = new HashMap<>(original.metadata());
        stripped.remove("cse4jintegrity");
        String name = store(layout, original.stored(), stripped);
        assertRefusedEveryWay(api, reader(name, layout, true), layout, EncryptionPolicyException.class);
        assertThatThrownBy(api.build(reader(name, layout, true))::verifyIntegrityRecord)
            .isInstanceOf(EncryptionPolicyException.class);
        Api.TestBlob lenient = api.build(reader(name, layout, false));
        assertThat(lenient.verifyIntegrityRecord()).isNull();
        // documented limit: without the policy, a stripped record is not detected
        for (Api.ReadPath path : lenient.readPaths()) {
            assertThat(path.read(null, dir)).as(path.toString()).isEqualTo(original.plain());
        }

        String truncated = store(layout, cut(original.stored(), 3 * layout.storedRegion()), stripped);
        assertRefusedEveryWay(api, reader(truncated, layout, true), layout, EncryptionPolicyException.class);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("layouts")
    void untampered_readsEveryWay(Api api, Layout layout) throws Exception {
        Original original = ORIGINALS.get(layout);
        EncryptedBlobClientBuilder reader = reader("original-" + layout, layout, true);
        Api.TestBlob client = api.build(reader);
        for (Api.ReadPath path : client.readPaths()) {
            assertThat(path.read(null, dir)).as(path.toString()).isEqualTo(original.plain());
        }
        assertThat(client.verifyIntegrityRecord().plaintextLength()).isEqualTo(original.plain().length);
        assertThat(client.getProperties().getPlaintextSize()).isEqualTo(original.plain().length);
        if (api == Api.SYNC) {
            try (SeekableByteChannel channel = reader.buildEncryptedBlobClient().openSeekableByteChannelRead()) {
                assertThat(channel.size()).isEqualTo(original.plain().length);
            }
        }
    }

    /**
     * Every read path of the client throws {@code type}, whole and ranged: nothing is returned, written to a stream
     * or a subscriber, or left in a file; so does the synchronous client's channel.
     */
    private void assertRefusedEveryWay(Api api, EncryptedBlobClientBuilder reader, Layout layout,
        Class<? extends ClientSideEncryptionException> type) throws Exception {
        Api.TestBlob client = api.build(reader);
        for (Api.ReadPath path : client.readPaths()) {
            for (BlobRange range : Arrays.asList(null, new BlobRange(0, 1L), new BlobRange(layout.r - 1, 2L),
                new BlobRange(3L * layout.r, 5L), new BlobRange(0))) {
                ByteArrayOutputStream released = new ByteArrayOutputStream();
                assertThatThrownBy(() -> path.read(range, released, dir)).as("%s %s", path, range)
                    .isInstanceOf(type);
                assertThat(released.size()).as("bytes released by %s %s", path, range).isZero();
                assertThat(dir).as("files left").isEmptyDirectory();
            }
        }
        if (api == Api.SYNC) {
            assertThatThrownBy(() -> {
                try (SeekableByteChannel channel = reader.buildEncryptedBlobClient().openSeekableByteChannelRead()) {
                    channel.read(ByteBuffer.allocate(1));
                }
            }).as("channel").isInstanceOf(type);
        }
    }
}
