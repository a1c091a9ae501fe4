package dev.cse4j.table;

import com.azure.core.annotation.ServiceClientBuilder;
import com.azure.core.client.traits.AzureNamedKeyCredentialTrait;
import com.azure.core.client.traits.AzureSasCredentialTrait;
import com.azure.core.client.traits.ConnectionStringTrait;
import com.azure.core.client.traits.EndpointTrait;
import com.azure.core.client.traits.HttpTrait;
import com.azure.core.client.traits.TokenCredentialTrait;
import com.azure.core.credential.AzureNamedKeyCredential;
import com.azure.core.credential.AzureSasCredential;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.util.ClientOptions;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.data.tables.TableServiceVersion;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.implementation.EncryptionSettings;
import dev.cse4j.core.implementation.ServiceConnection;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Builds an {@link EncryptedTableClient} ({@link #buildEncryptedTableClient()}) or its asynchronous twin, an
 * {@link EncryptedTableAsyncClient} ({@link #buildEncryptedTableAsyncClient()}), from the same settings.
 *
 * <pre>{@code
 * EncryptedTableClient table = new EncryptedTableClientBuilder()
 *     .connectionString(connectionString)
 *     .tableName("customers")
 *     .clientSideEncryptionOptions(ClientSideEncryptionOptions.builder()
 *         .key(keyEncryptionKey, KeyWrapAlgorithm.A256KW)    // to write (and read what it wrote)
 *         .keyResolver(keyResolver)                          // to read entities written with other keys
 *         .build())
 *     .encryptionResolver((pk, rk, name) -> name.equals("Ssn"))
 *     .buildEncryptedTableClient();
 * }</pre>
 *
 * <p>The table: either an existing {@link TableClient} ({@link #tableClient(TableClient)}), or
 * {@link #connectionString(String)} and {@link #tableName(String)}, or {@link #endpoint(String)}, a credential and
 * {@link #tableName(String)}. With a connection string or endpoint, the HTTP settings of the Azure SDK's
 * {@code TableClientBuilder} apply ({@link #httpClient}, {@link #pipeline}, {@link #addPolicy},
 * {@link #retryOptions(RetryOptions)}, {@link #httpLogOptions}, {@link #clientOptions}, {@link #serviceVersion}).
 *
 * <p>Keys, the write format ({@link ClientSideEncryptionOptions.Builder#tableFormat}) and the safety switches come
 * whole from {@link #clientSideEncryptionOptions(ClientSideEncryptionOptions)}, with the same defaults as every
 * cse4j client; which properties are encrypted is the table's own choice ({@link #encryptionResolver}).
 * {@link #buildEncryptedTableClient()} fails at once, naming the setter that fixes the problem; every cse4j builder
 * refuses the same connection mistakes with the same messages.
 */
@ServiceClientBuilder(serviceClients = {EncryptedTableClient.class, EncryptedTableAsyncClient.class})
public final class EncryptedTableClientBuilder implements HttpTrait<EncryptedTableClientBuilder>,
    ConnectionStringTrait<EncryptedTableClientBuilder>, EndpointTrait<EncryptedTableClientBuilder>,
    TokenCredentialTrait<EncryptedTableClientBuilder>, AzureSasCredentialTrait<EncryptedTableClientBuilder>,
    AzureNamedKeyCredentialTrait<EncryptedTableClientBuilder> {
    /** How many times a merge is retried by default when its entity changed meanwhile ({@value}). */
    public static final int DEFAULT_MAX_MERGE_RETRIES = 5;

    private final ServiceConnection connection = new ServiceConnection("table", "tableClient(...)", "tableName(...)");
    private ClientSideEncryptionOptions options;
    private EncryptionResolver encryptionResolver = EncryptionResolver.NONE;
    private int maxMergeRetries = DEFAULT_MAX_MERGE_RETRIES;
    private TableClient tableClient;
    private String tableName;

    /** A builder with nothing set; nothing is read or loaded until {@link #buildEncryptedTableClient()}. */
    public EncryptedTableClientBuilder() {
        // the Tables SDK's builder ignores a SAS in its endpoint URL; it takes it as a SAS credential
        connection.sasInEndpointAsCredential();
    }

    /** The table to wrap, already configured; then no connection string, endpoint, credential or name is set. */
    public EncryptedTableClientBuilder tableClient(TableClient tableClient) {
        this.tableClient = Objects.requireNonNull(tableClient, "tableClient");
        return this;
    }

    /** The key, format and policy settings (required). */
    public EncryptedTableClientBuilder clientSideEncryptionOptions(ClientSideEncryptionOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        return this;
    }

    /** The storage account's connection string; with {@link #tableName(String)}. */
    @Override
    public EncryptedTableClientBuilder connectionString(String connectionString) {
        connection.connectionString(connectionString);
        return this;
    }

    /**
     * The table service endpoint, e.g. {@code https://account.table.core.windows.net} (for Azurite, path-style:
     * {@code http://127.0.0.1:10002/devstoreaccount1}); with a credential and {@link #tableName(String)}. The
     * credential may be a SAS in its query ({@code https://account.table.core.windows.net/?sv=...&sig=...}), as for
     * the blob and queue builders: it is then the endpoint's only credential, applied to every request as
     * {@link #sasToken(String)} is, and no endpoint the client reports carries it.
     */
    @Override
    public EncryptedTableClientBuilder endpoint(String endpoint) {
        connection.endpoint(endpoint);
        return this;
    }

    /** The table's name. */
    public EncryptedTableClientBuilder tableName(String tableName) {
        this.tableName = Objects.requireNonNull(tableName, "tableName");
        return this;
    }

    /** An account name and key, for {@link #endpoint(String)}. */
    @Override
    public EncryptedTableClientBuilder credential(AzureNamedKeyCredential credential) {
        connection.credential("credential(AzureNamedKeyCredential)", credential);
        return this;
    }

    /** A shared access signature, for {@link #endpoint(String)}. */
    @Override
    public EncryptedTableClientBuilder credential(AzureSasCredential credential) {
        connection.credential("credential(AzureSasCredential)", credential);
        return this;
    }

    /** A Microsoft Entra ID token credential, for an HTTPS {@link #endpoint(String)}. */
    @Override
    public EncryptedTableClientBuilder credential(TokenCredential credential) {
        connection.credential("credential(TokenCredential)", credential);
        return this;
    }

    /** A shared access signature token, for {@link #endpoint(String)}. */
    public EncryptedTableClientBuilder sasToken(String sasToken) {
        connection.sasToken(sasToken);
        return this;
    }

    @Override
    public EncryptedTableClientBuilder httpClient(HttpClient httpClient) {
        connection.httpClient(httpClient);
        return this;
    }

    /** A complete HTTP pipeline (with its authentication); then only {@link #endpoint(String)} says where. */
    @Override
    public EncryptedTableClientBuilder pipeline(HttpPipeline pipeline) {
        connection.pipeline(pipeline);
        return this;
    }

    @Override
    public EncryptedTableClientBuilder addPolicy(HttpPipelinePolicy policy) {
        connection.addPolicy(policy);
        return this;
    }

    @Override
    public EncryptedTableClientBuilder retryOptions(RetryOptions retryOptions) {
        connection.retryOptions("retryOptions(RetryOptions)", retryOptions);
        return this;
    }

    @Override
    public EncryptedTableClientBuilder httpLogOptions(HttpLogOptions logOptions) {
        connection.httpLogOptions(logOptions);
        return this;
    }

    @Override
    public EncryptedTableClientBuilder clientOptions(ClientOptions clientOptions) {
        connection.clientOptions(clientOptions);
        return this;
    }

    public EncryptedTableClientBuilder serviceVersion(TableServiceVersion version) {
        connection.serviceVersion(version);
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
     * How many times a merge (an upsert or update in MERGE mode, or a transaction with merge actions) is read and
     * written again when the entity it merges into changed between its read and its conditional write (default
     * {@value #DEFAULT_MAX_MERGE_RETRIES}; 0: never). When they are used up, the call throws
     * {@link TableMergeConflictException} and has written nothing. Each retry means that another writer's write went
     * through, so a retry is sent at once.
     *
     * @throws IllegalArgumentException if negative
     */
    public EncryptedTableClientBuilder maxMergeRetries(int maxMergeRetries) {
        if (maxMergeRetries < 0) {
            throw new IllegalArgumentException("maxMergeRetries must be 0 or more, not " + maxMergeRetries + ".");
        }
        this.maxMergeRetries = maxMergeRetries;
        return this;
    }

    /**
     * @throws IllegalStateException naming the setter to fix, if the options are missing, the table is not fully
     *     named, or settings conflict
     */
    public EncryptedTableClient buildEncryptedTableClient() {
        EncryptionSettings settings = EncryptionSettings.of(options);
        TableClient table = tableClient != null ? wrapped() : table(TableClientBuilder::buildClient);
        return new EncryptedTableClient(table, settings, encryptionResolver, maxMergeRetries);
    }

    /**
     * The asynchronous client of the same table, with the same options, encryption resolver and merge retries
     * ({@link EncryptedTableAsyncClient}), built from a connection string or an endpoint with a credential.
     *
     * @throws IllegalStateException as {@link #buildEncryptedTableClient()}; also if {@link #tableClient(TableClient)}
     *     is set: the SDK does not expose a synchronous {@code TableClient}'s HTTP pipeline, so no asynchronous
     *     client can share it
     */
    public EncryptedTableAsyncClient buildEncryptedTableAsyncClient() {
        EncryptionSettings settings = EncryptionSettings.of(options);
        if (tableClient != null) {
            wrapped();
            throw ServiceConnection.refused("tableClient(...) wraps a synchronous TableClient, whose HTTP pipeline "
                + "the Azure SDK does not expose, so no asynchronous client can be built on it: set "
                + "connectionString(...), or endpoint(...) with a credential, and tableName(...) instead, or build "
                + "the synchronous client with buildEncryptedTableClient().");
        }
        return new EncryptedTableAsyncClient(table(TableClientBuilder::buildAsyncClient), settings,
            encryptionResolver, maxMergeRetries);
    }

    private TableClient wrapped() {
        connection.refuseBesides(tableName == null ? List.of() : List.of("tableName(...)"));
        return tableClient;
    }

    /** The SDK client of the table, sync or async, from the connection settings. */
    private <T> T table(Function<TableClientBuilder, T> build) {
        TableClientBuilder builder = connection.configure(new TableClientBuilder(), (b, value) -> {
            if (value instanceof TableServiceVersion v) {
                b.serviceVersion(v);
            }
        });
        if (tableName == null) {
            throw ServiceConnection.refused("Name the table: set tableName(...).");
        }
        return connection.apply(() -> build.apply(builder.tableName(tableName)));
    }
}
