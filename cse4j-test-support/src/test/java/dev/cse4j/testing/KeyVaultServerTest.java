package dev.cse4j.testing;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The loopback Key Vault's wire protocol, spoken to with the JDK's HTTP client. */
class KeyVaultServerTest {
    private static final String API = "?api-version=7.6";
    private static final byte[] CONTENT_KEY = "2.0\0\0\0\0\0a 32-byte content encryption key"
        .getBytes(StandardCharsets.US_ASCII);
    @RegisterExtension
    static final KeyVaultExtension KEY_VAULT = new KeyVaultExtension();
    private static KeyVaultServer vault;
    private static KeyPair rsa;
    private static SecretKey aes;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        vault = KEY_VAULT.server();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        rsa = generator.generateKeyPair();
        aes = new SecretKeySpec("an AES-256 key for the test vault".substring(0, 32)
            .getBytes(StandardCharsets.US_ASCII), "AES");
        vault.importKey("rsa", rsa);
        vault.importKey("aes", aes);
        http = vault.httpClientBuilder().build();
    }

    private static HttpResponse<String> send(String method, String path, String body, String token)
        throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(vault.vaultUrl() + path))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return send(method, path, body, vault.accessToken());
    }

    private static Map<String, Object> json(HttpResponse<String> response) {
        return Json.parseObject(response.body().getBytes(StandardCharsets.UTF_8), "response");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> member(Map<String, Object> json, String name) {
        return (Map<String, Object>) json.get(name);
    }

    private static String operation(String algorithm, byte[] value) {
        return "{\"alg\":\"" + algorithm + "\",\"value\":\"" + b64(value) + "\"}";
    }

    private static String b64(byte[] value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    private static byte[] value(HttpResponse<String> response) {
        return Base64.getUrlDecoder().decode((String) json(response).get("value"));
    }

    private static String path(String keyId) {
        return URI.create(keyId).getPath();
    }

    @Test
    void requestWithoutToken_getsTheBearerChallengeAndIsNotPerformed() throws Exception {
        HttpResponse<String> response = send("GET", "/keys/rsa" + API, null, null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge -> assertThat(
            challenge).startsWith("Bearer ").contains("authorization=\"https://login.microsoftonline.com/"
                + KeyVaultServer.TENANT_ID + "\"").contains("resource=\"https://vault.azure.net\""));
        assertThat(vault.challenges()).isEqualTo(1);
        assertThat(vault.calls(KeyVaultOperation.GET_KEY)).isZero();
        assertThat(send("GET", "/keys/rsa" + API, null, "not-the-token").statusCode()).isEqualTo(401);
    }

    @Test
    void getKey_answersThePublicPartsOnly() throws Exception {
        HttpResponse<String> response = send("GET", "/keys/rsa" + API, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        Map<String, Object> key = member(json(response), "key");
        RSAPublicKey publicKey = (RSAPublicKey) rsa.getPublic();
        assertThat(key.get("kid")).isEqualTo(vault.latestKeyId("rsa"));
        assertThat(key.get("kty")).isEqualTo("RSA");
        assertThat(new BigInteger(1, Base64.getUrlDecoder().decode((String) key.get("n"))))
            .isEqualTo(publicKey.getModulus());
        assertThat(new BigInteger(1, Base64.getUrlDecoder().decode((String) key.get("e"))))
            .isEqualTo(publicKey.getPublicExponent());
        assertThat(key).doesNotContainKeys("d", "p", "q", "dp", "dq", "qi", "k");
        assertThat(member(json(response), "attributes")).containsEntry("enabled", true);

        Map<String, Object> aesKey = member(json(send("GET", path(vault.latestKeyId("aes")) + API, null)), "key");
        assertThat(aesKey).containsEntry("kty", "oct-HSM").doesNotContainKey("k");
        assertThat(vault.calls(KeyVaultOperation.GET_KEY)).isEqualTo(2);
        assertThat(vault.calls(KeyVaultOperation.GET_KEY, "rsa")).isEqualTo(1);
    }

    @Test
    void wrapKeyRsaOaep256_isRealOaepWithSha256UnderTheKey() throws Exception {
        HttpResponse<String> wrapped = send("POST", "/keys/rsa/wrapkey" + API, operation("RSA-OAEP-256",
            CONTENT_KEY));

        assertThat(wrapped.statusCode()).isEqualTo(200);
        assertThat(json(wrapped).get("kid")).isEqualTo(vault.latestKeyId("rsa"));
        Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
        oaep.init(Cipher.DECRYPT_MODE, rsa.getPrivate(), new OAEPParameterSpec("SHA-256", "MGF1",
            MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        assertThat(oaep.doFinal(value(wrapped))).isEqualTo(CONTENT_KEY);

        HttpResponse<String> unwrapped = send("POST", path(vault.latestKeyId("rsa")) + "/unwrapkey" + API,
            operation("RSA-OAEP-256", value(wrapped)));
        assertThat(value(unwrapped)).isEqualTo(CONTENT_KEY);
        assertThat(vault.calls(KeyVaultOperation.WRAP_KEY, "rsa")).isEqualTo(1);
        assertThat(vault.calls(KeyVaultOperation.UNWRAP_KEY, "rsa")).isEqualTo(1);
    }

    @Test
    void wrapKeyRsaOaep_unwrapsWhatTheJdkWrapped() throws Exception {
        Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        oaep.init(Cipher.ENCRYPT_MODE, rsa.getPublic());

        HttpResponse<String> unwrapped = send("POST", "/keys/rsa/unwrapkey" + API,
            operation("RSA-OAEP", oaep.doFinal(CONTENT_KEY)));

        assertThat(value(unwrapped)).isEqualTo(CONTENT_KEY);
    }

    @Test
    void wrapKeyA256kw_isRfc3394KeyWrapUnderTheKey() throws Exception {
        Cipher keyWrap = Cipher.getInstance("AES/KW/NoPadding");
        keyWrap.init(Cipher.ENCRYPT_MODE, aes);

        HttpResponse<String> wrapped = send("POST", "/keys/aes/wrapkey" + API, operation("A256KW", CONTENT_KEY));

        assertThat(value(wrapped)).isEqualTo(keyWrap.doFinal(CONTENT_KEY));
        assertThat(value(send("POST", "/keys/aes//unwrapkey" + API, operation("A256KW", value(wrapped)))))
            .isEqualTo(CONTENT_KEY);
    }

    @Test
    void rotation_keepsOldVersionsAndUnversionedMeansNewest() throws Exception {
        String first = vault.createRsaKey("rotating", 2048);
        String wrappedByFirst = b64(value(send("POST", path(first) + "/wrapkey" + API,
            operation("RSA-OAEP-256", CONTENT_KEY))));

        String second = vault.rotateKey("rotating");

        assertThat(vault.keyIds("rotating")).containsExactly(first, second);
        assertThat(vault.latestKeyId("rotating")).isEqualTo(second);
        assertThat(member(json(send("GET", "/keys/rotating" + API, null)), "key")).containsEntry("kid", second);
        assertThat(member(json(send("GET", path(first) + API, null)), "key")).containsEntry("kid", first);
        String unwrapByFirst = "{\"alg\":\"RSA-OAEP-256\",\"value\":\"" + wrappedByFirst + "\"}";
        assertThat(value(send("POST", path(first) + "/unwrapkey" + API, unwrapByFirst))).isEqualTo(CONTENT_KEY);
        HttpResponse<String> byNewest = send("POST", "/keys/rotating/unwrapkey" + API, unwrapByFirst);
        assertThat(byNewest.statusCode()).isEqualTo(400);
        assertThat(member(json(byNewest), "error")).containsEntry("code", "BadParameter");
        assertThat(vault.calls(KeyVaultOperation.UNWRAP_KEY, "rotating")).isEqualTo(2);
    }

    @Test
    void unknownKeyOrVersion_isKeyNotFound() throws Exception {
        HttpResponse<String> unknown = send("POST", "/keys/missing/wrapkey" + API, operation("RSA-OAEP",
            CONTENT_KEY));
        HttpResponse<String> unknownVersion = send("GET", "/keys/rsa/00000000000000000000000000000000" + API, null);

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(member(json(unknown), "error")).containsEntry("code", "KeyNotFound");
        assertThat(unknownVersion.statusCode()).isEqualTo(404);
        assertThat(vault.calls(KeyVaultOperation.WRAP_KEY, "missing")).isEqualTo(1);
    }

    @Test
    void badRequests_areRefusedWithKeyVaultErrors() throws Exception {
        assertThat(send("POST", "/keys/rsa/wrapkey" + API, operation("A256KW", CONTENT_KEY)).statusCode())
            .as("AES algorithm on an RSA key").isEqualTo(400);
        assertThat(send("POST", "/keys/aes/wrapkey" + API, operation("A128KW", CONTENT_KEY)).statusCode())
            .as("A128KW on a 256-bit key").isEqualTo(400);
        assertThat(send("POST", "/keys/rsa/unwrapkey" + API, operation("RSA-OAEP", new byte[256])).statusCode())
            .as("unwrap of something this key did not wrap").isEqualTo(400);
        assertThat(send("POST", "/keys/rsa/wrapkey" + API, "{\"alg\":\"RSA-OAEP\",\"value\":\"!!\"}")
            .statusCode()).as("value not base64url").isEqualTo(400);
        assertThat(send("POST", "/keys/rsa/wrapkey" + API, "[]").statusCode()).as("not an object").isEqualTo(400);
        assertThat(send("POST", "/keys/rsa/wrapkey", operation("RSA-OAEP", CONTENT_KEY)).statusCode())
            .as("no api-version").isEqualTo(400);
        assertThat(send("DELETE", "/keys/rsa" + API, null).statusCode()).isEqualTo(405);
        assertThat(send("GET", "/secrets/rsa" + API, null).statusCode()).isEqualTo(404);
        assertThat(send("POST", "/keys/rsa/wrapkey" + API, "x".repeat(65 * 1024)).statusCode()).isEqualTo(413);
    }

    @Test
    void throttleNext_answers429WithRetryAfterThenServesAgain() throws Exception {
        vault.throttleNext(2, 0);

        HttpResponse<String> first = send("GET", "/keys/rsa" + API, null);
        HttpResponse<String> second = send("POST", "/keys/rsa/wrapkey" + API, operation("RSA-OAEP", CONTENT_KEY));
        HttpResponse<String> third = send("GET", "/keys/rsa" + API, null);

        assertThat(first.statusCode()).isEqualTo(429);
        assertThat(first.headers().firstValue("Retry-After")).hasValue("0");
        assertThat(member(json(first), "error")).containsEntry("code", "Throttled");
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(vault.throttled()).isEqualTo(2);
        assertThat(vault.calls(KeyVaultOperation.GET_KEY)).as("throttled requests are not performed").isEqualTo(1);
        assertThat(vault.calls(KeyVaultOperation.WRAP_KEY)).isZero();
    }

    @Test
    void throttleEvery_answersEveryNthRequestWith429() throws Exception {
        vault.throttleEvery(3, 7);
        int[] statuses = new int[7];
        for (int i = 0; i < statuses.length; i++) {
            statuses[i] = send("GET", "/keys/rsa" + API, null).statusCode();
        }
        assertThat(statuses).containsExactly(200, 200, 429, 200, 200, 429, 200);
        assertThat(vault.throttled()).isEqualTo(2);
        assertThatThrownBy(() -> vault.throttleEvery(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> vault.throttleNext(1, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clientWithDefaultTrust_refusesTheSelfSignedCertificate() {
        HttpClient defaultTrust = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(vault.vaultUrl() + "/keys/rsa" + API)).build();

        assertThatThrownBy(() -> defaultTrust.send(request, HttpResponse.BodyHandlers.ofString()))
            .isInstanceOf(SSLHandshakeException.class);
        assertThat(vault.vaultUrl()).startsWith("https://127.0.0.1:");
    }

    @Test
    void keyNamesAreChecked_andToStringShowsNoKeyMaterial() {
        assertThatThrownBy(() -> vault.createAesKey("no/slash", 256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> vault.createAesKey("ok", 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> vault.rotateKey("never-created")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("create it first");
        assertThat(vault.toString()).contains("aes", "rsa").doesNotContain(b64(aes.getEncoded()).substring(0, 16));
    }

    @Test
    void extension_resetsCountsAndThrottlingBeforeEachTest_andHasNoServerOutsideAClass() {
        assertThat(vault.challenges() + vault.throttled() + vault.calls(KeyVaultOperation.GET_KEY)).isZero();
        vault.throttleNext(1, 0);
        KEY_VAULT.beforeEach(null);
        assertThat(vault.throttle()).as("throttling stopped").isEqualTo(-1);

        assertThatThrownBy(() -> new KeyVaultExtension().server()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("static field");
    }
}
