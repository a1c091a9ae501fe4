package dev.cse4j.testing;

import com.azure.json.JsonProviders;
import com.azure.json.JsonWriter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Answers one request to {@link KeyVaultServer}: authentication (the bearer challenge), throttling, routing, and
 * the three key operations. Every request body is read whole before the answer, so keep-alive connections stay
 * usable; larger than {@value #MAX_BODY} bytes it is refused.
 */
final class KeyVaultHandler implements HttpHandler {
    private static final int MAX_BODY = 64 * 1024;
    private static final String CHALLENGE = "Bearer authorization=\"https://login.microsoftonline.com/"
        + KeyVaultServer.TENANT_ID + "\", resource=\"" + KeyVaultServer.RESOURCE + "\"";

    private final KeyVaultServer vault;

    KeyVaultHandler(KeyVaultServer vault) {
        this.vault = vault;
    }

    /** A request that ends in an error answer. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;

        Refusal(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    /** What the path names: the key, the version (null or empty for the newest) and the operation. */
    private record Target(String name, String version, KeyVaultOperation operation) {
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try {
                body = readBody(exchange.getRequestBody());
            } catch (Refusal refusal) {
                refuse(exchange, refusal);
                return;
            }
            try {
                answer(exchange, body);
            } catch (Refusal refusal) {
                refuse(exchange, refusal);
            } catch (RuntimeException e) {
                refuse(exchange, new Refusal(500, "InternalError", "The loopback Key Vault failed: " + e));
            }
        }
    }

    private void answer(HttpExchange exchange, byte[] body) throws Refusal, IOException {
        if (!vault.authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
            vault.countChallenge();
            exchange.getResponseHeaders().set("WWW-Authenticate", CHALLENGE);
            throw new Refusal(401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
        }
        int retryAfter = vault.throttle();
        if (retryAfter >= 0) {
            exchange.getResponseHeaders().set("Retry-After", Integer.toString(retryAfter));
            throw new Refusal(429, "Throttled", "Request was not processed because too many requests were "
                + "received. Retry after " + retryAfter + " s.");
        }
        Target target = route(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null || !("&" + query).contains("&api-version=")) {
            throw new Refusal(400, "BadParameter", "The api-version query parameter is missing.");
        }
        vault.count(target.operation(), target.name());
        VaultKeyVersion key = vault.find(target.name(), target.version());
        if (key == null) {
            throw new Refusal(404, "KeyNotFound", "A key with (name/id) " + target.name()
                + (target.version() == null || target.version().isEmpty() ? "" : "/" + target.version())
                + " was not found in this key vault.");
        }
        switch (target.operation()) {
            case GET_KEY -> send(exchange, 200, key.bundle());
            case WRAP_KEY, UNWRAP_KEY -> send(exchange, 200, keyOperation(key, target.operation(), body));
            default -> throw new IllegalStateException(target.operation().toString());
        }
    }

    private static Target route(String method, String path) throws Refusal {
        String prefix = "/keys/";
        if (path == null || !path.startsWith(prefix)) {
            throw new Refusal(404, "NotFound", "The loopback Key Vault serves only /keys/...; got " + path + ".");
        }
        List<String> parts = Arrays.asList(path.substring(prefix.length()).split("/", -1));
        KeyVaultOperation operation = null;
        String last = parts.get(parts.size() - 1);
        if (parts.size() >= 2 && (last.equals("wrapkey") || last.equals("unwrapkey"))) {
            operation = last.equals("wrapkey") ? KeyVaultOperation.WRAP_KEY : KeyVaultOperation.UNWRAP_KEY;
            parts = parts.subList(0, parts.size() - 1);
        }
        if (parts.isEmpty() || parts.size() > 2 || parts.get(0).isEmpty()) {
            throw new Refusal(404, "NotFound", "Not a key path: " + path + ".");
        }
        String version = parts.size() == 2 ? parts.get(1) : null;
        if (operation == null) {
            if (!method.equals("GET")) {
                throw new Refusal(405, "MethodNotAllowed", method + " is not served on " + path + ".");
            }
            return new Target(parts.get(0), version, KeyVaultOperation.GET_KEY);
        }
        if (!method.equals("POST")) {
            throw new Refusal(405, "MethodNotAllowed", method + " is not served on " + path + ".");
        }
        return new Target(parts.get(0), version, operation);
    }

    private static Map<String, Object> keyOperation(VaultKeyVersion key, KeyVaultOperation operation, byte[] body)
        throws Refusal {
        Map<String, Object> request;
        try {
            request = Json.parseObject(body, "the request body");
        } catch (IllegalStateException e) {
            throw new Refusal(400, "BadParameter", "The request body is not a JSON object.");
        }
        if (!(request.get("alg") instanceof String algorithm) || !(request.get("value") instanceof String value)) {
            throw new Refusal(400, "BadParameter", "The request needs the string members 'alg' and 'value'.");
        }
        byte[] input;
        try {
            input = Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new Refusal(400, "BadParameter", "'value' is not base64url.");
        }
        byte[] output;
        try {
            output = operation == KeyVaultOperation.WRAP_KEY ? key.wrap(algorithm, input)
                : key.unwrap(algorithm, input);
        } catch (UnsupportedOperationException e) {
            throw new Refusal(400, "BadParameter", e.getMessage() + ".");
        } catch (GeneralSecurityException e) {
            throw new Refusal(400, "BadParameter", "The " + (operation == KeyVaultOperation.WRAP_KEY ? "wrap"
                : "unwrap") + " operation failed for " + algorithm + ": the input does not fit this key.");
        }
        try {
            return Map.of("kid", key.id(), "value", VaultKeyVersion.base64Url(output));
        } finally {
            Arrays.fill(output, (byte) 0);
            Arrays.fill(input, (byte) 0);
        }
    }

    /** Reads the whole body (so the connection stays usable), keeping at most {@value #MAX_BODY} bytes. */
    private static byte[] readBody(InputStream in) throws IOException, Refusal {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        boolean tooLarge = false;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            tooLarge |= out.size() + n > MAX_BODY;
            if (!tooLarge) {
                out.write(buffer, 0, n);
            }
        }
        if (tooLarge) {
            throw new Refusal(413, "RequestTooLarge", "Request bodies are limited to " + MAX_BODY + " bytes.");
        }
        return out.toByteArray();
    }

    private static void refuse(HttpExchange exchange, Refusal refusal) throws IOException {
        send(exchange, refusal.status, Map.of("error", Map.of("code", refusal.code, "message",
            refusal.getMessage())));
    }

    private static void send(HttpExchange exchange, int status, Map<String, Object> json) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (JsonWriter writer = JsonProviders.createWriter(buffer)) {
            writer.writeUntyped(json).flush();
        }
        byte[] bytes = buffer.toByteArray();
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
