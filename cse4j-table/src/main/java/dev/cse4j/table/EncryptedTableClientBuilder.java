package dev.cse4j.table;

import com.azure.core.annotation.ServiceClientBuilder;
import com.azure.core.credential.AzureNamedKeyCredential;
import com.azure.core.credential.AzureSasCredential;
import com.azure.core.credential.TokenCredential;
import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import com.azure.core.cryptography.AsyncKeyEncryptionKeyResolver;
import com.azure.core.cryptography.KeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKeyResolver;
import com.azure.core.http.HttpClient;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import dev.cse4j.core.implementation.EncryptionSettings;

import java.util.Objects;

/**
 * Builds an {@link EncryptedTableClient}.
 *
 * <pre>{@code
 * EncryptedTableClient table = new EncryptedTableClientBuilder()
 *     .connectionString(connectionString)
 *     .tableName("customers")
 *     .key(keyEncryptionKey, KeyWrapAlgorithm.A256KW)          // to write (and read what it wrote)
 *     .keyResolver(keyResolver)                                // to read entities written with other keys
 *     .encryptionResolver((pk, rk, name) -> name.equals("Ssn"))
 *     .buildEncryptedTableClient();
 * }</pre>
 *
 * <p>The table: either an existing {@link TableClient} ({@link #tableClient(TableClient)}), or
 * {@link #connectionString(String)} and {@link #tableName(String)}, or {@link #endpoint(String)}, a credential and
 * {@link #tableName(String)}.
 *
 * <p>Keys and safety switches, with the same defaults as every cse4j client: a key encryption key
 * ({@link #key(KeyEncryptionKey, String)}) is needed to write; reading uses it for its own key id and the key
 * resolver for any other. {@link #requireEncryption(boolean)} is on (an entity without encryption metadata is
 * refused on read); {@link #allowUnauthenticatedV1Reads(boolean)} is off (legacy 1.0 entities are refused).
 * {@link #buildEncryptedTableClient()} fails at once, naming the setter that fixes the problem.
 */
@ServiceClientBuilder(serviceClients = EncryptedTableClient.class)
public final class EncryptedTableClientBuilder {
    private final EncryptionSettings.Builder settings = EncryptionSettings.builder();
    private boolean hasKey;
    private boolean hasResolver;
    private EncryptionResolver encryptionResolver = EncryptionResolver.NONE;
    private TableEncryptionFormat format = TableEncryptionFormat.AUTHENTICATED;

    private TableClient tableClient;
    private String connectionString;
    private String endpoint;
    private String tableName;
    private AzureNamedKeyCredential namedKeyCredential;
    private AzureSasCredential sasCredential;
    private TokenCredential tokenCredential;
    private String sasToken;
    private HttpClient httpClient;

    /** Creates a builder with cse4j's defaults. */
    public EncryptedTableClientBuilder() {
    }

    /** The table to wrap, already configured; then no connection string, endpoint, credential or name is set. */
    public EncryptedTableClientBuilder tableClient(TableClient tableClient) {
        this.tableClient = Objects.requireNonNull(tableClient, "tableClient");
        return this;
    }

    /** The storage account's connection string; with {@link #tableName(String)}. */
    public EncryptedTableClientBuilder connectionString(String connectionString) {
        this.connectionString = Objects.requireNonNull(connectionString, "connectionString");
        return this;
    }

    /**
     * The table service endpoint, e.g. {@code https://account.table.core.windows.net} (for Azurite, path-style:
     * {@code http://127.0.0.1:10002/devstoreaccount1}); with a credential and {@link #tableName(String)}.
     */
    public EncryptedTableClientBuilder endpoint(String endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        return this;
    }

    /** The table's name. */
    public EncryptedTableClientBuilder tableName(String tableName) {
        this.tableName = Objects.requireNonNull(tableName, "tableName");
        return this;
    }

    /** An account name and key, for {@link #endpoint(String)}. */
    public EncryptedTableClientBuilder credential(AzureNamedKeyCredential credential) {
        this.namedKeyCredential = Objects.requireNonNull(credential, "credential");
        return this;
    }

    /** A shared access signature, for {@link #endpoint(String)}. */
    public EncryptedTableClientBuilder credential(AzureSasCredential credential) {
        this.sasCredential = Objects.requireNonNull(credential, "credential");
        return this;
    }

    /** A Microsoft Entra ID token credential, for an HTTPS {@link #endpoint(String)}. */
    public EncryptedTableClientBuilder credential(TokenCredential credential) {
        this.tokenCredential = Objects.requireNonNull(credential, "credential");
        return this;
    }

    /** A shared access signature token, for {@link #endpoint(String)}. */
    public EncryptedTableClientBuilder sasToken(String sasToken) {
        this.sasToken = Objects.requireNonNull(sasToken, "sasToken");
        return this;
    }

    /** The HTTP client to send requests with (default: azure-core's). */
    public EncryptedTableClientBuilder httpClient(HttpClient httpClient) {
        this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
        return this;
    }

    /**
     * The key encryption key that wraps each entity's content key on write, and unwraps the content keys it wrapped
     * on read.
     *
     * @param keyWrapAlgorithm e.g. {@code "A256KW"} for an AES key, {@code "RSA-OAEP-256"} for an RSA key
     */
    public EncryptedTableClientBuilder key(KeyEncryptionKey key, String keyWrapAlgorithm) {
        settings.key(key, keyWrapAlgorithm);
        hasKey = true;
        return this;
    }

