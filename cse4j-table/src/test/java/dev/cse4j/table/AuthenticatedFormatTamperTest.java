package dev.cse4j.table;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import dev.cse4j.core.ClientSideEncryptionException;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.IntegrityException;
import dev.cse4j.core.KeyResolutionException;
import dev.cse4j.core.KeyWrapException;
import dev.cse4j.core.MalformedEncryptionDataException;
import dev.cse4j.core.TableEncryptionFormat;
import dev.cse4j.core.implementation.Blocking;
import dev.cse4j.core.implementation.ContentKey;
import dev.cse4j.core.implementation.CryptoProvider;
import dev.cse4j.core.implementation.EncryptionSettings;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every way an attacker with write access to the table can change an entity in cse4j's authenticated format is
 * detected: the read fails with a typed exception, and no plaintext is returned, with both kinds of client
 * ({@link Api}).
 */
@ExtendWith(AzuriteExtension.class)
class AuthenticatedFormatTamperTest {
    private TableClient plain;
    private EncryptedTableClient table;
    /** The entities are read back by both kinds of client ({@link Api}), built like {@link #table}. */
    private List<Api.TestTable> readers;

    @BeforeEach
    void writeEntities(Azurite azurite) {
        plain = Tables.createTable(azurite, "tamper");
        EncryptionResolver secrets = (pk, rk, n) -> n.startsWith("Secret");
        table = Tables.encrypted(plain, TableEncryptionFormat.AUTHENTICATED, secrets);
        readers = Stream.of(Api.values()).map(api -> Tables.encrypted(api, plain, TableEncryptionFormat.AUTHENTICATED,
            secrets)).toList();
        table.upsertEntity(new TableEntity("p", "a").addProperty("SecretA", "alpha").addProperty("SecretB", "beta")
            .addProperty("Plain", "visible"));
        table.upsertEntity(new TableEntity("p", "b").addProperty("SecretA", "other").addProperty("Plain", "b"));
        table.upsertEntity(new TableEntity("q", "a").addProperty("SecretA", "alpha").addProperty("SecretB", "beta"));
        assertThat(table.getEntity("p", "a").getProperty("SecretA")).isEqualTo("alpha");
    }

    /** The stored properties (no bookkeeping), for editing. */
    private Map<String, Object> raw(String pk, String rk) {
        Map<String, Object> properties = new LinkedHashMap<>();
        plain.getEntity(pk, rk).getProperties().forEach((name, value) -> {
            if (!EntityNames.isBookkeeping(name) && !EntityNames.isSystemProperty(name)) {
                properties.put(name, value);
            }
        });
        return properties;
    }

    /** Rewrites entity (p, a) with edited stored properties, with a plain client. */
    private void rewrite(Consumer<Map<String, Object>> edit) {
        rewrite("a", edit);
    }

    /** Rewrites entity (p, rowKey) with edited stored properties, with a plain client. */
    private void rewrite(String rowKey, Consumer<Map<String, Object>> edit) {
        Map<String, Object> properties = raw("p", rowKey);
        edit.accept(properties);
        plain.upsertEntityWithResponse(new TableEntity("p", rowKey).setProperties(properties),
            TableEntityUpdateMode.REPLACE, null, null);
    }

    private void assertReadFails(Class<? extends ClientSideEncryptionException> type, String... message) {
        assertReadFails("a", type, message);
    }

