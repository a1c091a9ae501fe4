package dev.cse4j.keys;

import com.azure.core.cryptography.KeyEncryptionKey;
import com.azure.json.JsonProviders;
import com.azure.json.JsonWriter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A JSON Web Key (RFC 7517) usable as a key encryption key: an AES key ({@code "kty":"oct"}, key in {@code k}) or an
 * RSA key ({@code "kty":"RSA"}, {@code n} and {@code e}, and for unwrapping the private members {@code d} and
 * optionally {@code p}, {@code q}, {@code dp}, {@code dq}, {@code qi}; RFC 7518 §6). Immutable.
 *
 * <ul>
 *   <li>{@code kid} is required: it is the key id stored with the data and how a resolver finds the key.</li>
 *   <li>AES keys are 128, 192 or 256 bits; RSA keys 2048 to 16384 bits. Multi-prime RSA keys ({@code oth}) are not
 *       supported.</li>
 *   <li>{@code key_ops}, when present, must list {@code wrapKey} for wrapping and {@code unwrapKey} for unwrapping;
 *       {@code use}, when present, must be {@code enc}.</li>
 *   <li>{@code alg}, when present, must be a key wrap algorithm that fits the key ({@code A128KW},
 *       {@code A192KW} or {@code A256KW} by AES key size; {@code RSA-OAEP-256}, {@code RSA-OAEP} or {@code RSA1_5}
 *       for RSA keys). It is the {@link #defaultWrapAlgorithm()} and the only algorithm the key wraps with;
 *       unwrapping takes any algorithm the key supports, so data wrapped before {@code alg} was set stays
 *       readable.</li>
 *   <li>Binary members are base64url (RFC 7515 §2): written without padding; read with or without it. Members this
 *       class does not know are ignored and not written back.</li>
 * </ul>
 *
 * <p>{@link #toJson()} writes the private members too: it is how key files are made. {@link #toString()} never
 * shows key material, and no exception message contains it.
 */
public final class JsonWebKey {
    /** {@code kty} of an AES (symmetric) key. */
    static final String OCT = "oct";
    /** {@code kty} of an RSA key. */
    static final String RSA = "RSA";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<String> WRAP_AND_UNWRAP = List.of(KeyUsage.WRAP_KEY, KeyUsage.UNWRAP_KEY);

    private final String keyType;
    private final String keyId;
    private final String algorithm;
    private final String use;
    private final List<String> keyOperations;
    private final byte[] octKey;
    private final RSAPublicKey rsaPublicKey;
    private final RSAPrivateKey rsaPrivateKey;

    private JsonWebKey(String keyType, String keyId, String algorithm, String use, List<String> keyOperations,
        byte[] octKey, RSAPublicKey rsaPublicKey, RSAPrivateKey rsaPrivateKey) {
        this.keyType = keyType;
        this.keyId = keyId;
        this.algorithm = algorithm;
        this.use = use;
        this.keyOperations = keyOperations == null ? null : List.copyOf(keyOperations);
        this.octKey = octKey;
        this.rsaPublicKey = rsaPublicKey;
        this.rsaPrivateKey = rsaPrivateKey;
    }

    /** An AES key; {@code key} must be valid (16, 24 or 32 bytes) and is copied. */
    static JsonWebKey oct(String keyId, String algorithm, String use, List<String> keyOperations, byte[] key) {
        return new JsonWebKey(OCT, keyId, algorithm, use, keyOperations, key.clone(), null, null);
    }

    /** An RSA key; the keys must be valid and of one modulus; {@code privateKey} may be null. */
    static JsonWebKey rsa(String keyId, String algorithm, String use, List<String> keyOperations,
        RSAPublicKey publicKey, RSAPrivateKey privateKey) {
        return new JsonWebKey(RSA, keyId, algorithm, use, keyOperations, null, publicKey, privateKey);
    }

    /**
     * Parses one JSON Web Key (not a JWK Set: use {@link JsonWebKeySet#parse(String)} for either).
     *
     * @throws JsonWebKeyException if the JSON is not a valid, supported JWK
     */
    public static JsonWebKey parse(String json) {
        return JsonWebKeyReader.readKey(Objects.requireNonNull(json, "json"), "the JSON Web Key");
    }

    /**
     * A new random AES key from {@link SecureRandom}, with {@code alg} set to the matching {@code A*KW} and
     * {@code key_ops} to {@code wrapKey} and {@code unwrapKey}.
     *
     * @param bits 128, 192 or 256
     * @param keyId the key id (not blank)
     * @throws IllegalArgumentException for another size or a blank key id
     */
    public static JsonWebKey generateAes(int bits, String keyId) {
        LocalKeyEncryptionKey.requireKeyId(keyId);
        if (bits != 128 && bits != 192 && bits != 256) {
            throw new IllegalArgumentException("AES key wrap keys have 128, 192 or 256 bits, not " + bits + ".");
        }
        byte[] key = new byte[bits / 8];
        RANDOM.nextBytes(key);
        try {
            return oct(keyId, aesAlgorithm(bits), null, WRAP_AND_UNWRAP, key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * A new RSA key pair (public exponent 65537) from the JDK's generator, with {@code alg} set to
     * {@code RSA-OAEP-256} and {@code key_ops} to {@code wrapKey} and {@code unwrapKey}. Generating takes from a
     * fraction of a second (2048 bits) to several seconds (4096 bits).
     *
     * @param bits 2048, 3072 or 4096
     * @param keyId the key id (not blank)
     * @throws IllegalArgumentException for another size or a blank key id
     */
    public static JsonWebKey generateRsa(int bits, String keyId) {
        LocalKeyEncryptionKey.requireKeyId(keyId);
        if (bits != 2048 && bits != 3072 && bits != 4096) {
            throw new IllegalArgumentException("Generated RSA keys have 2048, 3072 or 4096 bits, not " + bits + ".");
        }
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4), RANDOM);
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK could not generate a " + bits + "-bit RSA key pair.", e);
        }
        return rsa(keyId, KeyWrapAlgorithm.RSA_OAEP_256, null, WRAP_AND_UNWRAP, (RSAPublicKey) pair.getPublic(),
            (RSAPrivateKey) pair.getPrivate());
    }

    /** {@code kid}: the key id stored with the data this key wraps. */
    public String keyId() {
        return keyId;
    }

    /** {@code kty}: {@code "oct"} (AES) or {@code "RSA"}. */
    public String keyType() {
        return keyType;
    }

    /** The AES key size, or the RSA modulus size, in bits. */
    public int sizeInBits() {
        return octKey != null ? octKey.length * 8 : rsaPublicKey.getModulus().bitLength();
    }

    /** Whether the key can unwrap: always for AES; for RSA when the private exponent {@code d} is present. */
    public boolean hasPrivateKey() {
        return octKey != null || rsaPrivateKey != null;
    }

    /** {@code alg}, if present: the only algorithm the key wraps with, and its {@link #defaultWrapAlgorithm()}. */
    public Optional<String> algorithm() {
        return Optional.ofNullable(algorithm);
    }

    /** {@code use}, if present. */
    public Optional<String> use() {
        return Optional.ofNullable(use);
    }

    /** {@code key_ops}, if present (an empty list allows nothing; an absent member allows everything). */
    public Optional<List<String>> keyOperations() {
        return Optional.ofNullable(keyOperations);
    }

    /**
     * The algorithm to wrap with when none is chosen: {@code alg} if present, else by key type and size:
     * {@code A128KW}, {@code A192KW} or {@code A256KW} for AES keys, {@code RSA-OAEP-256} for RSA keys.
     */
    public String defaultWrapAlgorithm() {
        if (algorithm != null) {
            return algorithm;
        }
        return octKey != null ? aesAlgorithm(octKey.length * 8) : KeyWrapAlgorithm.RSA_OAEP_256;
    }

    /**
     * This key as a key encryption key with the key id {@link #keyId()}: an {@link AesKeyWrapKey} or an
     * {@link RsaKeyEncryptionKey} (wrap only if the private key is absent). Each call returns a new instance; an AES
     * one holds its own copy of the key, which may be destroyed.
     *
     * @throws JsonWebKeyException if {@code use} is present and not {@code enc}, or {@code key_ops} allows neither
     *     {@code wrapKey} nor {@code unwrapKey}. (If it allows one, the other throws
     *     {@link dev.cse4j.core.KeyWrapException} when attempted.)
     */
    public KeyEncryptionKey toKeyEncryptionKey() {
        return toLocalKeyEncryptionKey();
    }

    LocalKeyEncryptionKey toLocalKeyEncryptionKey() {
        if (use != null && !"enc".equals(use)) {
            throw new JsonWebKeyException("Key " + Untrusted.quote(keyId) + " has \"use\":" + Untrusted.quote(use)
                + ", so it is not for encryption; key wrapping needs \"use\":\"enc\" or no \"use\". Use another key, "
                + "or fix \"use\" if the key really is meant for wrapping.");
        }
        KeyUsage usage = KeyUsage.of(keyOperations, algorithm);
        if (usage.allowsNoWrapping()) {
            throw new JsonWebKeyException("Key " + Untrusted.quote(keyId) + " has key_ops " + keyOperations
                + " with neither \"wrapKey\" nor \"unwrapKey\", so it may not wrap content keys. Add them to key_ops, "
                + "or use another key.");
        }
        if (octKey != null) {
            return AesKeyWrapKey.of(keyId, octKey, usage);
        }
        return RsaKeyEncryptionKey.of(keyId, rsaPublicKey, rsaPrivateKey, usage);
    }

    /**
     * The key as compact JSON, private members included: for writing key files. Binary members are base64url without
     * padding. Treat the result as secret.
     */
    public String toJson() {
        StringWriter out = new StringWriter();
        try (JsonWriter json = JsonProviders.createWriter(out)) {
            json.writeStartObject()
                .writeStringField("kty", keyType)
                .writeStringField("kid", keyId);
            if (algorithm != null) {
                json.writeStringField("alg", algorithm);
            }
            if (use != null) {
                json.writeStringField("use", use);
            }
            if (keyOperations != null) {
                json.writeArrayField("key_ops", keyOperations, JsonWriter::writeString);
            }
            if (octKey != null) {
                json.writeStringField("k", base64Url(octKey));
            } else {
                writeRsaMembers(json);
            }
            json.writeEndObject().flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write key " + Untrusted.quote(keyId) + " as JSON", e);
        }
        return out.toString();
    }

    /**
     * Writes this key, as a single JSON Web Key ({@link #toJson()}, private members included), to a file that only
     * its owner can read and write: on file systems with POSIX permissions the file is created {@code rw-------};
     * elsewhere it inherits the folder's access control list. A replaced file is swapped atomically. Use
     * {@link JsonWebKeySet#writeTo(Path, boolean)} to write several keys as a JWK Set.
     *
     * @param overwrite whether an existing file may be replaced
     * @throws java.io.UncheckedIOException if the file exists and {@code overwrite} is false, or it cannot be written
     */
    public void writeTo(Path file, boolean overwrite) {
        KeyFiles.writeOwnerOnly(Objects.requireNonNull(file, "file"), toJson() + "\n", overwrite);
    }

    private void writeRsaMembers(JsonWriter json) throws IOException {
        json.writeStringField("n", base64Url(rsaPublicKey.getModulus()))
            .writeStringField("e", base64Url(rsaPublicKey.getPublicExponent()));
        if (rsaPrivateKey == null) {
            return;
        }
        json.writeStringField("d", base64Url(rsaPrivateKey.getPrivateExponent()));
        if (rsaPrivateKey instanceof RSAPrivateCrtKey) {
            RSAPrivateCrtKey crt = (RSAPrivateCrtKey) rsaPrivateKey;
            json.writeStringField("p", base64Url(crt.getPrimeP()))
                .writeStringField("q", base64Url(crt.getPrimeQ()))
                .writeStringField("dp", base64Url(crt.getPrimeExponentP()))
                .writeStringField("dq", base64Url(crt.getPrimeExponentQ()))
                .writeStringField("qi", base64Url(crt.getCrtCoefficient()));
        }
    }

    private static String base64Url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        int signByte = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
        return base64Url(Arrays.copyOfRange(bytes, signByte, bytes.length));
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String aesAlgorithm(int bits) {
        return bits == 128 ? KeyWrapAlgorithm.A128KW : bits == 192 ? KeyWrapAlgorithm.A192KW : KeyWrapAlgorithm.A256KW;
    }

    /** The key id, type, size and whether the private part is present; never key material. */
    @Override
    public String toString() {
        return "JsonWebKey[kid=" + keyId + ", kty=" + keyType + ", bits=" + sizeInBits()
            + (RSA.equals(keyType) ? ", privateKey=" + (hasPrivateKey() ? "present" : "absent") : "")
            + (algorithm == null ? "" : ", alg=" + algorithm) + "]";
    }
}
