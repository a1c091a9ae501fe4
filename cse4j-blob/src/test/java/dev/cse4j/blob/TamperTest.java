package dev.cse4j.blob;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import dev.cse4j.core.ClientSideEncryptionException;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.IntegrityException;
import dev.cse4j.core.KeyResolutionException;
import dev.cse4j.core.KeyWrapException;
import dev.cse4j.core.MalformedEncryptionDataException;
import dev.cse4j.keys.AesKeyWrapKey;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.KnownAnswerVector;
import dev.cse4j.testing.TestData;
import dev.cse4j.testing.Vectors;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Stored blobs edited with a plain client — data and metadata — then read through every read path users take, of
 * both clients ({@link Api}: the synchronous client's download to memory, to a file, to a stream and its input
 * stream; the asynchronous client's download to memory, to a file, and its {@code Flux}, also consumed one buffer at
 * a time): each edit is refused with the right exception type; memory and file downloads return or leave nothing,
 * and the streaming paths release at most the verified regions before the tampered one, verbatim. Protocol 2.1 with
 * 16-byte regions (44 stored bytes each) and 2-region chunks, so a tampered region sits in a later, parallel chunk.
 */
@ExtendWith(AzuriteExtension.class)
class TamperTest {
    private static final int R = 16;
    private static final int L = R + 28;
    private static final byte[] PLAIN = TestData.random(200, 99); // 13 regions: 12 full, one of 8 bytes

    private static BlobContainerClient container;
    private static byte[] stored;
    private static String json;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(Azurite azurite) {
        container = Fixtures.container(azurite, "tamper");
        Fixtures.encrypted21(container, "original").upload(BinaryData.fromBytes(PLAIN));
        stored = container.getBlobClient("original").downloadContent().toBytes();
        json = container.getBlobClient("original").getProperties().getMetadata().get("encryptiondata");
        assertThat(stored).hasSize(12 * L + 8 + 28);
    }

    private static Api.TestBlob reader(Api api, String name, boolean requireEncryption) {
        return api.build(Fixtures.builder(container, name, Fixtures.options().blobProtocol(EncryptionProtocol.V2_1)
                .blobRegionLength(R).requireEncryption(requireEncryption))
            .parallelTransferOptions(new ParallelTransferOptions().setBlockSizeLong(2L * R).setMaxConcurrency(4)));
    }

