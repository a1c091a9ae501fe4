package dev.cse4j.table;

import com.azure.core.cryptography.KeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKeyResolver;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.TableEncryptionFormat;
import dev.cse4j.keys.AesKeyWrapKey;
import dev.cse4j.keys.KeyWrapAlgorithm;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.Vectors;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Keys, table names and clients for the table tests. */
final class Tables {
    static final String KEK_ID = "local:kek1";
    static final String OTHER_KEK_ID = "local:kek2";
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Tables() {
    }

    /** The vectors' key encryption key: bytes 00..1f, id local:kek1, A256KW. */
    static byte[] kekBytes() {
        return Vectors.kek(Vectors.JAVA8_LEGACY_SDK);
    }

    static AesKeyWrapKey kek() {
        return AesKeyWrapKey.of(KEK_ID, kekBytes());
    }

    static AesKeyWrapKey otherKek() {
        return AesKeyWrapKey.of(OTHER_KEK_ID, otherKekBytes());
    }

    /** The other test key's bytes: the vectors' key with its first byte 0xff. */
    static byte[] otherKekBytes() {
        byte[] bytes = kekBytes();
        bytes[0] = (byte) 0xff;
        return bytes;
    }

    /** A resolver that knows both test keys and returns null for any other id. */
    static KeyEncryptionKeyResolver resolver() {
        Map<String, KeyEncryptionKey> keys = Map.of(KEK_ID, kek(), OTHER_KEK_ID, otherKek());
        return keys::get;
    }

    /** A fresh table name (letters and digits, as the service requires). */
    static String uniqueName(String prefix) {
        return prefix + System.nanoTime() % 1_000_000_000L + "n" + COUNTER.incrementAndGet();
    }

    /** Creates a table and returns a plain client for it. */
    static TableClient createTable(Azurite azurite, String prefix) {
        TableClient table = plain(azurite, uniqueName(prefix));
        table.createTable();
        return table;
    }

    /** A plain (unencrypting) client for an existing table. */
    static TableClient plain(Azurite azurite, String tableName) {
        return new TableClientBuilder().connectionString(azurite.connectionString()).tableName(tableName)
            .buildClient();
    }

    /** An encrypting client for {@code table} with the vectors' key and the given format. */
    static EncryptedTableClientBuilder builder(TableClient table) {
        return builder(table, options());
    }

    /**
     * An encrypting client builder for {@code table} (on Azurite) with the given options, from a connection string,
     * so that it builds either kind of client ({@link Api}).
     */
    static EncryptedTableClientBuilder builder(TableClient table, ClientSideEncryptionOptions.Builder options) {
        // the client's table endpoint names its table where the service's names the account
        URI endpoint = URI.create(table.getTableEndpoint());
        return new EncryptedTableClientBuilder()
            .connectionString("DefaultEndpointsProtocol=http;AccountName=" + Azurite.ACCOUNT_NAME + ";AccountKey="
                + Azurite.ACCOUNT_KEY + ";TableEndpoint=http://" + endpoint.getAuthority() + "/" + Azurite.ACCOUNT_NAME
                + ";")
            .tableName(table.getTableName())
            .clientSideEncryptionOptions(options.build());
    }

    /** Options with the vectors' key, to add to. */
    static ClientSideEncryptionOptions.Builder options() {
        return ClientSideEncryptionOptions.builder().key(kek(), KeyWrapAlgorithm.A256KW);
    }

    static EncryptedTableClient encrypted(TableClient table, TableEncryptionFormat format,
        EncryptionResolver resolver) {
        return builder(table, format, resolver).buildEncryptedTableClient();
    }

    /** As {@link #encrypted(TableClient, TableEncryptionFormat, EncryptionResolver)}, of the kind {@code api}. */
    static Api.TestTable encrypted(Api api, TableClient table, TableEncryptionFormat format,
        EncryptionResolver resolver) {
        return api.build(builder(table, format, resolver));
    }

    /** A builder with the vectors' key writing {@code format} (and reading 1.0 if that is the format). */
    static EncryptedTableClientBuilder builder(TableClient table, TableEncryptionFormat format,
        EncryptionResolver resolver) {
        return builder(table, options().tableFormat(format)
            .allowUnauthenticatedV1Reads(format == TableEncryptionFormat.LEGACY_V1_UNAUTHENTICATED))
            .encryptionResolver(resolver);
    }
}