    /** As {@link #key(KeyEncryptionKey, String)}, for an asynchronous key (e.g. a Key Vault key). */
    public EncryptedTableClientBuilder key(AsyncKeyEncryptionKey key, String keyWrapAlgorithm) {
        settings.key(key, keyWrapAlgorithm);
        hasKey = true;
        return this;
    }

    /** Finds the key encryption key for an entity's stored key id on read, when it is not {@code key}'s. */
    public EncryptedTableClientBuilder keyResolver(KeyEncryptionKeyResolver keyResolver) {
        settings.keyResolver(keyResolver);
        hasResolver = true;
        return this;
    }

    /** As {@link #keyResolver(KeyEncryptionKeyResolver)}, for an asynchronous resolver. */
    public EncryptedTableClientBuilder asyncKeyResolver(AsyncKeyEncryptionKeyResolver keyResolver) {
        settings.asyncKeyResolver(keyResolver);
        hasResolver = true;
        return this;
    }

    /**
     * Which properties to encrypt on write (default {@link EncryptionResolver#NONE}: only values marked with
     * {@link EncryptedString}).
     */
    public EncryptedTableClientBuilder encryptionResolver(EncryptionResolver encryptionResolver) {
        this.encryptionResolver = Objects.requireNonNull(encryptionResolver, "encryptionResolver");
        return this;
    }

    /**
     * The format to write (default {@link TableEncryptionFormat#AUTHENTICATED}).
     * {@link TableEncryptionFormat#LEGACY_V1_UNAUTHENTICATED} writes entities that the legacy .NET, Java 8 and Python
     * SDKs can read, without integrity protection.
     */
    public EncryptedTableClientBuilder encryptionFormat(TableEncryptionFormat format) {
        this.format = Objects.requireNonNull(format, "format");
        return this;
    }

    /**
     * Whether an entity without encryption metadata is refused on read (default {@code true}). Off, such entities
     * are returned as stored.
     */
    public EncryptedTableClientBuilder requireEncryption(boolean requireEncryption) {
        settings.requireEncryption(requireEncryption);
        return this;
    }

    /**
     * Whether legacy protocol 1.0 entities may be decrypted (default {@code false}). They are not authenticated: a
     * writer to the table can change, swap or drop their encrypted values undetected.
     */
    public EncryptedTableClientBuilder allowUnauthenticatedV1Reads(boolean allow) {
        settings.allowUnauthenticatedV1Reads(allow);
        return this;
    }

    /**
     * @throws IllegalStateException naming the setter to fix, if no key is set, the table is not fully named, or
     *     settings conflict
     */
    public EncryptedTableClient buildEncryptedTableClient() {
        if (!hasKey && !hasResolver) {
            throw new IllegalStateException("No key configured: set key(keyEncryptionKey, keyWrapAlgorithm) to write "
                + "and read, keyResolver(resolver) or asyncKeyResolver(resolver) to read entities by their key id, "
                + "or both.");
        }
        if (format == TableEncryptionFormat.LEGACY_V1_UNAUTHENTICATED && !hasKey) {
            throw new IllegalStateException("encryptionFormat(LEGACY_V1_UNAUTHENTICATED) chooses how entities are "
                + "written, and writing needs key(keyEncryptionKey, keyWrapAlgorithm).");
        }
        return new EncryptedTableClient(table(), settings.build(), encryptionResolver, format);
    }

    private TableClient table() {
        boolean connection = connectionString != null || endpoint != null || tableName != null
            || namedKeyCredential != null || sasCredential != null || tokenCredential != null || sasToken != null
            || httpClient != null;
        if (tableClient != null) {
            if (connection) {
                throw new IllegalStateException("tableClient(...) already names the table and how to reach it; do not "
                    + "also set connectionString, endpoint, tableName, a credential, sasToken or httpClient.");
            }
            return tableClient;
        }
        if (connectionString == null && endpoint == null) {
            throw new IllegalStateException("No table: set tableClient(tableClient), or connectionString(...) and "
                + "tableName(...), or endpoint(...), a credential(...) and tableName(...).");
        }
        if (connectionString != null && endpoint != null) {
            throw new IllegalStateException("Both connectionString(...) and endpoint(...) are set; set one.");
        }
        if (tableName == null) {
            throw new IllegalStateException("No table name: set tableName(...).");
        }
        int credentials = (namedKeyCredential != null ? 1 : 0) + (sasCredential != null ? 1 : 0)
            + (tokenCredential != null ? 1 : 0) + (sasToken != null ? 1 : 0);
        if (credentials > 1) {
            throw new IllegalStateException("More than one credential is set (credential(...) or sasToken(...)); set "
                + "one.");
        }
        if (connectionString != null && credentials > 0) {
            throw new IllegalStateException("The connection string carries the credential; do not also set "
                + "credential(...) or sasToken(...).");
        }
        if (endpoint != null && credentials == 0 && !endpoint.contains("sig=")) {
            throw new IllegalStateException("endpoint(...) needs a credential: set credential(...) (account key, SAS "
                + "or token credential) or sasToken(...).");
        }
        TableClientBuilder builder = new TableClientBuilder().tableName(tableName);
        if (connectionString != null) {
            builder.connectionString(connectionString);
        } else {
            builder.endpoint(endpoint);
        }
        if (namedKeyCredential != null) {
            builder.credential(namedKeyCredential);
        }
        if (sasCredential != null) {
            builder.credential(sasCredential);
        }
        if (tokenCredential != null) {
            builder.credential(tokenCredential);
        }
        if (sasToken != null) {
            builder.sasToken(sasToken);
        }
        if (httpClient != null) {
            builder.httpClient(httpClient);
        }
        return builder.buildClient();
    }
}
