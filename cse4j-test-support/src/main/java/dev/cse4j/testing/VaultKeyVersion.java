package dev.cse4j.testing;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One version of a key held by {@link KeyVaultServer}: an RSA key pair (JWK type {@code RSA}, as in a vault) or an
 * AES key (JWK type {@code oct-HSM}, as in a Managed HSM), and the key-wrap algorithms Key Vault offers for it.
 * Immutable. Its {@link #toString()} names the key only.
 */
final class VaultKeyVersion {
    private static final List<String> RSA_ALGORITHMS = List.of("RSA-OAEP", "RSA-OAEP-256", "RSA1_5");
    private static final List<String> RSA_OPS = List.of("encrypt", "decrypt", "wrapKey", "unwrapKey");
    private static final List<String> AES_OPS = List.of("wrapKey", "unwrapKey");

    private final String name;
    private final String version;
    private final String id;
    private final KeyPair rsa;
    private final SecretKey aes;
    private final long created;

    private VaultKeyVersion(String name, String version, String id, KeyPair rsa, SecretKey aes) {
        this.name = name;
        this.version = version;
        this.id = id;
        this.rsa = rsa;
        this.aes = aes;
        this.created = System.currentTimeMillis() / 1000;
    }

    static VaultKeyVersion rsa(String name, String version, String id, KeyPair keyPair) {
        if (!(keyPair.getPublic() instanceof RSAPublicKey) || keyPair.getPrivate() == null) {
            throw new IllegalArgumentException("Key '" + name + "' must be an RSA key pair with its private key.");
        }
        return new VaultKeyVersion(name, version, id, keyPair, null);
    }

    static VaultKeyVersion aes(String name, String version, String id, SecretKey key) {
        int bits = aesBits(key);
        if (!"AES".equalsIgnoreCase(key.getAlgorithm()) || (bits != 128 && bits != 192 && bits != 256)) {
            throw new IllegalArgumentException("Key '" + name + "' must be an AES key of 128, 192 or 256 bits.");
        }
        return new VaultKeyVersion(name, version, id, null, key);
    }

    /** A fresh key of this version's type and size, as the next version of the same name. */
    VaultKeyVersion rotated(String newVersion, String newId, SecureRandom random) throws GeneralSecurityException {
        if (rsa != null) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(((RSAPublicKey) rsa.getPublic()).getModulus().bitLength(), random);
            return rsa(name, newVersion, newId, generator.generateKeyPair());
        }
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(aesBits(aes), random);
        return aes(name, newVersion, newId, generator.generateKey());
    }

    String name() {
        return name;
    }

    String version() {
        return version;
    }

    /** The full key identifier, {@code https://127.0.0.1:PORT/keys/NAME/VERSION}. */
    String id() {
        return id;
    }

    /** The {@code KeyBundle} a get-key answers: the public parts only, as a vault never returns private ones. */
    Map<String, Object> bundle() {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("kid", id);
        if (rsa != null) {
            RSAPublicKey publicKey = (RSAPublicKey) rsa.getPublic();
            key.put("kty", "RSA");
            key.put("key_ops", RSA_OPS);
            key.put("n", base64Url(unsigned(publicKey.getModulus())));
            key.put("e", base64Url(unsigned(publicKey.getPublicExponent())));
        } else {
            key.put("kty", "oct-HSM");
            key.put("key_ops", AES_OPS);
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("enabled", true);
        attributes.put("created", created);
        attributes.put("updated", created);
        attributes.put("recoveryLevel", "Recoverable+Purgeable");
        attributes.put("recoverableDays", 90);
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put("key", key);
        bundle.put("attributes", attributes);
        return bundle;
    }

    /**
     * @throws UnsupportedOperationException if the algorithm is not one Key Vault offers for this key type
     * @throws GeneralSecurityException if the cryptography fails (for unwrap: wrong key or modified input)
     */
    byte[] wrap(String algorithm, byte[] value) throws GeneralSecurityException {
        return cipher(algorithm, true).doFinal(value);
    }

    /** @see #wrap(String, byte[]) */
    byte[] unwrap(String algorithm, byte[] value) throws GeneralSecurityException {
        return cipher(algorithm, false).doFinal(value);
    }

    private Cipher cipher(String algorithm, boolean wrap) throws GeneralSecurityException {
        Objects.requireNonNull(algorithm, "algorithm");
        int mode = wrap ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
        if (rsa != null) {
            if (!RSA_ALGORITHMS.contains(algorithm)) {
                throw new UnsupportedOperationException(algorithm + " is not a key-wrap algorithm for RSA keys");
            }
            java.security.Key key = wrap ? rsa.getPublic() : rsa.getPrivate();
            if (algorithm.equals("RSA1_5")) {
                Cipher cipher = Cipher.getInstance("RSA/ECB/PKCS1Padding");
                cipher.init(mode, key);
                return cipher;
            }
            boolean sha256 = algorithm.equals("RSA-OAEP-256");
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
            cipher.init(mode, key, new OAEPParameterSpec(sha256 ? "SHA-256" : "SHA-1", "MGF1",
                sha256 ? MGF1ParameterSpec.SHA256 : MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT));
            return cipher;
        }
        int bits = aesBits(aes);
        if (!algorithm.equals("A" + bits + "KW")) {
            throw new UnsupportedOperationException(algorithm + " is not a key-wrap algorithm for this " + bits
                + "-bit AES key (A" + bits + "KW is)");
        }
        Cipher cipher = Cipher.getInstance("AES/KW/NoPadding");
        cipher.init(mode, aes);
        return cipher;
    }

    @Override
    public String toString() {
        return "VaultKeyVersion[" + id + ", " + (rsa != null ? "RSA" : "oct-HSM") + "]";
    }

    private static int aesBits(SecretKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded == null) {
            return 0;
        }
        Arrays.fill(encoded, (byte) 0);
        return encoded.length * 8;
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 && bytes.length > 1 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }
}
