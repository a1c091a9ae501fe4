package dev.cse4j.table;

import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.TableEncryptionFormat;
import dev.cse4j.keys.KeyWrapAlgorithm;
import dev.cse4j.table.TableEntityTooLargeException.Limit;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.CountingKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;

import java.nio.charset.StandardCharsets;

import static dev.cse4j.core.TableEncryptionFormat.AUTHENTICATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The service's limits, checked exactly at their boundaries before anything is sent: the largest entity accepted
 * is stored and read back, one more is refused with nothing written and (for what can be known before sealing) no
 * call to the key encryption key.
 */
@ExtendWith(AzuriteExtension.class)
class EntityLimitsTest {
    private static final long MIB = 1024 * 1024;
    private static final int SECRET_LENGTH = 1000;

    private TableClient plain;
    private CountingKeys key;

    @BeforeEach
    void createTable(Azurite azurite) {
        plain = Tables.createTable(azurite, "limits");
        key = new CountingKeys();
    }

    private Api.TestTable client(Api api, TableEncryptionFormat format) {
        return api.build(Tables.builder(plain, ClientSideEncryptionOptions.builder().key(key.key(Tables.kek()),
                KeyWrapAlgorithm.A256KW).tableFormat(format).allowUnauthenticatedV1Reads(true))
            .encryptionResolver((pk, rk, name) -> name.startsWith("Secret")));
    }

