package dev.cse4j.keys;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.KeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPrivateKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict reading of JSON Web Keys (RFC 7517, RFC 7518 §6) and JWK Sets into {@link JsonWebKey}s. Every error is a
 * {@link JsonWebKeyException} that names the source, the key and the member at fault, and never shows a member's
 * value.
 */
final class JsonWebKeyReader {
    private static final int MAX_RSA_BITS = 16384;
    private static final List<String> RSA_CRT_MEMBERS = List.of("p", "q", "dp", "dq", "qi");
    private static final List<String> RSA_ALGORITHMS = List.of(KeyWrapAlgorithm.RSA_OAEP_256,
        KeyWrapAlgorithm.RSA_OAEP, KeyWrapAlgorithm.RSA1_5);

    private final Map<String, Object> members;
    /** Names the key in messages: the source and position, and the key id once it is known. */
    private String where;

    private JsonWebKeyReader(Map<String, Object> members, String where) {
        this.members = members;
        this.where = where;
    }

    /** The keys of a JWK Set, or the one key of a single JWK. At least one key. */
    static List<JsonWebKey> readKeys(String json, String source) {
        Map<String, Object> top = topObject(json, source);
        if (!top.containsKey("keys")) {
            return List.of(new JsonWebKeyReader(top, source).key());
        }
        Object keys = top.get("keys");
        if (!(keys instanceof List)) {
            throw new JsonWebKeyException(source + ": the member \"keys\" must be an array of JSON Web Keys but is "
                + typeOf(keys) + ".");
        }
        List<?> list = (List<?>) keys;
        if (list.isEmpty()) {
            throw new JsonWebKeyException(source + " is a JWK Set with no keys. Add a key (e.g. generate one).");
        }
        List<JsonWebKey> result = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            result.add(new JsonWebKeyReader(object(list.get(i), source + ", key #" + (i + 1)),
                source + ", key #" + (i + 1)).key());
        }
        return result;
    }

    /** One JWK; a JWK Set is refused. */
    static JsonWebKey readKey(String json, String source) {
        Map<String, Object> top = topObject(json, source);
        if (top.containsKey("keys")) {
            throw new JsonWebKeyException(source + " is a JWK Set (it has \"keys\"), not a single JSON Web Key. Read "
                + "it with JsonWebKeySet and pick a key by its key id.");
        }
        return new JsonWebKeyReader(top, source).key();
    }

    private static Map<String, Object> topObject(String json, String source) {
        return object(JsonTree.read(json, source), source);
    }

    private static Map<String, Object> object(Object value, String where) {
        if (!(value instanceof Map)) {
            throw new JsonWebKeyException(where + " must be a JSON object (a JSON Web Key, or a JWK Set with "
                + "\"keys\") but is " + typeOf(value) + ".");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        return map;
    }

    private JsonWebKey key() {
        String keyType = string("kty", true);
        String keyId = string("kid", false);
        if (keyId == null || keyId.isBlank()) {
            throw new JsonWebKeyException(where + " has no key id: add a \"kid\" member with a non-blank, unique id. "
                + "The key id is stored with the data the key protects and is how the key is found to read it.");
        }
        where += " (kid " + Untrusted.quote(keyId) + ")";
        String algorithm = string("alg", false);
        String use = string("use", false);
        List<String> keyOps = keyOperations();
        if (JsonWebKey.OCT.equals(keyType)) {
            byte[] key = bytes("k", true);
            try {
                if (key.length != 16 && key.length != 24 && key.length != 32) {
                    throw error("member \"k\" is a " + key.length * 8 + "-bit key; AES key wrap needs 128, 192 or "
                        + "256 bits");
                }
                checkAesAlgorithm(algorithm, key.length * 8);
                return JsonWebKey.oct(keyId, algorithm, use, keyOps, key);
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }
        if (JsonWebKey.RSA.equals(keyType)) {
            checkRsaAlgorithm(algorithm);
            RSAPublicKey publicKey = rsaPublicKey();
            return JsonWebKey.rsa(keyId, algorithm, use, keyOps, publicKey, rsaPrivateKey(publicKey));
        }
        throw error("key type (kty) " + Untrusted.quote(keyType) + " is not supported; cse4j wraps content keys with "
            + "\"oct\" (AES key wrap) and \"RSA\" keys");
    }

    /** {@code alg} of an AES key, if present, must be the key wrap algorithm of its size (RFC 7518 §4.4). */
    private void checkAesAlgorithm(String algorithm, int bits) {
        String fits = JsonWebKey.aesAlgorithm(bits);
        if (algorithm != null && !algorithm.equals(fits)) {
            throw error("\"alg\" " + Untrusted.quote(algorithm) + " does not fit this " + bits + "-bit AES key, which "
                + "wraps with " + fits + " (AES key wrap, RFC 3394). Set \"alg\" to " + fits + " or remove it, or use "
                + "the key the file meant");
        }
    }

    /** {@code alg} of an RSA key, if present, must be an RSA key wrap algorithm cse4j implements. */
    private void checkRsaAlgorithm(String algorithm) {
        if (algorithm != null && !RSA_ALGORITHMS.contains(algorithm)) {
            throw error("\"alg\" " + Untrusted.quote(algorithm) + " is not an RSA key wrap algorithm cse4j supports "
                + "(RSA-OAEP-256, RSA-OAEP or RSA1_5). Set \"alg\" to one of them or remove it");
        }
    }

    private RSAPublicKey rsaPublicKey() {
        if (members.containsKey("oth")) {
            throw error("multi-prime RSA keys (member \"oth\") are not supported");
        }
        BigInteger n = integer("n", true);
        if (n.bitLength() < RsaKeyEncryptionKey.MIN_MODULUS_BITS || n.bitLength() > MAX_RSA_BITS) {
            throw error("the RSA modulus \"n\" has " + n.bitLength() + " bits; cse4j accepts "
                + RsaKeyEncryptionKey.MIN_MODULUS_BITS + " to " + MAX_RSA_BITS + " bits");
        }
        return (RSAPublicKey) rsaKey(new RSAPublicKeySpec(n, integer("e", true)), false);
    }

    /** The private key, or {@code null} if the JWK has no private members. */
    private RSAPrivateKey rsaPrivateKey(RSAPublicKey publicKey) {
        BigInteger d = integer("d", false);
        int crtMembers = 0;
        for (String member : RSA_CRT_MEMBERS) {
            crtMembers += members.containsKey(member) ? 1 : 0;
        }
        if (crtMembers != 0 && (crtMembers != RSA_CRT_MEMBERS.size() || d == null)) {
            throw error("it has some but not all of the private members d, p, q, dp, dq, qi; RFC 7518 §6.3.2 needs "
                + "d, and p, q, dp, dq, qi all or none. Export the key again with all of them");
        }
        if (d == null) {
            return null;
        }
        BigInteger n = publicKey.getModulus();
        if (crtMembers == 0) {
            return (RSAPrivateKey) rsaKey(new RSAPrivateKeySpec(n, d), true);
        }
        BigInteger p = integer("p", true);
        BigInteger q = integer("q", true);
        if (!p.multiply(q).equals(n)) {
            throw error("the primes \"p\" and \"q\" do not multiply to the modulus \"n\"; the key is corrupt or its "
                + "members come from different keys");
        }
        return (RSAPrivateKey) rsaKey(new RSAPrivateCrtKeySpec(n, publicKey.getPublicExponent(), d, p, q,
            integer("dp", true), integer("dq", true), integer("qi", true)), true);
    }

    private Key rsaKey(KeySpec spec, boolean isPrivate) {
        try {
            KeyFactory factory = KeyFactory.getInstance("RSA");
            return isPrivate ? factory.generatePrivate(spec) : factory.generatePublic(spec);
        } catch (GeneralSecurityException e) {
            // Neither the provider's message nor the exception is kept: they are not written with secrecy in mind.
            throw error("its " + (isPrivate ? "private" : "public") + " members do not form a valid RSA key");
        }
    }

    private BigInteger integer(String name, boolean required) {
        byte[] bytes = bytes(name, required);
        if (bytes == null) {
            return null;
        }
        try {
            BigInteger value = new BigInteger(1, bytes);
            if (value.signum() == 0) {
                throw error("member \"" + name + "\" is zero");
            }
            return value;
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private byte[] bytes(String name, boolean required) {
        String text = string(name, required);
        if (text == null) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            // Not chained: the decoder's message quotes the offending character.
            throw error("member \"" + name + "\" is not valid base64url (RFC 7515 §2: A-Z, a-z, 0-9, '-' and '_', "
                + "padding optional); standard base64 ('+', '/'), spaces and line breaks are not allowed");
        }
        if (bytes.length == 0) {
            throw error("member \"" + name + "\" is empty");
        }
        return bytes;
    }

    private String string(String name, boolean required) {
        Object value = members.get(name);
        if (value == null) {
            if (required) {
                throw error("it has no \"" + name + "\" member, which a JSON Web Key of this kind needs");
            }
            return null;
        }
        if (!(value instanceof String)) {
            throw error("member \"" + name + "\" must be a string but is " + typeOf(value));
        }
        return (String) value;
    }

    private List<String> keyOperations() {
        Object value = members.get("key_ops");
        if (value == null) {
            return null;
        }
        String problem = "member \"key_ops\" must be an array of distinct strings (RFC 7517 §4.3)";
        if (!(value instanceof List)) {
            throw error(problem + " but is " + typeOf(value));
        }
        List<String> operations = new ArrayList<>();
        Set<Object> seen = new HashSet<>();
        for (Object operation : (List<?>) value) {
            if (!(operation instanceof String)) {
                throw error(problem + "; it has " + typeOf(operation));
            }
            if (!seen.add(operation)) {
                throw error(problem + "; it has " + Untrusted.quote((String) operation) + " twice");
            }
            operations.add((String) operation);
        }
        return operations;
    }

    private JsonWebKeyException error(String problem) {
        return new JsonWebKeyException(where + ": " + problem + ".");
    }

    private static String typeOf(Object value) {
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "an array";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        return "null";
    }
}
