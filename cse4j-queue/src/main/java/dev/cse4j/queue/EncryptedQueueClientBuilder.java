package dev.cse4j.queue;

import com.azure.core.credential.AzureSasCredential;
import com.azure.core.credential.TokenCredential;
import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import com.azure.core.cryptography.AsyncKeyEncryptionKeyResolver;
import com.azure.core.cryptography.KeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKeyResolver;
import com.azure.core.http.HttpClient;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import dev.cse4j.core.implementation.EncryptionSettings;

import java.security.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Builds an {@link EncryptedQueueClient}.
 *
 * <p>The queue: either an existing {@link #queueClient(QueueClient)} (its endpoint, credential, pipeline and
 * message encoding are used), or {@link #connectionString(String)} and {@link #queueName(String)}, or
 * {@link #endpoint(String)} with a credential and {@link #queueName(String)}.
 *
 * <p>The keys, with the same defaults and rules as every cse4j client: {@link #key(KeyEncryptionKey, String)} to
 * encrypt (and decrypt messages wrapped with that key), {@link #keyResolver(KeyEncryptionKeyResolver)} to decrypt
 * messages by the key id they name, or both. Encryption is required on read unless
 * {@link #requireEncryption(boolean) requireEncryption(false)}; legacy 1.0 messages are refused unless
 * {@link #allowUnauthenticatedV1Reads(boolean) allowUnauthenticatedV1Reads(true)}.
 *
 * <pre>{@code
 * EncryptedQueueClient queue = new EncryptedQueueClientBuilder()
 *     .connectionString(connectionString)
 *     .queueName("orders")
 *     .key(AesKeyWrapKey.of("local:kek1", kekBytes), KeyWrapAlgorithm.A256KW)
 *     .buildEncryptedQueueClient();
 * }</pre>
 *
 * <p>{@link #buildEncryptedQueueClient()} fails fast, naming the setter that fixes the problem.
 */
public final class EncryptedQueueClientBuilder {
    private final EncryptionSettings.Builder settings = EncryptionSettings.builder();
    private QueueClient queueClient;
    private String connectionString;
    private String endpoint;
    private String queueName;
    private StorageSharedKeyCredential sharedKeyCredential;
    private TokenCredential tokenCredential;
    private AzureSasCredential sasCredential;
    private String sasToken;
    private HttpClient httpClient;
    private QueueMessageEncoding messageEncoding;
    private Consumer<QueueMessageDecryptionError> decryptionErrorHandler;

    /** A builder with no queue and no key; encryption required, legacy 1.0 reads refused. */
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

    /** The storage account's connection string; use with {@link #queueName(String)}. */
    public EncryptedQueueClientBuilder connectionString(String connectionString) {
        this.connectionString = Objects.requireNonNull(connectionString, "connectionString");
        return this;
    }

    /** The queue service's URL, e.g. {@code https://account.queue.core.windows.net}; use with a credential. */
    public EncryptedQueueClientBuilder endpoint(String endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        return this;
    }

    /** The queue's name. */
    public EncryptedQueueClientBuilder queueName(String queueName) {
        this.queueName = Objects.requireNonNull(queueName, "queueName");
        return this;
    }

    /** Shared key credential for {@link #endpoint(String)}. */
    public EncryptedQueueClientBuilder credential(StorageSharedKeyCredential credential) {
        this.sharedKeyCredential = Objects.requireNonNull(credential, "credential");
        return this;
    }

    /** Microsoft Entra ID credential for {@link #endpoint(String)}. */
    public EncryptedQueueClientBuilder credential(TokenCredential credential) {
        this.tokenCredential = Objects.requireNonNull(credential, "credential");
        return this;
    }

    /** SAS credential for {@link #endpoint(String)}. */
    public EncryptedQueueClientBuilder credential(AzureSasCredential credential) {
        this.sasCredential = Objects.requireNonNull(credential, "credential");
        return this;
    }

    /** SAS token for {@link #endpoint(String)}. */
    public EncryptedQueueClientBuilder sasToken(String sasToken) {
        this.sasToken = Objects.requireNonNull(sasToken, "sasToken");
        return this;
    }

    /** The HTTP client for {@link #connectionString(String)} or {@link #endpoint(String)}. */
    public EncryptedQueueClientBuilder httpClient(HttpClient httpClient) {
        this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
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
     * The key encryption key that wraps each message's content key, and the wrap algorithm it is called with
     * (e.g. {@code "A256KW"}, {@code "RSA-OAEP-256"}; see {@code dev.cse4j.keys.KeyWrapAlgorithm}). Messages naming
     * this key's id are decrypted with it.
     */
    public EncryptedQueueClientBuilder key(KeyEncryptionKey key, String keyWrapAlgorithm) {
        settings.key(key, keyWrapAlgorithm);
        return this;
    }

    /** As {@link #key(KeyEncryptionKey, String)}, for an asynchronous key (e.g. Key Vault's). */
    public EncryptedQueueClientBuilder key(AsyncKeyEncryptionKey key, String keyWrapAlgorithm) {
        settings.key(key, keyWrapAlgorithm);
        return this;
    }

    /** Finds the key encryption key for the key id a message names, to decrypt it. */
    public EncryptedQueueClientBuilder keyResolver(KeyEncryptionKeyResolver resolver) {
        settings.keyResolver(resolver);
        return this;
    }

    /**
     * As {@link #keyResolver(KeyEncryptionKeyResolver)}, for an asynchronous resolver (e.g. Key Vault's). Named apart
     * so that a resolver implementing both interfaces (such as {@code JsonWebKeySetResolver}) or a lambda is not
     * ambiguous.
     */
    public EncryptedQueueClientBuilder asyncKeyResolver(AsyncKeyEncryptionKeyResolver resolver) {
        settings.asyncKeyResolver(resolver);
        return this;
    }

    /**
     * Whether messages that are not encrypted are refused on read (default {@code true}). With {@code false} they
     * are returned unchanged. Sending always encrypts.
     */
    public EncryptedQueueClientBuilder requireEncryption(boolean requireEncryption) {
        settings.requireEncryption(requireEncryption);
        return this;
    }

    /**
     * Whether legacy protocol 1.0 (AES-CBC) messages are decrypted (default {@code false}: refused with an
     * {@link dev.cse4j.core.EncryptionPolicyException}). 1.0 is <b>unauthenticated</b>: anyone who can write to the
     * queue can alter such a message undetectably. Allow it only to drain queues written by legacy SDKs.
     */
    public EncryptedQueueClientBuilder allowUnauthenticatedV1Reads(boolean allow) {
        settings.allowUnauthenticatedV1Reads(allow);
        return this;
    }

    /** The JCA provider for AES (e.g. a faster one); {@code null}: the JDK's. */
    public EncryptedQueueClientBuilder cryptoProvider(Provider provider) {
        settings.cryptoProvider(provider);
        return this;
    }

    /**
     * Receives messages that cannot be decrypted (or are refused by policy) during a receive or peek; they are then
     * left out of the result instead of failing the call. Without a handler the call throws.
     */
    public EncryptedQueueClientBuilder processMessageDecryptionError(Consumer<QueueMessageDecryptionError> handler) {
        this.decryptionErrorHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * @return the client
     * @throws IllegalStateException if no queue or no key is configured, or settings conflict; the message names
     *     the setter to use
     */
    public EncryptedQueueClient buildEncryptedQueueClient() {
        EncryptionSettings encryption = settings.build();
        QueueClient wire;
        QueueMessageEncoding encoding;
        if (queueClient != null) {
            List<String> conflicting = connectionSettings();
            if (!conflicting.isEmpty()) {
                throw new IllegalStateException("queueClient(QueueClient) already supplies the queue, its endpoint, "
                    + "credential and HTTP pipeline; remove " + String.join(", ", conflicting) + ".");
            }
            encoding = queueClient.getMessageEncoding();
            if (messageEncoding != null && messageEncoding != encoding) {
                throw new IllegalStateException("messageEncoding(" + messageEncoding + ") conflicts with the "
                    + "wrapped queueClient's encoding " + encoding + "; remove messageEncoding(...) or build the "
                    + "QueueClient with the encoding you want.");
            }
            wire = new QueueClientBuilder()
                .pipeline(queueClient.getHttpPipeline())
                .endpoint(queueClient.getQueueUrl())
                .queueName(queueClient.getQueueName())
                .serviceVersion(queueClient.getServiceVersion())
                .messageEncoding(QueueMessageEncoding.NONE)
                .buildClient();
        } else {
            encoding = messageEncoding == null ? QueueMessageEncoding.NONE : messageEncoding;
            wire = buildWireClient();
        }
        return new EncryptedQueueClient(wire, encoding, encryption, decryptionErrorHandler);
    }

    private QueueClient buildWireClient() {
        if (connectionString == null && endpoint == null) {
            throw new IllegalStateException("No queue configured: set queueClient(QueueClient), or "
                + "connectionString(String) and queueName(String), or endpoint(String), a credential(...) and "
                + "queueName(String).");
        }
        if (connectionString != null && endpoint != null) {
            throw new IllegalStateException("Both connectionString(...) and endpoint(...) are set; set one.");
        }
        if (queueName == null || queueName.isEmpty()) {
            throw new IllegalStateException("No queue name: set queueName(String).");
        }
        int credentials = count(sharedKeyCredential, tokenCredential, sasCredential, sasToken);
        if (connectionString != null && credentials > 0) {
            throw new IllegalStateException("connectionString(...) carries its own credential; remove "
                + "credential(...)/sasToken(...), or use endpoint(...) with the credential.");
        }
        if (credentials > 1) {
            throw new IllegalStateException("More than one credential is set; keep one of credential(...) and "
                + "sasToken(...).");
        }
        QueueClientBuilder builder = new QueueClientBuilder()
            .queueName(queueName)
            .messageEncoding(QueueMessageEncoding.NONE);
        if (connectionString != null) {
            builder.connectionString(connectionString);
        } else {
            builder.endpoint(endpoint);
        }
        if (sharedKeyCredential != null) {
            builder.credential(sharedKeyCredential);
        } else if (tokenCredential != null) {
            builder.credential(tokenCredential);
        } else if (sasCredential != null) {
            builder.credential(sasCredential);
        } else if (sasToken != null) {
            builder.sasToken(sasToken);
        }
        if (httpClient != null) {
            builder.httpClient(httpClient);
        }
        try {
            return builder.buildClient();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException("The queue settings are invalid (" + e.getMessage() + "); check "
                + (connectionString != null ? "connectionString(...)" : "endpoint(...) and the credential")
                + " and queueName(...).", e);
        }
    }

    private List<String> connectionSettings() {
        List<String> set = new ArrayList<>();
        addIf(set, connectionString, "connectionString(...)");
        addIf(set, endpoint, "endpoint(...)");
        addIf(set, queueName, "queueName(...)");
        addIf(set, sharedKeyCredential, "credential(StorageSharedKeyCredential)");
        addIf(set, tokenCredential, "credential(TokenCredential)");
        addIf(set, sasCredential, "credential(AzureSasCredential)");
        addIf(set, sasToken, "sasToken(...)");
        addIf(set, httpClient, "httpClient(...)");
        return set;
    }

    private static void addIf(List<String> list, Object value, String setter) {
        if (value != null) {
            list.add(setter);
        }
    }

    private static int count(Object... values) {
        int n = 0;
        for (Object v : values) {
            if (v != null) {
                n++;
            }
        }
        return n;
    }
}
