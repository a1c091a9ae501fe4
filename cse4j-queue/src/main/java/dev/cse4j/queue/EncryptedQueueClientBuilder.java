package dev.cse4j.queue;

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
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.queue.QueueAsyncClient;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.QueueServiceVersion;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.implementation.EncryptionSettings;
import dev.cse4j.core.implementation.ServiceConnection;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Builds an {@link EncryptedQueueClient} ({@link #buildEncryptedQueueClient()}) or its asynchronous twin, an
 * {@link EncryptedQueueAsyncClient} ({@link #buildEncryptedQueueAsyncClient()}), from the same settings.
 *
 * <p>The queue: either an existing {@link #queueClient(QueueClient)} (its endpoint, credential, pipeline and
 * message encoding are used), or {@link #connectionString(String)} and {@link #queueName(String)}, or
 * {@link #endpoint(String)} with a credential and {@link #queueName(String)}. With a connection string or endpoint,
 * the HTTP settings of the Azure SDK's {@code QueueClientBuilder} apply ({@link #httpClient}, {@link #pipeline},
 * {@link #addPolicy}, {@link #retryOptions(RetryOptions)}, {@link #httpLogOptions}, {@link #clientOptions},
 * {@link #serviceVersion}).
 *
 * <p>Keys and policy come whole from {@link #clientSideEncryptionOptions(ClientSideEncryptionOptions)}, with the
 * same defaults and rules as every cse4j client: a key encryption key to send (and to decrypt messages it wrapped),
 * a key resolver to decrypt messages by the key id they name, or both. Messages are written with protocol 2.0.
 *
 * <pre>{@code
 * EncryptedQueueClient queue = new EncryptedQueueClientBuilder()
 *     .connectionString(connectionString)
 *     .queueName("orders")
 *     .clientSideEncryptionOptions(ClientSideEncryptionOptions.builder()
 *         .key(AesKeyWrapKey.of("local:kek1", kekBytes), KeyWrapAlgorithm.A256KW).build())
 *     .buildEncryptedQueueClient();
 * }</pre>
 *
 * <p>{@link #buildEncryptedQueueClient()} fails fast, naming the setter that fixes the problem; every cse4j builder
 * refuses the same connection mistakes with the same messages.
 */
@ServiceClientBuilder(serviceClients = {EncryptedQueueClient.class, EncryptedQueueAsyncClient.class})
public final class EncryptedQueueClientBuilder implements HttpTrait<EncryptedQueueClientBuilder>,
    ConnectionStringTrait<EncryptedQueueClientBuilder>, EndpointTrait<EncryptedQueueClientBuilder>,
    TokenCredentialTrait<EncryptedQueueClientBuilder>, AzureSasCredentialTrait<EncryptedQueueClientBuilder>,
    AzureNamedKeyCredentialTrait<EncryptedQueueClientBuilder> {
    private final ServiceConnection connection = new ServiceConnection("queue", "queueClient(...)", "queueName(...)");
    private ClientSideEncryptionOptions options;
    private QueueClient queueClient;
    private String queueName;
    private QueueMessageEncoding messageEncoding;
    private Consumer<QueueMessageDecryptionError> decryptionErrorHandler;
    private Function<QueueMessageDecryptionError, Mono<Void>> asyncDecryptionErrorHandler;

    /** A builder with nothing set; nothing is read or loaded until {@link #buildEncryptedQueueClient()}. */
    public EncryptedQueueClientBuilder() {
    }

    /**
     * The queue to wrap: its endpoint, credential, HTTP pipeline and message encoding are used. The client is not
     * changed; the encrypted client sends through a client of its own on the same pipeline.
     */
    public EncryptedQueueClientBuilder queueClient(QueueClient queueClient) {
        this.queueClient = Objects.requireNonNull(queueClient, "queueClient");
        return this;
    }

    /** The key, format and policy settings (required). */
    public EncryptedQueueClientBuilder clientSideEncryptionOptions(ClientSideEncryptionOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        return this;
    }

    /** The storage account's connection string; use with {@link #queueName(String)}. */
    @Override
    public EncryptedQueueClientBuilder connectionString(String connectionString) {
        connection.connectionString(connectionString);
        return this;
    }

    /**
     * The queue service's URL, e.g. {@code https://account.queue.core.windows.net}, or the queue's URL (which then
     * supplies its name); use with a credential, or with a SAS in the URL.
     */
    @Override
    public EncryptedQueueClientBuilder endpoint(String endpoint) {
        connection.endpoint(endpoint);
        return this;
    }

    /** The queue's name. */
    public EncryptedQueueClientBuilder queueName(String queueName) {
        this.queueName = Objects.requireNonNull(queueName, "queueName");
        return this;
    }

    /** An account name and key, for {@link #endpoint(String)}. */
    public EncryptedQueueClientBuilder credential(StorageSharedKeyCredential credential) {
        connection.credential("credential(StorageSharedKeyCredential)", credential);
        return this;
    }

    /** An account name and key, for {@link #endpoint(String)}. */
    @Override
    public EncryptedQueueClientBuilder credential(AzureNamedKeyCredential credential) {
        connection.credential("credential(AzureNamedKeyCredential)", credential);
        return this;
    }

    /** A Microsoft Entra ID token credential, for an HTTPS {@link #endpoint(String)}. */
    @Override
    public EncryptedQueueClientBuilder credential(TokenCredential credential) {
        connection.credential("credential(TokenCredential)", credential);
        return this;
    }

    /** A shared access signature, for {@link #endpoint(String)}. */
    @Override
    public EncryptedQueueClientBuilder credential(AzureSasCredential credential) {
        connection.credential("credential(AzureSasCredential)", credential);
        return this;
    }

    /** A shared access signature token, for {@link #endpoint(String)}. */
    public EncryptedQueueClientBuilder sasToken(String sasToken) {
        connection.sasToken(sasToken);
        return this;
    }

    @Override
    public EncryptedQueueClientBuilder httpClient(HttpClient httpClient) {
        connection.httpClient(httpClient);
        return this;
    }

    /** A complete HTTP pipeline (with its authentication); then only {@link #endpoint(String)} says where. */
    @Override
    public EncryptedQueueClientBuilder pipeline(HttpPipeline pipeline) {
        connection.pipeline(pipeline);
        return this;
    }

    @Override
    public EncryptedQueueClientBuilder addPolicy(HttpPipelinePolicy policy) {
        connection.addPolicy(policy);
        return this;
    }

    @Override
    public EncryptedQueueClientBuilder retryOptions(RetryOptions retryOptions) {
        connection.retryOptions("retryOptions(RetryOptions)", retryOptions);
        return this;
    }

    /** Azure Storage's retry options (one kind of retry options only). */
    public EncryptedQueueClientBuilder retryOptions(RequestRetryOptions retryOptions) {
        connection.retryOptions("retryOptions(RequestRetryOptions)", retryOptions);
        return this;
    }

    @Override
    public EncryptedQueueClientBuilder httpLogOptions(HttpLogOptions logOptions) {
        connection.httpLogOptions(logOptions);
        return this;
    }

    @Override
    public EncryptedQueueClientBuilder clientOptions(ClientOptions clientOptions) {
        connection.clientOptions(clientOptions);
        return this;
    }

    public EncryptedQueueClientBuilder serviceVersion(QueueServiceVersion version) {
        connection.serviceVersion(version);
        return this;
    }

    /**
     * How envelopes are encoded on the wire: {@link QueueMessageEncoding#NONE} (the default; readable by every SDK)
     * or {@link QueueMessageEncoding#BASE64} (the whole envelope base64-encoded, as .NET does). With
     * {@link #queueClient(QueueClient)} the client's encoding applies and this setter may only repeat it. Reading
     * accepts both forms either way; see {@link EncryptedQueueClient}.
     */
    public EncryptedQueueClientBuilder messageEncoding(QueueMessageEncoding messageEncoding) {
        this.messageEncoding = Objects.requireNonNull(messageEncoding, "messageEncoding");
        return this;
    }

    /**
     * Receives messages that cannot be decrypted (or are refused by policy) during a receive or peek; they are then
     * left out of the result instead of failing the call. Without a handler the call throws (an asynchronous
     * client's publisher fails). The handler may block: an {@link EncryptedQueueAsyncClient} calls it on Reactor's
     * bounded elastic scheduler. Set this or {@link #processMessageDecryptionErrorAsync}, not both.
     */
    public EncryptedQueueClientBuilder processMessageDecryptionError(Consumer<QueueMessageDecryptionError> handler) {
        this.decryptionErrorHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * Receives messages that cannot be decrypted (or are refused by policy) during a receive or peek, as a
     * {@link Mono} that completes when the handler is done (an {@link EncryptedQueueAsyncClient} subscribes it
     * without waiting on a thread; an {@link EncryptedQueueClient} waits for it). The messages are then left out of
     * the result instead of failing the call. Set this or {@link #processMessageDecryptionError}, not both.
     */
    public EncryptedQueueClientBuilder processMessageDecryptionErrorAsync(
        Function<QueueMessageDecryptionError, Mono<Void>> handler) {
        this.asyncDecryptionErrorHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * @return the client
     * @throws IllegalStateException if no queue or no options are configured, or settings conflict; the message
     *     names the setter to use
     */
    public EncryptedQueueClient buildEncryptedQueueClient() {
        EncryptionSettings encryption = EncryptionSettings.of(options);
        QueueClient wire = wire(QueueClientBuilder::buildClient);
        return new EncryptedQueueClient(wire, encoding(), encryption, errorHandler());
    }

    /**
     * The asynchronous client of the same queue, with the same options, encoding and decryption error handler
     * ({@link EncryptedQueueAsyncClient}); with {@link #queueClient(QueueClient)}, on that client's HTTP pipeline.
     *
     * @return the client
     * @throws IllegalStateException as {@link #buildEncryptedQueueClient()}
     */
    public EncryptedQueueAsyncClient buildEncryptedQueueAsyncClient() {
        EncryptionSettings encryption = EncryptionSettings.of(options);
        QueueAsyncClient wire = wire(QueueClientBuilder::buildAsyncClient);
        return new EncryptedQueueAsyncClient(wire, encoding(), encryption, errorHandler());
    }

    /** The SDK client the encrypted client sends through, with message encoding {@code NONE} (it encodes itself). */
    private <T> T wire(Function<QueueClientBuilder, T> build) {
        if (queueClient != null) {
            connection.refuseBesides(queueName == null ? List.of() : List.of("queueName(...)"));
            return build.apply(new QueueClientBuilder()
                .pipeline(queueClient.getHttpPipeline())
                .endpoint(queueClient.getQueueUrl())
                .queueName(queueClient.getQueueName())
                .serviceVersion(queueClient.getServiceVersion())
                .messageEncoding(QueueMessageEncoding.NONE));
        }
        QueueClientBuilder builder = connection.configure(new QueueClientBuilder(), (b, value) -> {
            if (value instanceof StorageSharedKeyCredential c) {
                b.credential(c);
            } else if (value instanceof RequestRetryOptions r) {
                b.retryOptions(r);
            } else if (value instanceof QueueServiceVersion v) {
                b.serviceVersion(v);
            }
        }).messageEncoding(QueueMessageEncoding.NONE);
        if (queueName != null) {
            return connection.apply(() -> build.apply(builder.queueName(queueName)));
        }
        try {
            // the endpoint may be the queue's URL, which names it
            return connection.apply(() -> build.apply(builder));
        } catch (NullPointerException e) {
            throw ServiceConnection.refused("Name the queue: set queueName(...)"
                + (connection.hasConnectionString() ? "" : ", or give the queue's URL as endpoint(...)") + ".");
        }
    }

    /** How envelopes are encoded: the wrapped client's encoding, or {@link #messageEncoding}'s (default NONE). */
    private QueueMessageEncoding encoding() {
        if (queueClient == null) {
            return messageEncoding == null ? QueueMessageEncoding.NONE : messageEncoding;
        }
        QueueMessageEncoding encoding = queueClient.getMessageEncoding();
        if (messageEncoding != null && messageEncoding != encoding) {
            throw ServiceConnection.refused("messageEncoding(" + messageEncoding + ") conflicts with the "
                + "wrapped queueClient's encoding " + encoding + "; remove messageEncoding(...) or build the "
                + "QueueClient with the encoding you want.");
        }
        return encoding;
    }

    private DecryptionErrorHandler errorHandler() {
        if (decryptionErrorHandler != null && asyncDecryptionErrorHandler != null) {
            throw ServiceConnection.refused("Both processMessageDecryptionError(...) and "
                + "processMessageDecryptionErrorAsync(...) are set; set one of them.");
        }
        if (decryptionErrorHandler != null) {
            return DecryptionErrorHandler.of(decryptionErrorHandler);
        }
        return asyncDecryptionErrorHandler == null ? DecryptionErrorHandler.NONE
            : DecryptionErrorHandler.ofAsync(asyncDecryptionErrorHandler);
    }
}
