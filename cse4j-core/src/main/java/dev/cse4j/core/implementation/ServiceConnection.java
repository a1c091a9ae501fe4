package dev.cse4j.core.implementation;

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
import com.azure.core.util.ServiceVersion;
import com.azure.core.util.logging.ClientLogger;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * How every encrypted client builder reaches its service, written once: the connection string or endpoint, the
 * credential (shared key, token, SAS credential, SAS token, or a SAS in the endpoint URL), and the HTTP pipeline
 * settings of the wrapped Azure SDK builder ({@code httpClient}, {@code pipeline}, {@code addPolicy},
 * {@code httpLogOptions}, {@code retryOptions}, {@code clientOptions}, {@code serviceVersion}). Each public builder
 * collects its connection setters here and lets {@link #configure} check them and apply them to the SDK builder,
 * so that every builder refuses the same bad configurations with the same messages:
 *
 * <ul>
 *   <li>an existing client wrapped together with any connection setting ({@link #refuseBesides});</li>
 *   <li>nothing to connect to; both a connection string and an endpoint;</li>
 *   <li>more than one credential (a SAS in the endpoint URL counts as one); a credential with a connection
 *       string; an endpoint with no credential and no pipeline;</li>
 *   <li>a pipeline together with the settings it already holds (HTTP client, policies, retries, logging, client
 *       options, a credential or connection string, a SAS in the endpoint URL: the Azure SDK applies that SAS
 *       only to a pipeline it builds, so with a given pipeline it would be dropped without a word);</li>
 *   <li>two kinds of retry options;</li>
 *   <li>an endpoint the Azure SDK could not parse ({@link #configure}): the {@code endpoint(...)} URL, every URL of a
 *       connection string, and the URLs the SDK would build from its {@code DefaultEndpointsProtocol},
 *       {@code AccountName} and {@code EndpointSuffix}. The SDK logs such a URL whole at error before it throws,
 *       SAS included, so it is refused here first, naming the setting and the parser's reason and position.</li>
 * </ul>
 *
 * <p>Credentials and options that azure-core does not define (e.g. azure-storage-common's
 * {@code StorageSharedKeyCredential} and {@code RequestRetryOptions}), and the service version, are handed back to
 * the module to apply. A SAS token is applied as an {@link AzureSasCredential}, as the SDK does. A SAS in the
 * endpoint URL is left in the URL for the storage SDKs' builders, which read it from there; for a builder that
 * ignores it ({@link #sasInEndpointAsCredential()}) it is applied the same way as a SAS token.
 */
public final class ServiceConnection {
    private static final ClientLogger LOGGER = new ClientLogger(ServiceConnection.class);
    /**
     * The connection string settings that the storage and Tables SDKs parse as a {@link URI}, whichever service the
     * builder is for (azure-storage-common's {@code StorageServiceConnectionString} and
     * {@code StorageEmulatorConnectionString}, copied by azure-data-tables); names are case-sensitive there too.
     */
    private static final List<String> URI_SETTINGS = List.of("BlobEndpoint", "BlobSecondaryEndpoint",
        "QueueEndpoint", "QueueSecondaryEndpoint", "TableEndpoint", "TableSecondaryEndpoint", "FileEndpoint",
        "FileSecondaryEndpoint", "DevelopmentStorageProxyUri");
    /** The services whose URLs the SDK builds from the account name when the connection string gives none. */
    private static final List<String> SERVICES = List.of("blob", "queue", "table", "file");
    private static final String FIX_URL = "write it as an absolute http or https URL, with spaces and other "
        + "reserved characters percent-encoded";

    private final String service;
    private final String wrapSetter;
    private final String nameSetters;
    private String connectionString;
    private String endpoint;
    private final Map<String, Object> credentials = new LinkedHashMap<>();
    private final Map<String, Object> retryOptions = new LinkedHashMap<>();
    private final List<HttpPipelinePolicy> policies = new ArrayList<>();
    private HttpClient httpClient;
    private HttpPipeline pipeline;
    private HttpLogOptions httpLogOptions;
    private ClientOptions clientOptions;
    private ServiceVersion serviceVersion;
    private boolean sasInEndpointAsCredential;

    /**
     * @param service the service the builder reaches, as the connection string names it: {@code "blob"},
     *     {@code "queue"} or {@code "table"}
     * @param wrapSetter the setter that wraps an existing client instead, for messages, e.g. {@code "blobClient(...)"}
     * @param nameSetters the setters naming the resource, for messages, e.g. {@code "queueName(...)"}; empty for a
     *     service client
     */
    public ServiceConnection(String service, String wrapSetter, String nameSetters) {
        if (!SERVICES.contains(service)) {
            throw new IllegalArgumentException("Unknown service " + service + ".");
        }
        this.service = service;
        this.wrapSetter = wrapSetter;
        this.nameSetters = nameSetters;
    }

    /**
     * For an Azure SDK builder that ignores a SAS in its endpoint URL (azure-data-tables' {@code TableClientBuilder},
     * which then fails for want of authentication): {@link #configure} gives it the endpoint without its query (and
     * without a slash that ends its path), and the query as an {@link AzureSasCredential}, as {@link #sasToken}.
     * The checks are the same: the SAS in the URL is one credential among the others.
     */
    public void sasInEndpointAsCredential() {
        this.sasInEndpointAsCredential = true;
    }

    public void connectionString(String connectionString) {
        this.connectionString = Objects.requireNonNull(connectionString, "connectionString");
    }

    public void endpoint(String endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    /**
     * A credential, under the setter that took it (for messages). Setting the same setter again replaces it; two
     * different credentials are refused when the client is built.
     */
    public void credential(String setter, Object credential) {
        credentials.put(setter, Objects.requireNonNull(credential, "credential"));
    }

    /** A SAS token (with or without its leading {@code ?}), a credential like the others. */
    public void sasToken(String sasToken) {
        credential("sasToken(...)", new AzureSasCredential(Objects.requireNonNull(sasToken, "sasToken")));
    }

    public void httpClient(HttpClient httpClient) {
        this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
    }

    public void pipeline(HttpPipeline pipeline) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    }

    public void addPolicy(HttpPipelinePolicy policy) {
        policies.add(Objects.requireNonNull(policy, "policy"));
    }

    public void httpLogOptions(HttpLogOptions httpLogOptions) {
        this.httpLogOptions = Objects.requireNonNull(httpLogOptions, "httpLogOptions");
    }

    /** Retry options of either kind, under the setter that took them. */
    public void retryOptions(String setter, Object options) {
        retryOptions.put(setter, Objects.requireNonNull(options, "retryOptions"));
    }

    public void clientOptions(ClientOptions clientOptions) {
        this.clientOptions = Objects.requireNonNull(clientOptions, "clientOptions");
    }

    public void serviceVersion(ServiceVersion serviceVersion) {
        this.serviceVersion = Objects.requireNonNull(serviceVersion, "serviceVersion");
    }

    /** The endpoint set, or {@code null}. */
    public String endpoint() {
        return endpoint;
    }

    /** Whether a connection string is set. */
    public boolean hasConnectionString() {
        return connectionString != null;
    }

    /**
     * Checks that nothing but {@code wrapSetter} says how to reach the service, when an existing client is wrapped.
     *
     * @param moduleSetters the module's own setters that the wrapped client also makes pointless (e.g. the names),
     *     those called
     * @throws IllegalStateException naming the setters to remove
     */
    public void refuseBesides(List<String> moduleSetters) {
        List<String> set = new ArrayList<>(setters());
        set.addAll(moduleSetters);
        if (!set.isEmpty()) {
            throw refused(wrapSetter + " already carries the endpoint, credential and HTTP pipeline; remove "
                + String.join(", ", set) + ".");
        }
    }

    /**
     * Checks the settings and applies them to a new Azure SDK builder.
     *
     * @param moduleValues applies what azure-core does not define: credentials and retry options of the module's
     *     own types, and the service version
     * @return {@code builder}
     * @throws IllegalStateException naming the setters to change, if the settings are incomplete or contradict
     *     each other
     */
    public <B extends HttpTrait<B> & ConnectionStringTrait<B> & EndpointTrait<B> & TokenCredentialTrait<B>
        & AzureSasCredentialTrait<B> & AzureNamedKeyCredentialTrait<B>> B configure(B builder,
        BiConsumer<B, Object> moduleValues) {
        check();
        checkUrls();
        return apply(() -> {
            if (connectionString != null) {
                builder.connectionString(connectionString);
            } else if (sasInEndpointAsCredential && hasSas(endpoint)) {
                String sas = rawQuery(endpoint);
                String url = endpoint.substring(0, endpoint.indexOf('?'));
                builder.endpoint(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
                builder.credential(new AzureSasCredential(sas));
            } else {
                builder.endpoint(endpoint);
            }
            for (Object credential : credentials.values()) {
                if (credential instanceof AzureNamedKeyCredential c) {
                    builder.credential(c);
                } else if (credential instanceof TokenCredential c) {
                    builder.credential(c);
                } else if (credential instanceof AzureSasCredential c) {
                    builder.credential(c);
                } else {
                    moduleValues.accept(builder, credential);
                }
            }
            for (Object retry : retryOptions.values()) {
                if (retry instanceof RetryOptions r) {
                    builder.retryOptions(r);
                } else {
                    moduleValues.accept(builder, retry);
                }
            }
            if (pipeline != null) {
                builder.pipeline(pipeline);
            }
            if (httpClient != null) {
                builder.httpClient(httpClient);
            }
            policies.forEach(builder::addPolicy);
            if (httpLogOptions != null) {
                builder.httpLogOptions(httpLogOptions);
            }
            if (clientOptions != null) {
                builder.clientOptions(clientOptions);
            }
            if (serviceVersion != null) {
                moduleValues.accept(builder, serviceVersion);
            }
            return builder;
        });
    }

    /**
     * Runs an Azure SDK builder step, turning its complaint about a value (e.g. a connection string it cannot
     * parse, an endpoint that is not a URL) into the builders' one message.
     */
    public <T> T apply(Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            if (!isInvalidSetting(e)) {
                throw e;
            }
            String reason = reason(e, endpoint, connectionString);
            throw Logs.refused(LOGGER, new IllegalStateException("The connection settings are invalid (" + reason
                + "); check " + (connectionString != null ? "connectionString(...)" : "endpoint(...) and the credential")
                + ".", reason.equals(e.getMessage()) ? e : null));
        }
    }

    /**
     * Refuses what the Azure SDK's builder would fail to parse as a URL, before it sees it: the SDK logs the whole
     * URL at error (and the parser's exception, quoting it, at debug), SAS included, before cse4j can catch its
     * exception. Checked as the SDK parses: every URL setting of a connection string as a {@link URI}, and the
     * builder's own service's one as a {@link URL} too; the {@code endpoint(...)} as a {@link URL}, and for tables
     * (whose client parses it as a URI as well) as a {@link URI}. A connection string the SDK cannot split into
     * settings is left to it: it refuses that without quoting it.
     *
     * @throws IllegalStateException naming the setting, the parser's reason and position, never the value
     */
    private void checkUrls() {
        if (connectionString == null) {
            checkUrl(endpoint, service.equals("table"), true, "the endpoint", "endpoint(...)");
            return;
        }
        String problem = connectionStringProblem(service, connectionString);
        if (problem != null) {
            throw refused("The connection settings are invalid (" + problem + "); check connectionString(...).");
        }
    }

    /**
     * Refuses {@code connectionString} where the Azure SDK's builder for {@code service} ({@code "blob"},
     * {@code "queue"} or {@code "table"}) would refuse one of its URLs, as cse4j's builders do before the SDK sees
     * it (the SDK logs what it refuses, SAS and all): for code that builds the SDK's own clients from a connection
     * string (the command line, the Spark job). A string the SDK cannot split into settings is left to it.
     *
     * @throws IllegalArgumentException naming the setting, the parser's reason and position, never the value
     */
    public static void checkConnectionString(String service, String connectionString) {
        String problem = connectionStringProblem(service, connectionString);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Which URL of {@code connectionString} the SDK's {@code service} builder would refuse, and why; or null. */
    private static String connectionStringProblem(String service, String connectionString) {
        Map<String, String> settings = settings(connectionString);
        if (settings == null) {
            return null;
        }
        String own = endpointSetting(service);
        for (String name : URI_SETTINGS) {
            String value = settings.get(name);
            String problem = value == null ? null
                : urlProblem(value, true, name.equals(own), "the connection string's " + name);
            if (problem != null) {
                return problem;
            }
        }
        // the SDK builds https://ACCOUNT.SERVICE.SUFFIX (and ACCOUNT-secondary) for each service without an endpoint
        String account = settings.get("AccountName");
        String protocol = settings.getOrDefault("DefaultEndpointsProtocol", "https");
        if (account == null || account.isEmpty() || protocol.isEmpty()
            || !(settings.containsKey("AccountKey") || settings.containsKey("SharedAccessSignature"))) {
            return null;
        }
        String suffix = settings.getOrDefault("EndpointSuffix", "core.windows.net");
        for (String s : SERVICES) {
            if (!settings.containsKey(endpointSetting(s))) {
                String what = "the " + s + " URL built from the connection string's DefaultEndpointsProtocol, "
                    + "AccountName and EndpointSuffix";
                String problem = urlProblem(protocol + "://" + account + "." + s + "." + suffix, true,
                    s.equals(service), what);
                if (problem == null) {
                    problem = urlProblem(protocol + "://" + account + "-secondary." + s + "." + suffix, true, false,
                        what);
                }
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    private static String endpointSetting(String service) {
        return Character.toUpperCase(service.charAt(0)) + service.substring(1) + "Endpoint";
    }

    /**
     * The settings of a connection string, split as azure-storage-common's {@code ConnectionSettings} splits them
     * (the last of a repeated name wins), or {@code null} where it refuses the string.
     */
    private static Map<String, String> settings(String connectionString) {
        Map<String, String> settings = new HashMap<>();
        for (String raw : connectionString.split(";")) {
            String setting = raw.trim();
            if (!setting.isEmpty()) {
                int equals = setting.indexOf('=');
                if (equals <= 0 || equals == raw.length() - 1) {
                    return null;
                }
                settings.put(setting.substring(0, equals), setting.substring(equals + 1));
            }
        }
        return settings;
    }

    /** Refuses {@code url} if it is not a valid URI (when {@code asUri}) or URL (when {@code asUrl}). */
    private static void checkUrl(String url, boolean asUri, boolean asUrl, String what, String setter) {
        String problem = urlProblem(url, asUri, asUrl, what);
        if (problem != null) {
            throw refused("The connection settings are invalid (" + problem + "); check " + setter + ".");
        }
    }

    /**
     * Why {@code url} is not a valid URI (when {@code asUri}) or URL (when {@code asUrl}), said of {@code what},
     * with what to do, never quoting it; or {@code null}.
     */
    @SuppressWarnings("deprecation") // new URL(String): what the Azure SDK's builders call
    private static String urlProblem(String url, boolean asUri, boolean asUrl, String what) {
        String reason = null;
        if (asUri) {
            try {
                new URI(url);
            } catch (URISyntaxException e) {
                reason = uriReason(e);
            }
        }
        if (reason == null && asUrl) {
            try {
                new URL(url);
            } catch (MalformedURLException e) {
                // "no protocol: URL", "unknown protocol: NAME": only the words before the value
                String message = String.valueOf(e.getMessage());
                int colon = message.indexOf(':');
                reason = colon > 0 ? message.substring(0, colon) : "Java's URL parser refuses it";
            }
        }
        return reason == null ? null : what + " is not a valid URL: " + reason + "; " + FIX_URL;
    }

    private static String uriReason(URISyntaxException e) {
        return e.getReason() + (e.getIndex() < 0 ? "" : " at character " + e.getIndex());
    }

    /**
     * The query of {@code url} as written (without {@code ?} and fragment).
     *
     * @throws IllegalArgumentException if {@code url} is not a valid URI (its cause says where; {@link #reason}
     *     shows that without quoting the URL), or its {@code ?} is in the fragment
     */
    private static String rawQuery(String url) {
        String query;
        try {
            query = new URI(url).getRawQuery();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("The endpoint is not a valid URL.", e);
        }
        if (query == null) {
            throw new IllegalArgumentException("the endpoint's SAS follows a '#', in the URL's fragment, which is "
                + "never sent: put it before any '#'");
        }
        return query;
    }

    /**
     * Whether {@code e}, thrown by an Azure SDK builder, refuses a value it was given: an
     * {@link IllegalArgumentException}, or the bare {@link RuntimeException} around a {@link URISyntaxException} or
     * {@link MalformedURLException} with which the storage SDKs refuse an endpoint of a connection string.
     */
    public static boolean isInvalidSetting(RuntimeException e) {
        return e instanceof IllegalArgumentException || e.getCause() instanceof URISyntaxException
            || e.getCause() instanceof MalformedURLException;
    }

    /**
     * The Azure SDK's reason for refusing connection settings, fit to show: its message, unless something in
     * {@code e}'s causes may quote the settings (a URI parser's message holds the whole URL, SAS included; a
     * connection string holds the account key): then only a URI parser's reason and position, or that the reason is
     * left out. A caller keeps {@code e} as the cause only if the reason returned is {@code e.getMessage()}.
     *
     * @param settings the values given (endpoint, connection string), any {@code null}
     */
    public static String reason(RuntimeException e, String... settings) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof URISyntaxException uri) {
                return "an endpoint is not a valid URL: " + uriReason(uri);
            }
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MalformedURLException || quotes(t.getMessage(), settings)) {
                return "an endpoint is not a valid URL, or a setting is malformed; the Azure SDK's reason quotes the "
                    + "settings, so it is left out";
            }
        }
        return String.valueOf(e.getMessage());
    }

    /** Whether {@code text} may quote a credential: one of {@code settings}, or a secret's name. */
    private static boolean quotes(String text, String... settings) {
        if (text == null) {
            return false;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("sig=") || lower.contains("accountkey=") || lower.contains("sharedaccesssignature=")
            || lower.contains("sharedaccesskey=")) {
            return true;
        }
        for (String setting : settings) {
            if (setting != null && !setting.isEmpty() && text.contains(setting)) {
                return true;
            }
        }
        return false;
    }

    private void check() {
        if (connectionString == null && endpoint == null) {
            String names = nameSetters.isEmpty() ? "" : " and " + nameSetters;
            throw refused("Nothing to connect to: set " + wrapSetter + ", or connectionString(...)" + names
                + ", or endpoint(...) with a credential" + names + ".");
        }
        if (connectionString != null && endpoint != null) {
            throw refused("Set only one of connectionString(...) and endpoint(...).");
        }
        boolean sasInUrl = endpoint != null && hasSas(endpoint);
        List<String> credentialSetters = new ArrayList<>(credentials.keySet());
        if (sasInUrl) {
            credentialSetters.add(0, "a SAS in the endpoint URL");
        }
        if (credentialSetters.size() > 1) {
            throw refused("More than one credential is set (" + String.join(", ", credentialSetters) + "); keep "
                + "one.");
        }
        if (connectionString != null && !credentials.isEmpty()) {
            throw refused("connectionString(...) carries its own credential; remove " + String.join(", ",
                credentials.keySet()) + ", or use endpoint(...) with the credential.");
        }
        if (pipeline != null) {
            List<String> held = new ArrayList<>();
            addIf(held, httpClient, "httpClient(...)");
            addIf(held, policies.isEmpty() ? null : policies, "addPolicy(...)");
            held.addAll(retryOptions.keySet());
            addIf(held, httpLogOptions, "httpLogOptions(...)");
            addIf(held, clientOptions, "clientOptions(...)");
            held.addAll(credentialSetters);
            addIf(held, connectionString, "connectionString(...)");
            if (!held.isEmpty()) {
                throw refused("pipeline(...) already holds the HTTP client, the policies and the authentication; "
                    + "remove " + String.join(", ", held) + " (build the pipeline with them, and give the service "
                    + "with endpoint(...)).");
            }
        }
        if (endpoint != null && credentialSetters.isEmpty() && pipeline == null) {
            throw refused("No credential for endpoint(...): set credential(...) (a shared key, token or SAS "
                + "credential) or sasToken(...), put a SAS in the endpoint URL, or use connectionString(...) "
                + "instead.");
        }
        if (retryOptions.size() > 1) {
            throw refused("Set only one of " + String.join(" and ", retryOptions.keySet()) + ".");
        }
    }

    /** The connection setters called, in a fixed order, for messages. */
    private List<String> setters() {
        List<String> set = new ArrayList<>();
        addIf(set, connectionString, "connectionString(...)");
        addIf(set, endpoint, "endpoint(...)");
        set.addAll(credentials.keySet());
        addIf(set, httpClient, "httpClient(...)");
        addIf(set, pipeline, "pipeline(...)");
        addIf(set, policies.isEmpty() ? null : policies, "addPolicy(...)");
        set.addAll(retryOptions.keySet());
        addIf(set, httpLogOptions, "httpLogOptions(...)");
        addIf(set, clientOptions, "clientOptions(...)");
        addIf(set, serviceVersion, "serviceVersion(...)");
        return set;
    }

    /**
     * Whether {@code url} carries a shared access signature: a {@code sig} query parameter (the one parameter every
     * SAS has). The one SAS detection of every builder.
     */
    public static boolean hasSas(String url) {
        int query = url.indexOf('?');
        if (query < 0) {
            return false;
        }
        int fragment = url.indexOf('#', query);
        String parameters = url.substring(query + 1, fragment < 0 ? url.length() : fragment);
        for (String parameter : parameters.split("&")) {
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            if (name.toLowerCase(Locale.ROOT).equals("sig")) {
                return true;
            }
        }
        return false;
    }

    /** An {@link IllegalStateException} for a builder's bad configuration, logged as a refusal. */
    public static IllegalStateException refused(String message) {
        return Logs.refused(LOGGER, new IllegalStateException(message));
    }

    /** An {@link IllegalArgumentException} for a value a builder's setter cannot take, logged as a refusal. */
    public static IllegalArgumentException refusedArgument(String message) {
        return Logs.refused(LOGGER, new IllegalArgumentException(message));
    }

    private static void addIf(List<String> list, Object value, String setter) {
        if (value != null) {
            list.add(setter);
        }
    }
}
