package dev.cse4j.blob.implementation;

import com.azure.core.http.HttpHeaders;
import com.azure.core.http.rest.Response;
import com.azure.core.http.rest.SimpleResponse;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobType;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cse4j.core.ClientSideEncryptionException;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptedRegionInfo;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.IntegrityRecord;
import dev.cse4j.core.implementation.ContentKey;
import dev.cse4j.core.implementation.EncryptionSettings;
import dev.cse4j.core.implementation.IntegritySeal;
import dev.cse4j.core.implementation.NonceScheme;
import dev.cse4j.core.implementation.RegionEncryptor;
import dev.cse4j.core.implementation.RegionLayout;
import dev.cse4j.keys.AesKeyWrapKey;
import dev.cse4j.keys.KeyWrapAlgorithm;
import dev.cse4j.testing.AllocationMeter;
import dev.cse4j.testing.FuzzFields;
import dev.cse4j.testing.FuzzSeeds;
import dev.cse4j.testing.IndependentCrypto;
import dev.cse4j.testing.KnownAnswerVector;
import dev.cse4j.testing.TestData;
import dev.cse4j.testing.Vectors;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz targets of blob reads (docs/fuzzing.md): stored metadata ({@code encryptiondata}, {@code cse4jintegrity}) and
 * stored bytes go through the blob client's own read path — {@link OpenedBlob} (metadata parsing, policy, region
 * length bound, key unwrap, integrity record verification), its {@link DownloadPlan} and each chunk's decryption —
 * from memory instead of from the service, whole and as a range.
 *
 * <p>Invariant: the read returns plaintext or throws a {@link ClientSideEncryptionException} (any subtype); nothing
 * else; at most {@link #ALLOCATION_BASE} + {@link #ALLOCATION_PER_BYTE} bytes per stored byte (and metadata
 * character) + {@link #ALLOCATION_PER_CHUNK} per chunk allocated, whatever the metadata claims. Oracle of a
 * successful read (the returned bytes are ones the encryptor produced):
 * <ul>
 *   <li>{@link #readStoredBlob}: arbitrary metadata and bytes under the vectors' key. A whole read's plaintext
 *       {@code P} is accepted only if re-encrypting {@code P} independently (JDK AES key unwrap, AES-GCM, AES-CBC)
 *       under the content key the metadata wraps gives exactly the stored bytes: for 2.x region {@code i} is
 *       {@code nonce_i ‖ GCM(cek, nonce_i, P_i)} with the nonces one SDK's sequence (cse4j's when an integrity record
 *       is present, whose plaintext length must be {@code |P|}); for 1.0 the bytes are {@code CBC(cek, IV, P)}. A
 *       range of a blob that reads whole must read, as that slice of {@code P}.</li>
 *   <li>{@link #readTamperedBlob}: a genuine 2.x blob made by cse4j's encryptor from fuzzer-chosen content key,
 *       region length and plaintext, then changed by fuzzer-chosen edits (bytes flipped, cut, appended, regions
 *       swapped or duplicated, metadata or integrity record edited or dropped), read with the integrity record
 *       required. Unedited, it must read back exactly; edited, a read that succeeds must return exactly the original
 *       plaintext (or its slice).</li>
 * </ul>
 */
class BlobReadFuzzTest {
    static final long ALLOCATION_BASE = 1 << 20;
    static final long ALLOCATION_PER_BYTE = 64;
    /**
     * ... plus this much per chunk of the read: each 1.0 chunk gets its own JCA {@code Cipher} (about 10 KB); the
     * chunk size is the caller's choice (its block size), never the metadata's.
     */
    static final long ALLOCATION_PER_CHUNK = 16 * 1024;
    private static final byte[] KEK = Vectors.kek(Vectors.JAVA_SDK);
    private static final String KEK_ID = "local:kek1";
    private static final BlobType[] TYPES = {BlobType.BLOCK_BLOB, BlobType.PAGE_BLOB, BlobType.APPEND_BLOB,
        BlobType.BLOCK_BLOB};
    private static final EncryptionSettings LENIENT = settings(false);
    private static final EncryptionSettings STRICT = settings(true);
    /** Encrypts once with a throwaway key after each genuine blob (see {@link Genuine#encrypt}). */
    private static final RegionEncryptor THROWAWAY = new RegionEncryptor(ContentKey.generate(), new RegionLayout(16),
        STRICT.cryptoProvider());
    private static final AtomicLong THROWAWAY_REGION = new AtomicLong();

    static {
        // The JDK's AES-GCM warms up once per JVM after its first MiB (SunJceGcmWarmUp), as in any client that has
        // moved data; done here, it never runs inside a measured execution.
        byte[] mib = new byte[2 << 20];
        new RegionEncryptor(ContentKey.generate(), new RegionLayout(mib.length), STRICT.cryptoProvider())
            .encryptRegion(0, mib, 0, mib.length, new byte[mib.length + RegionLayout.OVERHEAD], 0);
    }

    /**
     * Input: flags (bits 0-1 blob type: block, page, append; bit 2 integrity record required), range offset and
     * count (4 bytes each), chunk size {@code 16 << (b % 13)}, then fields {@code encryptiondata} and
     * {@code cse4jintegrity} (each absent when empty), then the stored bytes.
     */
    @FuzzTest
    void readStoredBlob(byte[] input) throws GeneralSecurityException {
        FuzzFields in = FuzzFields.of(input);
        int flags = in.u8();
        long offset = in.int32() & 0x7fffffffL;
        long count = in.int32() & 0x7fffffffL;
        long chunk = 16L << (in.u8() % 13);
        String json = in.nextUtf8();
        String record = new String(in.next(), StandardCharsets.ISO_8859_1);
        byte[] stored = in.rest();
        Blob blob = new Blob(metadata(json, record), TYPES[flags & 3], stored, (flags & 4) != 0 ? STRICT : LENIENT);

        byte[] whole = blob.read(0, Long.MAX_VALUE, chunk);
        if (whole != null) {
            assertGenuine(blob, whole);
        }
        byte[] range = blob.read(offset, count, chunk);
        if (whole != null) {
            assertThat(range).as("a range of a blob that reads whole").isEqualTo(slice(whole, offset, count));
        } else if (range != null) {
            assertThat((long) range.length).isLessThanOrEqualTo(count);
        }
    }

    /**
     * Input: protocol (0: 2.0, else 2.1 with regions of {@code 16·(1 + b % 64)} bytes), the content key and the
     * plaintext (fields), range offset and count (2 bytes each), then edits of 6 bytes each: kind, position (4
     * bytes), value.
     */
    @FuzzTest
    void readTamperedBlob(byte[] input) {
        FuzzFields in = FuzzFields.of(input);
        int protocolByte = in.u8();
        EncryptionProtocol protocol = protocolByte == 0 ? EncryptionProtocol.V2_0 : EncryptionProtocol.V2_1;
        int regionLength = protocol == EncryptionProtocol.V2_0 ? EncryptedRegionInfo.V2_0_DATA_LENGTH
            : 16 * (1 + protocolByte % 64);
        byte[] cek = Arrays.copyOf(in.next(), ContentKey.LENGTH);
        byte[] plaintext = in.next();
        long offset = (in.u8() << 8) | in.u8();
        long count = (in.u8() << 8) | in.u8();
        Genuine genuine = Genuine.encrypt(protocol, regionLength, cek, plaintext);

        Tampered edited = genuine.tampered();
        byte[] edits = in.rest();
        boolean anyEdit = edits.length >= 6;
        for (int k = 0; k + 6 <= edits.length; k += 6) {
            edited.apply(edits[k] & 0xff, ((edits[k + 1] & 0xff) << 24) | ((edits[k + 2] & 0xff) << 16)
                | ((edits[k + 3] & 0xff) << 8) | (edits[k + 4] & 0xff), edits[k + 5] & 0xff);
        }
        Blob blob = new Blob(edited.metadata(), BlobType.BLOCK_BLOB, edited.stored(), STRICT);
        byte[] whole = blob.read(0, Long.MAX_VALUE, regionLength * 2L);
        if (!anyEdit) {
            assertThat(whole).as("a genuine blob reads back").isEqualTo(plaintext);
        } else if (whole != null) {
            assertThat(whole).as("an edited blob that reads returns the original plaintext").isEqualTo(plaintext);
        }
        byte[] range = blob.read(offset, count, regionLength);
        if (range != null || !anyEdit) {
            assertThat(range).as("range %d+%d", offset, count).isEqualTo(slice(plaintext, offset, count));
        }
    }

    /** One stored blob, read as the blob client reads it, from memory. */
    private record Blob(Map<String, String> metadata, BlobType type, byte[] stored, EncryptionSettings settings) {
        /**
         * Plaintext bytes {@code [offset, offset + count)}, or {@code null} if the read was refused with a typed
         * exception (anything else propagates). The allocation bound counts the stored bytes, the metadata's
         * characters and the chunks ({@code ⌈stored / chunkSize⌉ + 1} at most: a 2.x chunk is at least one region).
         */
        byte[] read(long offset, long count, long chunkSize) {
            long size = stored.length;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                size += e.getKey().length() + e.getValue().length();
            }
            long chunks = (stored.length + chunkSize - 1) / chunkSize + 1;
            try {
                return AllocationMeter.steady(ALLOCATION_BASE + ALLOCATION_PER_BYTE * size
                    + ALLOCATION_PER_CHUNK * chunks, "blob read",
                    () -> readOnce(offset, count, chunkSize));
            } catch (ClientSideEncryptionException refused) {
                assertThat(refused.getMessage()).isNotBlank();
                return null;
            }
        }

        private byte[] readOnce(long offset, long count, long chunkSize) {
            try (OpenedBlob blob = OpenedBlob.of(response(), () -> {
                throw new AssertionError("an in-memory read makes no request");
            }, settings, null, null, Duration.ofMinutes(1), null, "Blob 'fuzz/blob'")) {
                DownloadPlan plan = blob.plan(offset, count, chunkSize);
                byte[] buffer = new byte[plan.maxFetchCount()];
                byte[] out = new byte[0];
                for (int i = 0; i < plan.chunkCount(); i++) {
                    long from = plan.fetchOffset(i);
                    int fetched = (int) Math.max(0, Math.min(stored.length, from + plan.fetchCount(i)) - from);
                    System.arraycopy(stored, (int) Math.min(from, stored.length), buffer, 0, fetched);
                    DownloadPlan.Plain plain = plan.decrypt(i, buffer, fetched);
                    int at = Math.toIntExact(plan.outputOffset(i));
                    if (out.length < at + plain.length()) {
                        out = Arrays.copyOf(out, at + plain.length());
                    }
                    System.arraycopy(plain.bytes(), plain.offset(), out, at, plain.length());
                }
                return out;
            }
        }

        @SuppressWarnings("deprecation") // the models' only public constructor; the service fills it otherwise
        private Response<BlobProperties> response() {
            BlobProperties properties = new BlobProperties(null, null, "\"0x1\"", stored.length, null, null, null,
                null, null, null, null, type, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, metadata, null);
            return new SimpleResponse<>(null, 200, new HttpHeaders(), properties);
        }
    }

    /**
     * The oracle of {@link #readStoredBlob}: the stored bytes are exactly what encrypting {@code plaintext} gives
     * under the content key the metadata wraps.
     */
    private static void assertGenuine(Blob blob, byte[] plaintext) throws GeneralSecurityException {
        EncryptionData data = EncryptionData.parse(BlobEncryptionMetadata.find(blob.metadata()));
        byte[] unwrapped = IndependentCrypto.aesUnwrap(KEK, data.wrappedContentKey().encryptedKey());
        byte[] stored = blob.stored();
        if (data.protocol() == EncryptionProtocol.V1_0) {
            assertThat(unwrapped).hasSize(ContentKey.LENGTH);
            assertThat(IndependentCrypto.cbcEncrypt(unwrapped, data.contentEncryptionIv(), plaintext,
                blob.type() != BlobType.PAGE_BLOB)).as("1.0: the stored bytes are CBC of the plaintext")
                .isEqualTo(stored);
            return;
        }
        assertThat(unwrapped).hasSize(40);
        assertThat(new String(unwrapped, 0, 8, StandardCharsets.US_ASCII))
            .isEqualTo((data.protocol().wireValue() + "\0\0\0\0\0").substring(0, 8));
        byte[] cek = Arrays.copyOfRange(unwrapped, 8, 40);
        int r = data.encryptedRegionInfo().dataLength();
        String recordValue = BlobEncryptionMetadata.findIntegrityRecord(blob.metadata());
        List<NonceScheme> schemes = new ArrayList<>(List.of(NonceScheme.values()));
        if (recordValue != null) {
            IntegrityRecord record = IntegrityRecord.parse(recordValue);
            assertThat(record.plaintextLength()).isEqualTo(plaintext.length);
            assertThat(record.regionDataLength()).isEqualTo(r);
            schemes = new ArrayList<>(List.of(NonceScheme.JAVA));
        }
        byte[] expected = new byte[0];
        int regions = plaintext.length == 0 ? (stored.length == 0 ? 0 : 1) : (plaintext.length + r - 1) / r;
        for (int i = 0; i < regions; i++) {
            int at = (int) ((long) i * (r + RegionLayout.OVERHEAD));
            assertThat(stored.length).isGreaterThanOrEqualTo(at + RegionLayout.NONCE_LENGTH);
            byte[] nonce = Arrays.copyOfRange(stored, at, at + RegionLayout.NONCE_LENGTH);
            int index = i;
            schemes.removeIf(scheme -> !scheme.matches(index, nonce, 0));
            byte[] region = IndependentCrypto.gcmSeal(cek, nonce, Arrays.copyOfRange(plaintext, i * r,
                Math.min(plaintext.length, (i + 1) * r)));
            expected = concat(expected, region);
        }
        assertThat(schemes).as("the regions' nonces are one writer's sequence").isNotEmpty();
        assertThat(stored).as("2.x: the stored bytes are the regions of the plaintext").isEqualTo(expected);
    }

    /** A genuine blob made by cse4j's encryptor, and its metadata. */
    private record Genuine(byte[] stored, String json, String record) {
        static Genuine encrypt(EncryptionProtocol protocol, int regionLength, byte[] cekBytes, byte[] plaintext) {
            ContentKey cek = ContentKey.of(cekBytes);
            EncryptionData data = EncryptionData.forV2(protocol, STRICT.contentKeys().wrap(cek, protocol),
                EncryptedRegionInfo.ofDataLength(regionLength), Map.of(EncryptionData.ENCRYPTION_LIBRARY, "fuzz"),
                EncryptionData.FULL_BLOB);
            RegionEncryptor encryptor = new RegionEncryptor(cek, RegionLayout.of(data.encryptedRegionInfo()),
                STRICT.cryptoProvider());
            byte[] stored = new byte[Math.toIntExact(encryptor.layout().encryptedLength(plaintext.length))];
            int written = 0;
            for (int i = 0; (long) i * regionLength < plaintext.length; i++) {
                written += encryptor.encryptRegion(i, plaintext, i * regionLength,
                    Math.min(regionLength, plaintext.length - i * regionLength), stored, written);
            }
            // SunJCE refuses to encrypt twice in a row with one key and nonce on one Cipher (each thread's engine keeps
            // one). cse4j never does: every blob has a fresh content key. Fuzzer-chosen keys repeat, so the engine
            // encrypts once with a throwaway key and a nonce never used before.
            THROWAWAY.encryptRegion(THROWAWAY_REGION.getAndIncrement(), new byte[0], 0, 0,
                new byte[RegionLayout.OVERHEAD], 0);
            try (IntegritySeal seal = IntegritySeal.of(cek)) {
                return new Genuine(stored, data.toJsonString(), seal.seal(data, plaintext.length).toMetadataValue());
            }
        }

        Tampered tampered() {
            return new Tampered(stored.clone(), new StringBuilder(json), new StringBuilder(record), regionLength());
        }

        private int regionLength() {
            return EncryptionData.parse(json).encryptedRegionInfo().dataLength();
        }
    }

    /** A genuine blob being edited; edits that add bytes stop at 64 KiB. */
    private static final class Tampered {
        private static final int MAX_EDITED = 64 * 1024;
        private byte[] stored;
        private final StringBuilder json;
        private StringBuilder record;
        private final int storedRegion;

        Tampered(byte[] stored, StringBuilder json, StringBuilder record, int regionLength) {
            this.stored = stored;
            this.json = json;
            this.record = record;
            this.storedRegion = regionLength + RegionLayout.OVERHEAD;
        }

        void apply(int kind, int position, int value) {
            if ((kind % 8 == 2 || kind % 8 == 7) && stored.length > MAX_EDITED) {
                return; // repeated duplication would double the blob each time
            }
            int at = position & 0x7fffffff;
            int regions = (stored.length + storedRegion - 1) / storedRegion;
            switch (kind % 8) {
                case 0 -> {
                    if (stored.length > 0) {
                        stored[at % stored.length] ^= (byte) (value | 1);
                    }
                }
                case 1 -> stored = Arrays.copyOf(stored, at % (stored.length + 1));
                case 2 -> stored = concat(stored, TestData.recipe(1 + value % 64));
                case 3 -> {
                    if (regions >= 2 && stored.length % storedRegion == 0) {
                        int a = at % regions;
                        int b = value % regions;
                        byte[] first = Arrays.copyOfRange(stored, a * storedRegion, (a + 1) * storedRegion);
                        System.arraycopy(stored, b * storedRegion, stored, a * storedRegion, storedRegion);
                        System.arraycopy(first, 0, stored, b * storedRegion, storedRegion);
                    }
                }
                case 4 -> {
                    if (json.length() > 0) {
                        json.setCharAt(at % json.length(), (char) value);
                    }
                }
                case 5 -> record = null;
                case 6 -> {
                    if (record != null && record.length() > 0) {
                        record.setCharAt(at % record.length(), (char) value);
                    }
                }
                default -> {
                    if (regions >= 1) {
                        int a = at % regions;
                        int end = Math.min(stored.length, (a + 1) * storedRegion);
                        byte[] copy = Arrays.copyOfRange(stored, a * storedRegion, end);
                        stored = concat(concat(Arrays.copyOf(stored, end), copy),
                            Arrays.copyOfRange(stored, end, stored.length));
                    }
                }
            }
        }

        byte[] stored() {
            return stored;
        }

        Map<String, String> metadata() {
            return BlobReadFuzzTest.metadata(json.toString(), record == null ? "" : record.toString());
        }
    }

    private static Map<String, String> metadata(String json, String record) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (!json.isEmpty()) {
            metadata.put(BlobEncryptionMetadata.KEY, json);
        }
        if (!record.isEmpty()) {
            metadata.put(BlobEncryptionMetadata.INTEGRITY_KEY, record);
        }
        return metadata;
    }

    private static EncryptionSettings settings(boolean requireIntegrityRecord) {
        return EncryptionSettings.of(ClientSideEncryptionOptions.builder()
            .key(AesKeyWrapKey.of(KEK_ID, KEK), KeyWrapAlgorithm.A256KW)
            .allowUnauthenticatedV1Reads(true)
            .requireIntegrityRecord(requireIntegrityRecord)
            .build());
    }

    private static byte[] slice(byte[] bytes, long offset, long count) {
        int from = (int) Math.min(offset, bytes.length);
        return Arrays.copyOfRange(bytes, from, (int) Math.min(bytes.length, from + Math.min(count, bytes.length)));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    @Test
    void committedSeeds_areTheVectorsAndGenuineBlobs() {
        Map<String, byte[]> stored = new LinkedHashMap<>();
        for (KnownAnswerVector vector : Vectors.list(Vectors.JAVA_SDK)) {
            if (vector.plaintextLength() <= 4096) {
                stored.put("vector-" + vector.name(), storedSeed(0, 5, 40, vector.encryptionDataJson(), "",
                    vector.rawBytes()));
            }
        }
        KnownAnswerVector legacy = Vectors.load(Vectors.JAVA8_LEGACY_SDK, "blob-v1-17bytes");
        stored.put("vector-java8-blob-v1-17bytes", storedSeed(0, 3, 14, legacy.encryptionDataJson(), "",
            legacy.rawBytes()));
        stored.put("vector-java8-blob-v1-as-page-blob", storedSeed(1, 0, 100, legacy.encryptionDataJson(), "",
            legacy.rawBytes()));
        Genuine v21 = Genuine.encrypt(EncryptionProtocol.V2_1, 16, TestData.recipe(32), TestData.recipe(100));
        stored.put("cse4j-v2_1-with-record", storedSeed(4, 17, 50, v21.json(), v21.record(), v21.stored()));
        Genuine v20 = Genuine.encrypt(EncryptionProtocol.V2_0, EncryptedRegionInfo.V2_0_DATA_LENGTH,
            TestData.recipe(32), TestData.recipe(33));
        stored.put("cse4j-v2_0-with-record", storedSeed(4, 0, 33, v20.json(), v20.record(), v20.stored()));
        stored.put("region-1GiB-claimed", storedSeed(0, 0, 10, v21.json().replace("\"DataLength\":16",
            "\"DataLength\":1073741824"), "", v21.stored()));
        stored.put("unencrypted", storedSeed(0, 0, 10, "", "", TestData.recipe(10)));
        FuzzSeeds.check(BlobReadFuzzTest.class, "readStoredBlob", stored);

        Map<String, byte[]> tampered = new LinkedHashMap<>();
        tampered.put("v2_1-r16-untouched", tamperSeed(R16, 100, 10, 20));
        tampered.put("v2_0-untouched", tamperSeed(0, 33, 0, 33));
        tampered.put("v2_1-r32-empty", tamperSeed(1, 0, 0, 1));
        tampered.put("v2_1-r16-flip-byte", concat(tamperSeed(R16, 100, 0, 100), new byte[] {0, 0, 0, 0, 40, 1}));
        tampered.put("v2_1-r16-swap-regions", concat(tamperSeed(R16, 96, 0, 96), new byte[] {3, 0, 0, 0, 0, 2}));
        tampered.put("v2_1-r16-drop-last-region", concat(tamperSeed(R16, 96, 0, 96), new byte[] {1, 0, 0, 0, (byte) 132,
            0}));
        tampered.put("v2_1-r16-drop-record-and-region", concat(tamperSeed(R16, 96, 0, 96), new byte[] {5, 0, 0, 0, 0, 0,
            1, 0, 0, 0, (byte) 132, 0}));
        FuzzSeeds.check(BlobReadFuzzTest.class, "readTamperedBlob", tampered);
    }

    private static byte[] storedSeed(int flags, int offset, int count, String json, String record, byte[] stored) {
        return FuzzFields.writer().u8(flags).int32(offset).int32(count).u8(3).utf8(json)
            .field(record.getBytes(StandardCharsets.ISO_8859_1)).rest(stored);
    }

    /** The protocol byte of 2.1 with 16-byte regions. */
    private static final int R16 = 64;

    /** @param protocolByte 0 for 2.0, else 2.1 with regions of {@code 16·(1 + protocolByte % 64)} bytes */
    private static byte[] tamperSeed(int protocolByte, int plaintextLength, int offset, int count) {
        return FuzzFields.writer().u8(protocolByte).field(TestData.recipe(32))
            .field(TestData.recipe(plaintextLength)).u8(offset >>> 8).u8(offset).u8(count >>> 8).u8(count).toBytes();
    }
}
