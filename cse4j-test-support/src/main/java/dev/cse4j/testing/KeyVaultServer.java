package dev.cse4j.testing;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * A loopback stand-in for Azure Key Vault's keys REST API, for driving the real
 * {@code azure-security-keyvault-keys} client in tests: HTTPS on {@code 127.0.0.1} with a self-signed certificate
 * ({@link #sslContext()} trusts it), the bearer-token challenge, and the three operations envelope encryption uses,
 * backed by keys generated or given in the test.
 *
 * <pre>{@code
 * try (KeyVaultServer vault = KeyVaultServer.start()) {
 *     String kid = vault.createRsaKey("kek", 2048);        // https://127.0.0.1:PORT/keys/kek/<32 hex>
 *     KeyEncryptionKey kek = KeyVaultClients.keyEncryptionKeyClientBuilder(vault).buildKeyEncryptionKey(kid);
 *     ...
 *     assertThat(vault.calls(KeyVaultOperation.UNWRAP_KEY, "kek")).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>What it serves ({@code api-version} is required in the query and otherwise ignored):
 * <ul>
 *   <li>{@code GET /keys/{name}[/{version}]}: the key bundle, {@code {"key": JWK, "attributes": {...}}}, with the
 *       public parts only ({@code n}, {@code e} for RSA; nothing for AES), as a vault answers;</li>
 *   <li>{@code POST /keys/{name}[/{version}]/wrapkey} and {@code .../unwrapkey} with {@code {"alg": A, "value":
 *       base64url}}, answering {@code {"kid": versioned id, "value": base64url}}. RSA keys (JWK type {@code RSA})
 *       take {@code RSA-OAEP}, {@code RSA-OAEP-256} and {@code RSA1_5}; AES keys (type {@code oct-HSM}, as in a
 *       Managed HSM) take {@code A128KW}, {@code A192KW} or {@code A256KW} matching their size.</li>
 * </ul>
 * A key id without a version means the newest version, as in Key Vault. Errors answer Key Vault's
 * {@code {"error": {"code", "message"}}}: 401 {@code Unauthorized} (with the challenge), 404 {@code KeyNotFound},
 * 400 {@code BadParameter} (unknown algorithm, bad input, unwrap with the wrong key), 405, 429 {@code Throttled}.
 *
 * <p>Authentication: a request without {@code Authorization: Bearer }{@link #accessToken()} gets {@code 401} with
 * {@code WWW-Authenticate: Bearer authorization="https://login.microsoftonline.com/<tenant>",
 * resource="https://vault.azure.net"}, as Key Vault answers. The client checks that this resource matches the
 * vault's host unless built with {@code disableChallengeResourceVerification()}, which loopback needs.
 *
 * <p>Counting: {@link #calls(KeyVaultOperation)} counts the operations the server performed (authenticated, not
 * throttled, whatever their outcome), also per key name; {@link #challenges()} counts 401 answers and
 * {@link #throttled()} 429 answers. Throttling: {@link #throttleNext(int, int)} or {@link #throttleEvery(int, int)}
 * answer authenticated requests with {@code 429} and {@code Retry-After} in seconds (0 makes the client retry at
 * once; the Azure SDK's default retry policy retries 3 times).
 *
 * <p>The certificate is made once per JVM with the running JDK's {@code keytool} (EC P-256, SAN
 * {@code IP:127.0.0.1}, {@code DNS:localhost}; see {@code LoopbackCertificate}). Instances are thread-safe; the
 * server runs on 8 daemon threads. Key material never appears in a response other than wrapped, nor in a
 * {@code toString()}.
 */
public final class KeyVaultServer implements AutoCloseable {
    /** The tenant named in the challenge (any GUID; the client passes it to the credential). */
    public static final String TENANT_ID = "72f988bf-0000-4000-8000-000000000000";
    /** The resource named in the challenge: Key Vault's. */
    public static final String RESOURCE = "https://vault.azure.net";
    private static final Pattern KEY_NAME = Pattern.compile("[0-9a-zA-Z-]{1,127}");
    private static final int THREADS = 8;
    private static final AtomicInteger SERVERS = new AtomicInteger();

    private final HttpsServer server;
    private final ExecutorService executor;
    private final String vaultUrl;
    private final String accessToken;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, List<VaultKeyVersion>> keys = new ConcurrentHashMap<>();
    private final Map<KeyVaultOperation, Map<String, LongAdder>> calls = new ConcurrentHashMap<>();
    private final AtomicLong challenges = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final KeyVaultThrottle throttle = new KeyVaultThrottle();

    static {
        // The JDK server writes a response's headers and body in two packets; without TCP_NODELAY, Nagle's algorithm
        // holds the body until the client's delayed ACK (40 ms on Linux), so every call would take ~40 ms. The JDK
        // reads this property once, when its first HTTP server starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private KeyVaultServer() throws IOException {
        byte[] token = new byte[16];
        random.nextBytes(token);
        this.accessToken = "loopback-" + HexFormat.of().formatHex(token);
        int number = SERVERS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, "cse4j-keyvault-" + number + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(LoopbackPorts.HOST), 0), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(LoopbackCertificate.get().serverContext()));
        server.setExecutor(executor);
        server.createContext("/", new KeyVaultHandler(this));
        this.vaultUrl = "https://" + LoopbackPorts.HOST + ":" + server.getAddress().getPort();
        server.start();
    }

    /**
     * Starts a server with no keys on a free loopback port.
     *
     * @throws UncheckedIOException if it cannot bind
     */
    public static KeyVaultServer start() {
        try {
            return new KeyVaultServer();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the loopback Key Vault server: " + e.getMessage(), e);
        }
    }

    /** The vault URL, {@code https://127.0.0.1:PORT}; key ids are {@code <vaultUrl>/keys/<name>/<version>}. */
    public String vaultUrl() {
        return vaultUrl;
    }

    /** The bearer token the server accepts; give the client a credential that returns it. */
    public String accessToken() {
        return accessToken;
    }

    /** A TLS context that trusts this server's certificate and no other. */
    public SSLContext sslContext() {
        return LoopbackCertificate.get().clientContext();
    }

    /**
     * A JDK HTTP client builder that trusts this server, never uses a proxy, and speaks HTTP/1.1 (the server's
     * only version); hand it to {@code com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder}.
     */
    public HttpClient.Builder httpClientBuilder() {
        return HttpClient.newBuilder().sslContext(sslContext()).version(HttpClient.Version.HTTP_1_1)
            .proxy(HttpClient.Builder.NO_PROXY);
    }

    /** Adds a new version of key {@code name}: a fresh RSA key pair. Returns the version's key id. */
    public String createRsaKey(String name, int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits, random);
            return importKey(name, generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot make a " + bits + "-bit RSA key: " + e.getMessage(), e);
        }
    }

    /** Adds a new version of key {@code name}: a fresh AES key (128, 192 or 256 bits). Returns its key id. */
    public String createAesKey(String name, int bits) {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(bits, random);
            return importKey(name, generator.generateKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot make a " + bits + "-bit AES key: " + e.getMessage(), e);
        }
    }

    /** Adds a new version of key {@code name} holding this RSA key pair (so local keys can share its material). */
    public String importKey(String name, KeyPair keyPair) {
        Objects.requireNonNull(keyPair, "keyPair");
        return addVersion(name, (version, id) -> VaultKeyVersion.rsa(name, version, id, keyPair));
    }

    /** Adds a new version of key {@code name} holding this AES key. */
    public String importKey(String name, SecretKey key) {
        Objects.requireNonNull(key, "key");
        return addVersion(name, (version, id) -> VaultKeyVersion.aes(name, version, id, key));
    }

    /**
     * Rotates key {@code name}: adds a fresh version of the newest version's type and size. Older versions keep
     * working for unwrapping by their versioned id, as in Key Vault.
     *
     * @throws IllegalArgumentException if there is no such key
     */
    public String rotateKey(String name) {
        VaultKeyVersion latest = latest(name);
        if (latest == null) {
            throw new IllegalArgumentException("No key '" + name + "' to rotate; create it first.");
        }
        return addVersion(name, (version, id) -> latest.rotated(version, id, random));
    }

    /** The newest version's key id of key {@code name}, or {@code null} if there is none. */
    public String latestKeyId(String name) {
        VaultKeyVersion latest = latest(name);
        return latest == null ? null : latest.id();
    }

    /** Every version's key id of key {@code name}, oldest first (empty if there is none). */
    public List<String> keyIds(String name) {
        List<String> ids = new ArrayList<>();
        for (VaultKeyVersion version : keys.getOrDefault(name, List.of())) {
            ids.add(version.id());
        }
        return ids;
    }

    /** How many {@code operation}s the server performed, over all keys. */
    public long calls(KeyVaultOperation operation) {
        return calls.getOrDefault(operation, Map.of()).values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** How many {@code operation}s the server performed on key {@code name} (all its versions, and unknown names). */
    public long calls(KeyVaultOperation operation, String name) {
        LongAdder count = calls.getOrDefault(operation, Map.of()).get(name);
        return count == null ? 0 : count.sum();
    }

    /** How many requests were answered with the 401 bearer challenge. */
    public long challenges() {
        return challenges.get();
    }

    /** How many requests were answered with 429. */
    public long throttled() {
        return throttled.get();
    }

    /** Sets every count to zero. */
    public void resetCounts() {
        calls.clear();
        challenges.set(0);
        throttled.set(0);
    }

    /** Answers the next {@code requests} authenticated requests with 429 and {@code Retry-After}. */
    public void throttleNext(int requests, int retryAfterSeconds) {
        checkThrottle(requests, retryAfterSeconds);
        throttle.next(requests, retryAfterSeconds);
    }

    /** Answers every {@code nth} authenticated request from now on with 429 and {@code Retry-After}. */
    public void throttleEvery(int nth, int retryAfterSeconds) {
        checkThrottle(nth, retryAfterSeconds);
        throttle.every(nth, retryAfterSeconds);
    }

    /** Stops throttling. */
    public void stopThrottling() {
        throttle.off();
    }

    /** Stops the server at once (requests in flight are cut off). */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "KeyVaultServer[" + vaultUrl + ", keys=" + keys.keySet() + "]";
    }

    // --- used by KeyVaultHandler ---

    /** The version named, the newest if {@code version} is null or empty, or {@code null} if there is none. */
    VaultKeyVersion find(String name, String version) {
        if (version == null || version.isEmpty()) {
            return latest(name);
        }
        for (VaultKeyVersion candidate : keys.getOrDefault(name, List.of())) {
            if (candidate.version().equals(version)) {
                return candidate;
            }
        }
        return null;
    }

    boolean authorized(String authorization) {
        return ("Bearer " + accessToken).equals(authorization);
    }

    void countChallenge() {
        challenges.incrementAndGet();
    }

    /** The Retry-After seconds if this request is throttled (counted), else -1. */
    int throttle() {
        int retryAfter = throttle.check();
        if (retryAfter >= 0) {
            throttled.incrementAndGet();
        }
        return retryAfter;
    }

    void count(KeyVaultOperation operation, String name) {
        calls.computeIfAbsent(operation, o -> new ConcurrentHashMap<>())
            .computeIfAbsent(name, n -> new LongAdder()).increment();
    }

    private VaultKeyVersion latest(String name) {
        List<VaultKeyVersion> versions = keys.getOrDefault(name, List.of());
        return versions.isEmpty() ? null : versions.get(versions.size() - 1);
    }

    private interface VersionFactory {
        VaultKeyVersion create(String version, String id) throws GeneralSecurityException;
    }

    private String addVersion(String name, VersionFactory factory) {
        if (name == null || !KEY_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Key Vault key names are 1-127 letters, digits and dashes; got '"
                + name + "'.");
        }
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String version = HexFormat.of().formatHex(bytes);
        VaultKeyVersion created;
        try {
            created = factory.create(version, vaultUrl + "/keys/" + name + "/" + version);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot make a new version of key '" + name + "': " + e.getMessage(), e);
        }
        keys.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(created);
        return created.id();
    }

    private static void checkThrottle(int count, int retryAfterSeconds) {
        if (count < 1 || retryAfterSeconds < 0) {
            throw new IllegalArgumentException("Throttling needs a count of at least 1 and Retry-After seconds of "
                + "at least 0; got " + count + " and " + retryAfterSeconds + ".");
        }
    }
}