    /** Uploads {@code bytes} with {@code metadata} raw; returns a reader for it. */
    private static Api.TestBlob storeRaw(Api api, byte[] bytes, Map<String, String> metadata) {
        String name = "tampered-" + UUID.randomUUID();
        container.getBlobClient(name).getBlockBlobClient().uploadWithResponse(
            new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(bytes)).setMetadata(metadata), null, Context.NONE);
        return reader(api, name, true);
    }

    private static Api.TestBlob storeRaw(Api api, byte[] bytes) {
        return storeRaw(api, bytes, Map.of("encryptiondata", json));
    }

    private static Api.TestBlob storeRawJson(Api api, String editedJson) {
        return storeRaw(api, stored, Map.of("encryptiondata", editedJson));
    }

    /** Every read path throws {@code type}; no plaintext is released at all and no file is left behind. */
    private void assertRefused(Api.TestBlob client, Class<? extends ClientSideEncryptionException> type) {
        assertRefused(client, PLAIN, 0, type);
    }

    /**
     * Every read path throws {@code type}, with a message naming what happened (by default: the stored data); the
     * streaming paths released at most the regions before {@code badRegion}, verbatim.
     */
    private void assertRegionRefused(Api.TestBlob client, int badRegion,
        Class<? extends ClientSideEncryptionException> type, String... messageParts) {
        assertRefused(client, PLAIN, (long) badRegion * R, type,
            messageParts.length == 0 ? new String[] {"stored data"} : messageParts);
    }

    /**
     * Every read path of the whole blob throws {@code type} with {@code messageParts}: memory and file downloads
     * return and leave nothing; the streaming paths (streams read 7 bytes at a time, {@code Flux}es) release at most
     * {@code maxReleased} bytes, each the plaintext's own.
     */
    private void assertRefused(Api.TestBlob client, byte[] plain, long maxReleased,
        Class<? extends ClientSideEncryptionException> type, String... messageParts) {
        for (Api.ReadPath path : client.readPaths()) {
            ByteArrayOutputStream released = new ByteArrayOutputStream();
            AbstractThrowableAssert<?, ? extends Throwable> thrown = assertThatThrownBy(() -> path.read(null,
                released, dir)).as(path.toString()).isInstanceOf(type);
            if (messageParts.length > 0) {
                thrown.hasMessageContainingAll(messageParts);
            }
            assertThat(dir).as(path.toString()).isEmptyDirectory();
            assertOnlyVerifiedPrefix(released.toByteArray(), plain, path.streams() ? maxReleased : 0);
        }
    }

    private static void assertOnlyVerifiedPrefix(byte[] released, byte[] plain, long maxReleased) {
        assertThat((long) released.length).isLessThanOrEqualTo(maxReleased);
        assertThat(released).isEqualTo(Arrays.copyOf(plain, released.length));
    }

    private static byte[] flip(byte[] data, int index) {
        byte[] copy = data.clone();
        copy[index] ^= 0x01;
        return copy;
    }

    /** Region {@code index} of the original blob's content key holding no plaintext: nonce and tag, 28 bytes. */
    private static byte[] emptyRegion(long index) throws Exception {
        String key = json.replaceAll(".*\"EncryptedKey\":\"([^\"]+)\".*", "$1");
        byte[] unwrapped = Fixtures.kek().unwrapKey("A256KW", java.util.Base64.getDecoder().decode(key));
        byte[] nonce = new byte[12];
        for (int i = 0; i < 8; i++) {
            nonce[i] = (byte) (index >>> (56 - 8 * i));
        }
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(unwrapped, 8, 32, "AES"), new GCMParameterSpec(128, nonce));
        return concat(nonce, gcm.doFinal());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static byte[] region(byte[] data, int i) {
        return Arrays.copyOfRange(data, i * L, Math.min(data.length, (i + 1) * L));
    }

    static Stream<Arguments> regions() {
        return withApis(0, 1, 5, 12);
    }

    static Stream<Arguments> cuts() {
        return withApis(1, 27, 28, L + 5, 3 * L - 1, 9 * L + 20, 12 * L + 35);
    }

    static Stream<Arguments> dataLengths() {
        return withApis(17, 32, 64, 4 * 1024 * 1024);
    }

    private static Stream<Arguments> withApis(int... values) {
        return Arrays.stream(Api.values()).flatMap(api -> IntStream.of(values).mapToObj(v -> Arguments.of(api, v)));
    }

    /** First and last byte of the nonce, of the ciphertext and of the tag; first, middle and last (short) regions. */
    @ParameterizedTest(name = "{0} region {1}")
    @MethodSource("regions")
    void flippedByte_inNonceCiphertextOrTag_throwsIntegrityException(Api api, int region) {
        int start = region * L;
        int end = Math.min(stored.length, start + L);
        for (int position : new int[] {start, start + 11, start + 12, end - 17, end - 16, end - 1}) {
            assertRegionRefused(storeRaw(api, flip(stored, position)), region, IntegrityException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void swappedRegions_throwIntegrityException(Api api) {
        byte[] swapped = stored.clone();
        System.arraycopy(region(stored, 4), 0, swapped, 3 * L, L);
        System.arraycopy(region(stored, 3), 0, swapped, 4 * L, L);
        assertRegionRefused(storeRaw(api, swapped), 3, IntegrityException.class, "out of order");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void duplicatedRegion_throwsIntegrityException(Api api) {
        byte[] duplicated = stored.clone();
        System.arraycopy(region(stored, 2), 0, duplicated, 6 * L, L);
        assertRegionRefused(storeRaw(api, duplicated), 6, IntegrityException.class, "out of order");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void droppedMiddleRegion_throwsIntegrityException(Api api) {
        byte[] dropped = new byte[stored.length - L];
        System.arraycopy(stored, 0, dropped, 0, 5 * L);
        System.arraycopy(stored, 6 * L, dropped, 5 * L, stored.length - 6 * L);
        assertRegionRefused(storeRaw(api, dropped), 5, IntegrityException.class, "out of order");
    }

    /** Cut inside a region (its nonce, its tag, or to exactly 28 bytes, the size of one empty region). */
    @ParameterizedTest(name = "{0} cut to {1} bytes")
    @MethodSource("cuts")
    void truncatedMidRegion_throwsIntegrityException(Api api, int length) {
        assertRegionRefused(storeRaw(api, Arrays.copyOf(stored, length)), length / L, IntegrityException.class);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void emptyRegionAppended_throwsIntegrityException(Api api) throws Exception {
        byte[] empty = emptyRegion(13);
        assertRegionRefused(storeRaw(api, concat(Arrays.copyOf(stored, 12 * L), empty)), 12, IntegrityException.class);
        assertRegionRefused(storeRaw(api, concat(stored, empty)), 12, IntegrityException.class);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void regionFromAnotherBlob_throwsIntegrityException(Api api) {
        Fixtures.encrypted21(container, "other-" + api).upload(BinaryData.fromBytes(PLAIN));
        byte[] other = container.getBlobClient("other-" + api).downloadContent().toBytes();
        byte[] spliced = stored.clone();
        System.arraycopy(region(other, 8), 0, spliced, 8 * L, L);
        assertRegionRefused(storeRaw(api, spliced), 8, IntegrityException.class, "failed authentication");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void javaEmptyRegion_withFlippedTag_throwsIntegrityException(Api api) {
        KnownAnswerVector empty = Vectors.load(Vectors.JAVA_SDK, "v2-empty");
        assertRefused(storeRaw(api, flip(empty.rawBytes(), 27), empty.metadata()), new byte[0], 0,
            IntegrityException.class);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void keyIdEdited_throwsKeyResolutionException(Api api) {
        assertRefused(storeRawJson(api, json.replace("\"local:kek1\"", "\"local:other\"")), KeyResolutionException.class);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void wrappedKeyEdited_throwsKeyWrapException(Api api) {
        String key = json.replaceAll(".*\"EncryptedKey\":\"([^\"]+)\".*", "$1");
        byte[] wrapped = java.util.Base64.getDecoder().decode(key);
        wrapped[10] ^= 1;
        String edited = json.replace(key, java.util.Base64.getEncoder().encodeToString(wrapped));
        assertRefused(storeRawJson(api, edited), KeyWrapException.class);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void wrapAlgorithmEdited_throwsKeyWrapException(Api api) {
        assertRefused(storeRawJson(api, json.replace("\"A256KW\"", "\"RSA-OAEP\"")), KeyWrapException.class);
    }

    @ParameterizedTest(name = "{0} DataLength {1}")
    @MethodSource("dataLengths")
    void regionLengthEdited_throwsIntegrityException(Api api, int dataLength) {
        assertRefused(storeRawJson(api, json.replace("\"DataLength\":16", "\"DataLength\":" + dataLength)),
            IntegrityException.class);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void nonceLengthEdited_throwsMalformedEncryptionDataException(Api api) {
        assertRefused(storeRawJson(api, json.replace("\"NonceLength\":12", "\"NonceLength\":16")),
            MalformedEncryptionDataException.class);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void protocolDowngraded21To20_throwsIntegrityException(Api api) {
        // 4 MiB regions, the only length 2.0 metadata may name: only the key bound to "2.1" tells them apart
        String name = "v21-4mib-" + api;
        Fixtures.builder(container, name, Fixtures.options().blobProtocol(EncryptionProtocol.V2_1)
            .blobRegionLength(4 * 1024 * 1024)).buildEncryptedBlobClient().upload(BinaryData.fromBytes(PLAIN), true);
        BlobClient original = container.getBlobClient(name);
        String edited = original.getProperties().getMetadata().get("encryptiondata")
            .replace("\"Protocol\":\"2.1\"", "\"Protocol\":\"2.0\"");

        assertRefused(storeRaw(api, original.downloadContent().toBytes(), Map.of("encryptiondata", edited)),
            IntegrityException.class);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void protocolEditedTo20_withRegionsOtherThan4MiB_isRefusedAsMalformed(Api api) {
        assertRefused(storeRawJson(api, json.replace("\"Protocol\":\"2.1\"", "\"Protocol\":\"2.0\"")),
            MalformedEncryptionDataException.class);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void protocolEditedTo10_isRefusedAsMalformed(Api api) {
        assertRefused(storeRawJson(api, json.replace("\"Protocol\":\"2.1\"", "\"Protocol\":\"1.0\"")),
            MalformedEncryptionDataException.class);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void metadataFieldsRemovedOrInvalid_throwMalformedEncryptionDataException(Api api) {
        assertRefused(storeRawJson(api, json.replaceAll("\"EncryptionAgent\":\\{[^}]*},?", "")),
            MalformedEncryptionDataException.class);
        assertRefused(storeRawJson(api, json.replaceAll("\"WrappedContentKey\":\\{[^}]*},?", "")),
            MalformedEncryptionDataException.class);
        assertRefused(storeRawJson(api, json.replaceAll("\"EncryptedRegionInfo\":\\{[^}]*},?", "")),
            MalformedEncryptionDataException.class);
        assertRefused(storeRawJson(api, json.replace("\"FullBlob\"", "\"Partial\"")),
            MalformedEncryptionDataException.class);
        assertRefused(storeRawJson(api, json.substring(0, json.length() - 2)), MalformedEncryptionDataException.class);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void wrongKeyWithSameId_throwsKeyWrapException(Api api) {
        String name = "wrong-key-" + api;
        container.getBlobClient(name).getBlockBlobClient().uploadWithResponse(
            new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(stored)).setMetadata(Map.of("encryptiondata", json)),
            null, Context.NONE);
        byte[] otherBytes = new byte[32];
        Arrays.fill(otherBytes, (byte) 7);
        Api.TestBlob wrongKey = api.build(Fixtures.builder(container, name, ClientSideEncryptionOptions.builder()
            .key(AesKeyWrapKey.of(Fixtures.KEY_ID, otherBytes), "A256KW")));
        assertRefused(wrongKey, KeyWrapException.class);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void encryptionDataRemoved_withRequireEncryption_throwsEncryptionPolicyException(Api api) {
        Map<String, String> metadata = new HashMap<>();
        metadata.put("other", "kept");
        assertRefused(storeRaw(api, stored, metadata), EncryptionPolicyException.class);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void encryptionDataRemoved_withoutRequireEncryption_returnsStoredBytesUnchanged(Api api) throws Exception {
        String name = "unencrypted-" + api;
        container.getBlobClient(name).upload(BinaryData.fromBytes(stored));
        Api.TestBlob lenient = reader(api, name, false);

        assertThat(lenient.getProperties().isEncrypted()).isFalse();
        assertThat(lenient.getProperties().getPlaintextSize()).isEqualTo(stored.length);
        for (Api.ReadPath path : lenient.readPaths()) {
            assertThat(path.read(null, dir)).as(path.toString()).isEqualTo(stored);
        }
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void legacyV1BadPadding_throwsIntegrityException(Api api) {
        KnownAnswerVector v1 = Vectors.load(Vectors.JAVA8_LEGACY_SDK, "blob-v1-17bytes");
        byte[] raw = v1.rawBytes();
        String name = "v1-bad-padding-" + api;
        // Flipping a byte of the block before the last flips the same byte of the last plaintext block: its padding.
        container.getBlobClient(name).getBlockBlobClient().uploadWithResponse(
            new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(flip(raw, raw.length - 17)))
                .setMetadata(v1.metadata()), null, Context.NONE);
        Api.TestBlob client = api.build(Fixtures.builder(container, name, Fixtures.options()
            .allowUnauthenticatedV1Reads(true)));
        assertRefused(client, v1.plaintext(), 0, IntegrityException.class, "padding");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void legacyV1TruncatedToPartialBlock_throwsIntegrityException(Api api) {
        KnownAnswerVector v1 = Vectors.load(Vectors.JAVA8_LEGACY_SDK, "blob-v1-17bytes");
        String name = "v1-truncated-" + api;
        container.getBlobClient(name).getBlockBlobClient().uploadWithResponse(
            new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(Arrays.copyOf(v1.rawBytes(), 20)))
                .setMetadata(v1.metadata()), null, Context.NONE);
        Api.TestBlob client = api.build(Fixtures.builder(container, name, Fixtures.options()
            .allowUnauthenticatedV1Reads(true)));
        assertRefused(client, IntegrityException.class);
    }
}