    /**
     * Reading (p, rowKey) alone and in a query both fail with {@code type}, with each kind of client; nothing is
     * returned.
     */
    private void assertReadFails(String rowKey, Class<? extends ClientSideEncryptionException> type,
        String... message) {
        for (Api.TestTable reader : readers) {
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> reader.getEntity("p", rowKey));
            assertThat(thrown).as(reader.toString()).isInstanceOf(type);
            if (message.length > 0) {
                assertThat(thrown).hasMessageContainingAll(message);
            }
            assertThatThrownBy(() -> reader.listEntities().forEach(e -> { })).as(reader.toString())
                .isInstanceOf(type);
        }
    }

    private static byte[] bytes(Map<String, Object> properties, String name) {
        return ((byte[]) properties.get(name)).clone();
    }

    private static String metadata(Map<String, Object> properties) {
        return (String) properties.get(EntityNames.METADATA);
    }

    @Test
    void valueMovedToAnotherProperty_isAnIntegrityFailure() {
        rewrite(p -> {
            Object a = p.get("SecretA");
            p.put("SecretA", p.get("SecretB"));
            p.put("SecretB", a);
        });

        assertReadFails(IntegrityException.class, "failed authentication", "moved from another property");
    }

    @Test
    void valueCopiedFromAnotherEntity_isAnIntegrityFailure() {
        byte[] fromOtherRow = bytes(raw("p", "b"), "SecretA");
        byte[] fromOtherPartition = bytes(raw("q", "a"), "SecretA");

        rewrite(p -> p.put("SecretA", fromOtherRow));
        assertReadFails(IntegrityException.class, "'SecretA'");
        rewrite(p -> p.put("SecretA", fromOtherPartition));
        assertReadFails(IntegrityException.class, "'SecretA'");
    }

    @Test
    void wholeEncryptedContentOfAnotherEntity_copiedOntoThisOne_isAnIntegrityFailure() {
        Map<String, Object> other = raw("q", "a"); // same RowKey, same names, same plaintexts, other PartitionKey

        rewrite(p -> {
            p.clear();
            p.putAll(other);
        });

        assertReadFails(IntegrityException.class, "_ClientEncryptionMetadata2");
    }

    @Test
    void metadataOfAnotherEntity_swappedIn_isAnIntegrityFailure() {
        Map<String, Object> other = raw("p", "b");

        rewrite(p -> {
            p.put(EntityNames.METADATA, other.get(EntityNames.METADATA));
            p.put(EntityNames.NAME_LIST, other.get(EntityNames.NAME_LIST));
        });
        assertReadFails(IntegrityException.class);
        rewrite(p -> p.put(EntityNames.METADATA, raw("p", "b").get(EntityNames.METADATA)));
        assertReadFails(IntegrityException.class);
    }

    @Test
    void nameListFromAnOlderVersionOfTheSameEntity_isAnIntegrityFailure() {
        byte[] olderList = bytes(raw("p", "a"), EntityNames.NAME_LIST);
        table.upsertEntity(new TableEntity("p", "a").addProperty("SecretA", "alpha2"));

        rewrite(p -> p.put(EntityNames.NAME_LIST, olderList));

        assertReadFails(IntegrityException.class, "_ClientEncryptionMetadata2");
    }

    @Test
    void nameListEntryRenamedRemovedOrAdded_isAnIntegrityFailure() {
        // ["SecretA","SecretB"]: GCM ciphertext is malleable bit by bit, so the attacker can aim at exact bytes.
        byte[] list = bytes(raw("p", "a"), EntityNames.NAME_LIST);
        int lastLetterOfSecretB = 12 + "[\"SecretA\",\"Secret".length();
        byte[] renamed = list.clone();
        renamed[lastLetterOfSecretB] ^= 'B' ^ 'C';
        byte[] removed = new byte[list.length - "\"SecretB\",".length()];
        System.arraycopy(list, 0, removed, 0, 12 + 1);
        System.arraycopy(list, 12 + 1 + "\"SecretB\",".length(), removed, 13, removed.length - 13);
        byte[] added = Arrays.copyOf(list, list.length + 10);

        for (byte[] edited : new byte[][] {renamed, removed, added}) {
            rewrite(p -> p.put(EntityNames.NAME_LIST, edited));
            assertReadFails(IntegrityException.class, "_ClientEncryptionMetadata2", "failed authentication");
        }
    }

    @Test
    void nameListRemoved_isAnIntegrityFailure_notAnEntityReturnedWithBinaryValues() {
        rewrite(p -> p.remove(EntityNames.NAME_LIST));

        assertReadFails(IntegrityException.class, "no _ClientEncryptionMetadata2");
    }

    @Test
    void metadataRemoved_isAnIntegrityFailure() {
        rewrite(p -> p.remove(EntityNames.METADATA));

        assertReadFails(IntegrityException.class, "no _ClientEncryptionMetadata1");
    }

    @Test
    void bothMetadataPropertiesRemoved_isRefusedAsUnencrypted() {
        rewrite(p -> {
            p.remove(EntityNames.METADATA);
            p.remove(EntityNames.NAME_LIST);
        });

        assertReadFails(EncryptionPolicyException.class, "not encrypted");
    }

    @Test
    void encryptedPropertyDeleted_isAnIntegrityFailure_unlessItWasNotSelected() {
        rewrite(p -> p.remove("SecretB"));

        assertReadFails(IntegrityException.class, "'SecretB'", "removed");
        assertThat(readers).allSatisfy(reader -> assertThat(reader.getEntityWithResponse("p", "a",
            List.of("SecretA"), null, null).getValue().getProperty("SecretA")).isEqualTo("alpha"));
    }

    @Test
    void encryptedPropertyReplacedByAPlainString_isAnIntegrityFailure() {
        rewrite(p -> p.put("SecretB", "attacker's text"));

        assertReadFails(IntegrityException.class, "'SecretB'", "not as encrypted binary");
    }

    @Test
    void protocolChanged_isRefusedWithTheRightTypedException() {
        String json = metadata(raw("p", "a"));
        String blobProtocol = json.replace("\"Protocol\":\"cse4j-t1\",\"EncryptionAlgorithm\":\"AES_GCM_256_AAD\"",
            "\"Protocol\":\"2.0\",\"EncryptionAlgorithm\":\"AES_GCM_256\"").replace("\"KeyWrappingMetadata\"",
            "\"EncryptedRegionInfo\":{\"DataLength\":4194304,\"NonceLength\":12},\"KeyWrappingMetadata\"");
        String legacy = json.replace("\"Protocol\":\"cse4j-t1\",\"EncryptionAlgorithm\":\"AES_GCM_256_AAD\"",
            "\"Protocol\":\"1.0\",\"EncryptionAlgorithm\":\"AES_CBC_256\"").replace("\"KeyWrappingMetadata\"",
            "\"ContentEncryptionIV\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"KeyWrappingMetadata\"");

        rewrite(p -> p.put(EntityNames.METADATA, json.replace("cse4j-t1", "cse4j-t2")));
        assertReadFails(MalformedEncryptionDataException.class, "cse4j-t2");
        rewrite(p -> p.put(EntityNames.METADATA, json.replace("\"cse4j-t1\"", "\"1.0\"")));
        assertReadFails(MalformedEncryptionDataException.class, "AES_GCM_256_AAD");
        rewrite(p -> p.put(EntityNames.METADATA, blobProtocol));
        assertReadFails(MalformedEncryptionDataException.class, "blob and queue format");
        rewrite(p -> p.put(EntityNames.METADATA, legacy));
        assertReadFails(EncryptionPolicyException.class, "1.0");
        for (Api api : Api.values()) {
            Api.TestTable v1Reader = api.build(Tables.builder(plain, Tables.options()
                .allowUnauthenticatedV1Reads(true)));
            assertThatThrownBy(() -> v1Reader.getEntity("p", "a")).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("downgrade");
        }
    }

    @Test
    void wrappedKeyKeyIdOrAlgorithmChanged_failsToUnwrapOrResolve() {
        String json = metadata(raw("p", "a"));
        EncryptionData data = EncryptionData.parse(json);
        String encryptedKey = Base64.getEncoder().encodeToString(data.wrappedContentKey().encryptedKey());
        byte[] flipped = data.wrappedContentKey().encryptedKey();
        flipped[5] ^= 1;

        rewrite(p -> p.put(EntityNames.METADATA, json.replace(encryptedKey,
            Base64.getEncoder().encodeToString(flipped))));
        assertReadFails(KeyWrapException.class);
        rewrite(p -> p.put(EntityNames.METADATA, json.replace("\"local:kek1\"", "\"local:kek9\"")));
        assertReadFails(KeyResolutionException.class, "local:kek9");
        rewrite(p -> p.put(EntityNames.METADATA, json.replace("\"A256KW\"", "\"A128KW\"")));
        assertReadFails(KeyWrapException.class);
    }

    @Test
    void metadataNotJsonOrOfTheWrongType_isMalformed() {
        String json = metadata(raw("p", "a"));

        rewrite(p -> p.put(EntityNames.METADATA, "{not json"));
        assertReadFails(MalformedEncryptionDataException.class);
        rewrite(p -> p.put(EntityNames.METADATA, json.getBytes(StandardCharsets.UTF_8)));
        assertReadFails(MalformedEncryptionDataException.class, "must be a string");
        rewrite(p -> {
            p.put(EntityNames.METADATA, json);
            p.put(EntityNames.NAME_LIST, "not binary");
        });
        assertReadFails(MalformedEncryptionDataException.class, "must be binary");
    }

    @Test
    void everyFlippedByteOfAValueOrTheNameList_isAnIntegrityFailure() {
        // Exhaustive flips run on the stored entity in memory, through the same decryptor the client uses.
        TableEntity stored = plain.getEntity("p", "a");
        EntityDecryptor decryptor = new EntityDecryptor(EncryptionSettings.of(Tables.options()
            .build()), plain.getTableName());
        assertThat(Blocking.await(decryptor.decrypt(stored, Projection.ALL, Blocking.ALLOWED)).getProperty("SecretA"))
            .isEqualTo("alpha");

        int flips = 0;
        for (String name : new String[] {"SecretA", "SecretB", EntityNames.NAME_LIST}) {
            byte[] original = (byte[]) stored.getProperty(name);
            for (int i = 0; i < original.length; i++) {
                for (int bit : new int[] {0x01, 0x80}) {
                    byte[] tampered = original.clone();
                    tampered[i] ^= (byte) bit;
                    TableEntity copy = new TableEntity("p", "a").setProperties(stored.getProperties());
                    copy.getProperties().put(name, tampered);
                    assertThatThrownBy(() -> Blocking.await(decryptor.decrypt(copy, Projection.ALL,
                        Blocking.ALLOWED)))
                        .as("bit %s of byte %s of %s", bit, i, name).isInstanceOf(IntegrityException.class);
                    flips++;
                }
            }
        }
        assertThat(flips).isEqualTo(2 * (33 + 32 + 49));
    }

    @Test
    void valueSealedWithTheEntitysOwnKeyButForAnotherName_isAnIntegrityFailure() {
        // Even an insider who has (p, b)'s content key cannot present a value sealed for one name as another.
        Map<String, Object> stored = raw("p", "b");
        ContentKey cek = dev.cse4j.core.implementation.Envelope.open(EncryptionSettings.of(Tables.options()
            .build()), EncryptionData.parse(metadata(stored)), "b").key();
        byte[] sealedForSecretZ = new AuthenticatedEntityCipher(cek, CryptoProvider.jdk(), "p", "b", "b")
            .encrypt("SecretZ", "forged".getBytes(StandardCharsets.UTF_8));

        rewrite("b", p -> p.put("SecretA", sealedForSecretZ));

        assertReadFails("b", IntegrityException.class, "'SecretA'", "failed authentication");
    }
}