    private TableEntityTooLargeException refused(Api.TestTable table, TableEntity entity, Limit limit) {
        long wrapsBefore = key.wraps();
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> table.upsertEntity(entity));
        assertThat(thrown).isInstanceOf(TableEntityTooLargeException.class).hasMessageContaining("Nothing was written");
        TableEntityTooLargeException e = (TableEntityTooLargeException) thrown;
        assertThat(e.getLimit()).isEqualTo(limit);
        assertThat(plain.listEntities()).noneMatch(stored -> stored.getRowKey().equals(entity.getRowKey()));
        if (limit != Limit.ENTITY_SIZE) {
            assertThat(key.wraps()).as("calls to the key encryption key").isEqualTo(wrapsBefore);
        }
        return e;
    }

    @ParameterizedTest
    @MethodSource("dev.cse4j.table.Api#byFormat")
    void propertyCount_250Accepted_251Refused(Api api, TableEncryptionFormat format) {
        Api.TestTable table = client(api, format);
        TableEntity largest = new TableEntity("p", "r250").addProperty("Secret", "s");
        for (int i = 1; i < 250; i++) {
            largest.addProperty("P" + i, i);
        }
        TableEntity oneMore = new TableEntity("p", "r251").addProperty("P250", 250);
        largest.getProperties().forEach((name, value) -> {
            if (!EntityNames.isSystemProperty(name)) {
                oneMore.addProperty(name, value);
            }
        });

        table.upsertEntity(largest);
        TableEntityTooLargeException e = refused(table, oneMore, Limit.PROPERTY_COUNT);

        assertThat(table.getEntity("p", "r250").getProperties()).containsEntry("Secret", "s").containsEntry("P249", 249);
        assertThat(plain.getEntity("p", "r250").getProperties().keySet()
            .stream().filter(k -> !EntityNames.isBookkeeping(k))).hasSize(255);
        assertThat(e.getActual()).isEqualTo(256);
        assertThat(e.getMaximum()).isEqualTo(255);
        assertThat(e).hasMessageContaining("at most 250");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void encryptedValue_65508Utf8BytesAccepted_65509Refused_inTheAuthenticatedFormat(Api api) {
        Api.TestTable table = client(api, AUTHENTICATED);
        String largest = "€".repeat(21_836); // 3 bytes each: 65508
        assertThat(largest.getBytes(StandardCharsets.UTF_8)).hasSize(65_508);

        table.upsertEntity(new TableEntity("p", "max").addProperty("Secret", largest));
        TableEntityTooLargeException e = refused(table, new TableEntity("p", "over").addProperty("Secret",
            "a".repeat(65_509)), Limit.PROPERTY_SIZE);

        assertThat(table.getEntity("p", "max").getProperty("Secret")).isEqualTo(largest);
        assertThat((byte[]) plain.getEntity("p", "max").getProperty("Secret")).hasSize(65_536);
        assertThat(e.getPropertyName()).isEqualTo("Secret");
        assertThat(e.getActual()).isEqualTo(65_537);
        assertThat(e.getMaximum()).isEqualTo(65_536);
        assertThat(e).hasMessageContaining("at most 65508 UTF-8 bytes");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void encryptedValue_65535BytesAccepted_65536Refused_inTheLegacyFormat(Api api) {
        Api.TestTable table = client(api, TableEncryptionFormat.LEGACY_V1_UNAUTHENTICATED);

        table.upsertEntity(new TableEntity("p", "max").addProperty("Secret", "a".repeat(65_535)));
        TableEntityTooLargeException e = refused(table, new TableEntity("p", "over").addProperty("Secret",
            "a".repeat(65_536)), Limit.PROPERTY_SIZE);

        assertThat(table.getEntity("p", "max").getProperty("Secret")).isEqualTo("a".repeat(65_535));
        assertThat((byte[]) plain.getEntity("p", "max").getProperty("Secret")).hasSize(65_536);
        assertThat(e.getActual()).isEqualTo(65_552);
        assertThat(e).hasMessageContaining("at most 65535 UTF-8 bytes");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void plainValues_32768CharactersAnd65536BytesAccepted_oneMoreRefused(Api api) {
        Api.TestTable table = client(api, AUTHENTICATED);

        // ASCII: Azurite 3.37 refuses 32768 characters when they are not all ASCII (the service counts UTF-16).
        table.upsertEntity(new TableEntity("p", "max").addProperty("Text", "a".repeat(32_768))
            .addProperty("Bytes", new byte[65_536]));
        TableEntityTooLargeException text = refused(table, new TableEntity("p", "overText")
            .addProperty("Text", "a".repeat(32_769)), Limit.PROPERTY_SIZE);
        TableEntityTooLargeException bytes = refused(table, new TableEntity("p", "overBytes")
            .addProperty("Bytes", new byte[65_537]), Limit.PROPERTY_SIZE);

        assertThat(table.getEntity("p", "max").getProperty("Text")).isEqualTo("a".repeat(32_768));
        assertThat(text.getActual()).isEqualTo(32_769);
        assertThat(bytes.getActual()).isEqualTo(65_537);
    }

    @ParameterizedTest
    @MethodSource("dev.cse4j.table.Api#byFormat")
    void entitySize_exactly1MiBAccepted_oneByteMoreRefused(Api api, TableEncryptionFormat format) {
        Api.TestTable table = client(api, format);
        int metadataChars = metadataLength(table);
        int binaryLength = 1000;
        long fixed = fixedSize(format, metadataChars, binaryLength);
        if ((MIB - fixed) % 2 != 0) {
            binaryLength++;
            fixed = fixedSize(format, metadataChars, binaryLength);
        }
        TableEntity largest = padded("max", MIB - fixed, binaryLength);
        TableEntity oneByteMore = padded("ovr", MIB - fixed, binaryLength + 1);

        table.upsertEntity(largest);
        TableEntityTooLargeException e = refused(table, oneByteMore, Limit.ENTITY_SIZE);

        assertThat(recount(plain.getEntity("p", "max"))).as("size of the stored entity").isEqualTo(MIB);
        assertThat(table.getEntity("p", "max").getProperty("Secret")).isEqualTo("s".repeat(SECRET_LENGTH));
        assertThat(e.getActual()).isEqualTo(MIB + 1);
        assertThat(e.getMaximum()).isEqualTo(MIB);
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void entitySize_farOverTheLimitWithoutMetadata_isRefusedBeforeTheKeyIsCalled(Api api) {
        Api.TestTable table = client(api, AUTHENTICATED);
        TableEntity huge = new TableEntity("p", "huge").addProperty("Secret", "s");
        for (int i = 0; i < 17; i++) {
            huge.addProperty("Pad" + i, "x".repeat(32_768)); // 17 × 65558 bytes > 1 MiB on their own
        }

        TableEntityTooLargeException e = refused(table, huge, Limit.ENTITY_SIZE);

        assertThat(key.wraps()).isZero();
        assertThat(e).hasMessageContaining("at least");
    }

    /** The length of _ClientEncryptionMetadata1 this client writes (it does not depend on the entity). */
    private int metadataLength(Api.TestTable table) {
        table.upsertEntity(new TableEntity("p", "probe").addProperty("Secret", "x"));
        int length = ((String) plain.getEntity("p", "probe").getProperty("_ClientEncryptionMetadata1")).length();
        plain.deleteEntity("p", "probe");
        return length;
    }

    /**
     * The service's count (written out here independently of EntitySize) for PartitionKey "p", a 3-character RowKey,
     * an encrypted "Secret" of {@value #SECRET_LENGTH} ASCII bytes, a plain binary "Bin" of {@code binaryLength}
     * bytes and both metadata properties; the padding comes on top.
     */
    private static long fixedSize(TableEncryptionFormat format, int metadataChars, int binaryLength) {
        boolean legacy = format != AUTHENTICATED;
        long secretStored = legacy ? 16L * (SECRET_LENGTH / 16 + 1) : SECRET_LENGTH + 28;
        long listStored = legacy ? 16L * ("[\"Secret\"]".length() / 16 + 1) : "[\"Secret\"]".length() + 28;
        return 4 + 2 * (1 + 3)
            + 8 + 2 * "Secret".length() + 4 + secretStored
            + 8 + 2 * "Bin".length() + 4 + binaryLength
            + 8 + 2 * 26 + 4 + listStored
            + 8 + 2 * 26 + 4 + 2L * metadataChars;
    }

    /** An entity whose ASCII padding properties (Pad00, Pad01, ...) add exactly {@code paddingBytes}. */
    private static TableEntity padded(String rowKey, long paddingBytes, int binaryLength) {
        TableEntity entity = new TableEntity("p", rowKey).addProperty("Secret", "s".repeat(SECRET_LENGTH))
            .addProperty("Bin", new byte[binaryLength]);
        long left = paddingBytes;
        for (int i = 0; left > 0; i++) {
            long overhead = 8 + 2 * 5 + 4;
            int chars = (int) Math.min(32_768, (left - overhead) / 2);
            entity.addProperty(String.format("Pad%02d", i), "x".repeat(chars));
            left -= overhead + 2L * chars;
            if (left > 0 && left < overhead + 2) {
                throw new IllegalStateException("padding cannot end exactly; change the binary length");
            }
        }
        return entity;
    }

    /** The service's size of a stored entity as read back raw, counted from scratch. */
    private static long recount(TableEntity raw) {
        long size = 4 + 2L * (raw.getPartitionKey().length() + raw.getRowKey().length());
        for (var e : raw.getProperties().entrySet()) {
            String name = e.getKey();
            if (EntityNames.isSystemProperty(name) || EntityNames.isBookkeeping(name)) {
                continue;
            }
            Object value = e.getValue();
            long valueSize = value instanceof byte[] ? 4 + ((byte[]) value).length : 4 + 2L * ((String) value).length();
            size += 8 + 2L * name.length() + valueSize;
        }
        return size;
    }
}
