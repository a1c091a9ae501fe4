package dev.cse4j.table;

import com.azure.data.tables.models.TableEntity;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cse4j.core.ClientSideEncryptionException;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.MalformedEncryptionDataException;
import dev.cse4j.core.implementation.Blocking;
import dev.cse4j.core.implementation.ContentKey;
import dev.cse4j.core.implementation.EncryptionSettings;
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

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz targets of stored table entities (docs/fuzzing.md): the name list parsers ({@link NameList}) and the whole
 * read of an entity ({@link EntityDecryptor}: {@code _ClientEncryptionMetadata1} parsing, key unwrap, the name list
 * decrypted with {@link AuthenticatedEntityCipher} or {@link LegacyEntityCipher} and parsed, every listed property
 * decrypted), under the vectors' key with encryption required and 1.0 reads allowed.
 *
 * <p>Invariant: a valid result, or a {@link ClientSideEncryptionException} (the name list parsers: a
 * {@link MalformedEncryptionDataException}); nothing else; at most {@link #ALLOCATION_BASE} +
 * {@link #ALLOCATION_PER_BYTE} bytes per input byte allocated. Oracle of a decrypted entity: every property it
 * returns decrypted re-encrypts independently (JDK AES key unwrap, AES-GCM, AES-CBC, SHA-256) to exactly its stored
 * value under the content key the metadata wraps: {@code cse4j-t1} as {@code nonce ‖ GCM(cek, nonce, AAD, P)} with
 * the AAD of docs/table-format.md, 1.0 as {@code CBC(cek, SHA-256(entityIV ‖ keys ‖ name)[0..16), P)}.
 */
class EntityDecryptionFuzzTest {
    static final long ALLOCATION_BASE = 1 << 20;
    static final long ALLOCATION_PER_BYTE = 64;
    private static final byte[] KEK = Vectors.kek(Vectors.JAVA_SDK);
    private static final EncryptionSettings SETTINGS = EncryptionSettings.of(ClientSideEncryptionOptions.builder()
        .key(AesKeyWrapKey.of("local:kek1", KEK), KeyWrapAlgorithm.A256KW)
        .allowUnauthenticatedV1Reads(true)
        .build());

    static {
        // The JDK's AES-GCM warms up once per JVM after its first MiB (SunJceGcmWarmUp), as in any client that has
        // moved data; done here, it never runs inside a measured execution.
        byte[] mib = new byte[2 << 20];
        new RegionEncryptor(ContentKey.generate(), new RegionLayout(mib.length), SETTINGS.cryptoProvider())
            .encryptRegion(0, mib, 0, mib.length, new byte[mib.length + RegionLayout.OVERHEAD], 0);
    }

    /** Input: bit 0 of the first byte chooses the parser (authenticated, legacy), then the list's bytes. */
    @FuzzTest
    void parseNameList(byte[] input) {
        FuzzFields in = FuzzFields.of(input);
        boolean legacy = (in.u8() & 1) != 0;
        byte[] list = in.rest();
        List<String> names;
        try {
            names = AllocationMeter.steady(bound(input.length), "name list parsing",
                () -> legacy ? List.copyOf(NameList.parseLegacy(list)) : NameList.parseAuthenticated(list));
        } catch (MalformedEncryptionDataException refused) {
            return;
        }
        assertThat(NameList.parseAuthenticated(NameList.toJson(names))).isEqualTo(names);
    }

    /**
     * Input: fields PartitionKey and RowKey (UTF-16 code units, unpaired surrogates possible),
     * {@code _ClientEncryptionMetadata1} (UTF-8; absent when empty), {@code _ClientEncryptionMetadata2} (absent when
     * the next byte is 0), then properties until the input ends: a kind byte (0 binary, 1 string, 2 int), a name
     * (UTF-8 field) and a value (field).
     */
    @FuzzTest
    void decryptStoredEntity(byte[] input) throws GeneralSecurityException {
        FuzzFields in = FuzzFields.of(input);
        TableEntity stored = new TableEntity(in.nextUtf16(), in.nextUtf16());
        String metadata = in.nextUtf8();
        if (!metadata.isEmpty()) {
            stored.addProperty(EntityNames.METADATA, metadata);
        }
        byte[] nameList = in.next();
        if (in.u8() != 0) {
            stored.addProperty(EntityNames.NAME_LIST, nameList);
        }
        while (true) {
            int kind = in.u8();
            String name = in.nextUtf8();
            byte[] value = in.next();
            if (name.isEmpty() && value.length == 0) {
                break;
            }
            if (name.equals(EntityNames.PARTITION_KEY) || name.equals(EntityNames.ROW_KEY)) {
                continue; // the service always returns them as the strings read above
            }
            Object typed = kind % 3 == 0 ? value : kind % 3 == 1 ? new String(value, StandardCharsets.UTF_8)
                : (Object) value.length;
            try {
                stored.addProperty(name, typed);
            } catch (IllegalArgumentException notAnEntity) {
                // the SDK's own check (e.g. a non-string PartitionKey): no service returns such an entity
            }
        }
        EntityDecryptor.Opened opened;
        try {
            opened = AllocationMeter.steady(bound(input.length), "entity decryption",
                () -> Blocking.await(new EntityDecryptor(SETTINGS, "fuzz").open(stored, Projection.ALL,
                    Blocking.ALLOWED)));
        } catch (ClientSideEncryptionException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertGenuine(stored, opened);
    }

    /** The oracle: every decrypted value is exactly what encrypting it gives under the entity's content key. */
    private static void assertGenuine(TableEntity stored, EntityDecryptor.Opened opened)
        throws GeneralSecurityException {
        assertThat(opened.protocol()).as("encryption is required: only encrypted entities read").isNotNull();
        EncryptionData data = EncryptionData.parse((String) stored.getProperty(EntityNames.METADATA));
        byte[] unwrapped = IndependentCrypto.aesUnwrap(KEK, data.wrappedContentKey().encryptedKey());
        boolean legacy = data.protocol() == EncryptionProtocol.V1_0;
        byte[] cek = legacy ? unwrapped : Arrays.copyOfRange(unwrapped, 8, unwrapped.length);
        if (!legacy) {
            assertThat(new String(unwrapped, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("cse4j-t1");
        }
        for (String name : opened.encryptedNames()) {
            Object value = stored.getProperty(name);
            if (value == null) {
                continue;
            }
            byte[] plaintext = ((String) opened.entity().getProperty(name)).getBytes(StandardCharsets.UTF_8);
            byte[] expected = legacy
                ? IndependentCrypto.cbcEncrypt(cek, legacyIv(data, stored, name), plaintext, true)
                : IndependentCrypto.gcmSeal(cek, Arrays.copyOf((byte[]) value, RegionLayout.NONCE_LENGTH),
                    aad(stored.getPartitionKey(), stored.getRowKey(), name), plaintext);
            assertThat(expected).as("stored value of '%s'", name).isEqualTo(value);
        }
    }

    /** docs/formats.md §8.3: the first 16 bytes of SHA-256(entity IV ‖ UTF-8(keys ‖ name)), keys as written. */
    private static byte[] legacyIv(EncryptionData data, TableEntity stored, String name)
        throws GeneralSecurityException {
        String library = data.keyWrappingMetadata().get(EncryptionData.ENCRYPTION_LIBRARY);
        boolean java = data.keyWrappingMetadata().isEmpty() || library != null && library.contains("Java");
        String keys = java ? stored.getPartitionKey() + stored.getRowKey() : stored.getRowKey()
            + stored.getPartitionKey();
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update(data.contentEncryptionIv());
        return Arrays.copyOf(sha256.digest((keys + name).getBytes(StandardCharsets.UTF_8)), 16);
    }

    /** docs/table-format.md: L("cse4j-t1") ‖ L(PartitionKey) ‖ L(RowKey) ‖ L(name), L(s) = u32be(|s|) ‖ s. */
    private static byte[] aad(String partitionKey, String rowKey, String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String s : new String[] {"cse4j-t1", partitionKey, rowKey, name}) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4).putInt(utf8.length).array());
            out.writeBytes(utf8);
        }
        return out.toByteArray();
    }

    static long bound(int inputLength) {
        return ALLOCATION_BASE + ALLOCATION_PER_BYTE * inputLength;
    }

    @Test
    void committedSeeds_areTheVectorsAndEdgeCases() throws GeneralSecurityException {
        Map<String, byte[]> lists = new LinkedHashMap<>();
        lists.put("authenticated", FuzzFields.writer().u8(0).rest(NameList.toJson(List.of("a", "ü \"q\""))));
        lists.put("legacy-json", FuzzFields.writer().u8(1).rest("[\"Secret\",\"Other\"]".getBytes(
            StandardCharsets.UTF_8)));
        lists.put("legacy-java8", FuzzFields.writer().u8(1).rest("[Secret, Other]".getBytes(StandardCharsets.UTF_8)));
        lists.put("duplicate", FuzzFields.writer().u8(0).rest("[\"a\",\"a\"]".getBytes(StandardCharsets.UTF_8)));
        FuzzSeeds.check(EntityDecryptionFuzzTest.class, "parseNameList", lists);

        Map<String, byte[]> entities = new LinkedHashMap<>();
        KnownAnswerVector java8 = Vectors.load(Vectors.JAVA8_LEGACY_SDK, "table-v1");
        Map<String, Object> raw = java8.rawEntityProperties();
        entities.put("vector-java8-table-v1", entitySeed((String) raw.get("PartitionKey"), (String) raw.get("RowKey"),
            (String) raw.get(EntityNames.METADATA), binary(raw.get(EntityNames.NAME_LIST)), true,
            Map.of("Secret", binary(raw.get("Secret")), "Public", "visible")));

        byte[] cek = TestData.recipe(32);
        EncryptionData t1 = EncryptionData.forTableEntity(SETTINGS.contentKeys().wrap(ContentKey.of(cek),
            EncryptionProtocol.CSE4J_TABLE_1), Map.of(EncryptionData.ENCRYPTION_LIBRARY, "cse4j"));
        byte[] nonce = Arrays.copyOf(TestData.recipe(12), 12);
        byte[] list = IndependentCrypto.gcmSeal(cek, nonce, aad("pk", "rk", EntityNames.NAME_LIST),
            NameList.toJson(List.of("Secret")));
        byte[] secret = IndependentCrypto.gcmSeal(cek, nonce, aad("pk", "rk", "Secret"),
            "value é".getBytes(StandardCharsets.UTF_8));
        entities.put("cse4j-t1", entitySeed("pk", "rk", t1.toJsonString(), list, true, Map.of("Secret", secret,
            "Public", "visible")));
        entities.put("cse4j-t1-without-list", entitySeed("pk", "rk", t1.toJsonString(), list, false,
            Map.of("Secret", secret)));
        entities.put("cse4j-t1-moved-to-other-row", entitySeed("pk", "rk2", t1.toJsonString(), list, true,
            Map.of("Secret", secret)));
        entities.put("unencrypted", entitySeed("pk", "rk", "", new byte[0], false, Map.of("Public", "visible")));
        FuzzSeeds.check(EntityDecryptionFuzzTest.class, "decryptStoredEntity", entities);
    }

    /** An Edm.Binary value of a vector: decoded already, or as {@code {"value_b64": …}}. */
    private static byte[] binary(Object vectorValue) {
        if (vectorValue instanceof byte[] bytes) {
            return bytes;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> typed = (Map<String, Object>) vectorValue;
        return Base64.getDecoder().decode((String) typed.get("value_b64"));
    }

    private static byte[] entitySeed(String partitionKey, String rowKey, String metadata, byte[] nameList,
        boolean withList, Map<String, Object> properties) {
        FuzzFields.Writer seed = FuzzFields.writer().utf16(partitionKey).utf16(rowKey).utf8(metadata).field(nameList)
            .u8(withList ? 1 : 0);
        properties.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            boolean bytes = e.getValue() instanceof byte[];
            seed.u8(bytes ? 0 : 1).utf8(e.getKey()).field(bytes ? (byte[]) e.getValue()
                : ((String) e.getValue()).getBytes(StandardCharsets.UTF_8));
        });
        return seed.toBytes();
    }
}
