package dev.cse4j.keys;

import dev.cse4j.core.KeyWrapException;

import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.util.Objects;

/**
 * A local RSA key encryption key, with the algorithms of Azure Key Vault and JSON Web Algorithms (RFC 7518 §4.2,
 * §4.3):
 *
 * <ul>
 *   <li>{@code RSA-OAEP-256}: RSAES-OAEP with SHA-256 <em>and MGF1-SHA-256</em>, empty label. (The JDK's
 *       {@code OAEPWithSHA-256AndMGF1Padding} would use MGF1-SHA-1, which other implementations reject; this class
 *       passes the parameters explicitly.) The recommended algorithm.</li>
 *   <li>{@code RSA-OAEP}: RSAES-OAEP with SHA-1 and MGF1-SHA-1, empty label.</li>
 *   <li>{@code RSA1_5}: RSAES-PKCS1-v1_5, <b>unwrap only</b>, to read data written with it. Wrapping is refused:
 *       PKCS #1 v1.5 encryption is open to padding-oracle attacks (Bleichenbacher). Unwrapping it still tells
 *       whoever can plant wrapped keys and watch for failures whether their padding was valid, so read RSA1_5 data
 *       only from writers you trust, and rewrap it with RSA-OAEP-256.</li>
 *   <li>{@code RSA}: a non-standard name that the Python SDK's test key wrapper stores for RSA-OAEP (SHA-1); accepted
 *       for unwrapping only.</li>
 * </ul>
 *
 * <p>A key made from a public key alone wraps but cannot unwrap. Keys shorter than 2048 bits are refused. A content
 * key can be at most {@code modulusBytes - 66} bytes long with RSA-OAEP-256 and {@code modulusBytes - 42} with
 * RSA-OAEP.
 *
 * <p>Anyone holding the public key can wrap a content key of their choice for this key, so an RSA key encryption key
 * authenticates nothing about who wrote the data.
 *
 * <p>{@link #toString()} shows the key id, modulus size and whether the private key is present, never the key.
 * Instances are immutable and safe for concurrent use.
 */
public final class RsaKeyEncryptionKey extends LocalKeyEncryptionKey {
    /** Shortest modulus accepted. */
    static final int MIN_MODULUS_BITS = 2048;
    /** Non-standard name written by the Python SDK's test RSA key wrapper for OAEP with SHA-1. */
    static final String PYTHON_TEST_WRAPPER_RSA = "RSA";

    /** The RSA encryption schemes, as JCA transformations and parameters. */
    private enum Scheme {
        OAEP_SHA1(KeyWrapAlgorithm.RSA_OAEP, "RSA/ECB/OAEPPadding", OAEPParameterSpec.DEFAULT, 2 * 20 + 2),
        OAEP_SHA256(KeyWrapAlgorithm.RSA_OAEP_256, "RSA/ECB/OAEPPadding",
            new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT),
            2 * 32 + 2),
        PKCS1_V1_5(KeyWrapAlgorithm.RSA1_5, "RSA/ECB/PKCS1Padding", null, 11);

        final String algorithm;
        final String transformation;
        final AlgorithmParameterSpec parameters;
        /** Bytes of padding overhead: the content key may be at most modulus bytes minus this. */
        final int overhead;

        Scheme(String algorithm, String transformation, AlgorithmParameterSpec parameters, int overhead) {
            this.algorithm = algorithm;
            this.transformation = transformation;
            this.parameters = parameters;
            this.overhead = overhead;
        }

        Cipher cipher(int mode, Key key) throws GeneralSecurityException {
            Cipher cipher = Cipher.getInstance(transformation);
            cipher.init(mode, key, parameters);
            return cipher;
        }
    }

    private final RSAPublicKey publicKey;
    private final PrivateKey privateKey;

    private RsaKeyEncryptionKey(String keyId, RSAPublicKey publicKey, PrivateKey privateKey, KeyUsage usage) {
        super(keyId, usage);
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
        this.privateKey = privateKey;
        int bits = publicKey.getModulus().bitLength();
        if (bits < MIN_MODULUS_BITS) {
            throw new IllegalArgumentException("RSA key '" + keyId + "' has a " + bits + "-bit modulus; cse4j refuses "
                + "RSA keys shorter than " + MIN_MODULUS_BITS + " bits. Use a 2048, 3072 or 4096-bit key.");
        }
        if (privateKey != null) {
            checkPrivateKeyMatches(keyId, publicKey, privateKey);
        }
    }

    /**
     * An RSA key that wraps and unwraps.
     *
     * @param keyId the key id stored with the data; not blank
     * @param keyPair an RSA key pair whose private key is present (it may be a provider-held key, e.g. from a
     *     PKCS #11 token, as long as its algorithm is RSA)
     * @throws IllegalArgumentException if the key id is blank, the keys are not RSA, the private key is missing
     *     or belongs to another modulus, or the modulus is shorter than 2048 bits
     */
    public static RsaKeyEncryptionKey of(String keyId, KeyPair keyPair) {
        Objects.requireNonNull(keyPair, "keyPair");
        if (keyPair.getPrivate() == null) {
            throw new IllegalArgumentException("The key pair for RSA key '" + keyId + "' has no private key. Use "
                + "RsaKeyEncryptionKey.ofPublicKey for a key that only wraps.");
        }
        return of(keyId, requireRsaPublicKey(keyId, keyPair.getPublic()), keyPair.getPrivate(),
            KeyUsage.UNRESTRICTED);
    }

    /**
     * An RSA key that only wraps: enough to write data that only the private key's holder can read. Unwrapping
     * throws {@link KeyWrapException}.
     *
     * @throws IllegalArgumentException if the key id is blank or the modulus is shorter than 2048 bits
     */
    public static RsaKeyEncryptionKey ofPublicKey(String keyId, RSAPublicKey publicKey) {
        return of(keyId, publicKey, null, KeyUsage.UNRESTRICTED);
    }

    static RsaKeyEncryptionKey of(String keyId, RSAPublicKey publicKey, PrivateKey privateKey, KeyUsage usage) {
        return new RsaKeyEncryptionKey(keyId, publicKey, privateKey, usage);
    }

    /** Whether this key holds the private key and so can unwrap. */
    public boolean hasPrivateKey() {
        return privateKey != null;
    }

    @Override
    byte[] wrap(String algorithm, byte[] contentKey) {
        Scheme scheme = wrapScheme(algorithm);
        int max = modulusBytes() - scheme.overhead;
        if (contentKey.length > max) {
            throw new KeyWrapException("Cannot wrap a " + contentKey.length + "-byte key with " + scheme.algorithm
                + " and the " + modulusBits() + "-bit RSA key '" + getKeyId() + "': it wraps at most " + max
                + " bytes. Use a larger RSA key.");
        }
        try {
            return scheme.cipher(Cipher.ENCRYPT_MODE, publicKey).doFinal(contentKey);
        } catch (GeneralSecurityException e) {
            throw new KeyWrapException("The JDK could not wrap with " + scheme.algorithm + " for RSA key '"
                + getKeyId() + "'. Check the Java security providers.", e);
        }
    }

    @Override
    byte[] unwrap(String algorithm, byte[] encryptedKey) {
        Scheme scheme = unwrapScheme(algorithm);
        if (privateKey == null) {
            throw new KeyWrapException("RSA key '" + getKeyId() + "' has only its public key and cannot unwrap: "
                + "unwrapping needs the private key. Load the key pair (a JWK with its private members) to read "
                + "this data.");
        }
        String what = "The " + scheme.algorithm + " unwrap with RSA key '" + getKeyId() + "' failed";
        if (encryptedKey.length != modulusBytes()) {
            throw new KeyWrapException(notTheWrappingKey(what + " (the wrapped key is " + encryptedKey.length
                + " bytes; this " + modulusBits() + "-bit key wraps to " + modulusBytes() + ")"));
        }
        Cipher cipher;
        try {
            cipher = scheme.cipher(Cipher.DECRYPT_MODE, privateKey);
        } catch (GeneralSecurityException e) {
            throw new KeyWrapException("The JDK could not unwrap with " + scheme.algorithm + " for RSA key '"
                + getKeyId() + "'. Check the Java security providers and the private key's provider.", e);
        }
        try {
            return cipher.doFinal(encryptedKey);
        } catch (BadPaddingException | IllegalBlockSizeException e) {
            throw new KeyWrapException(notTheWrappingKey(what), e);
        }
    }

    private Scheme wrapScheme(String algorithm) {
        if (KeyWrapAlgorithm.RSA_OAEP_256.equals(algorithm)) {
            return Scheme.OAEP_SHA256;
        }
        if (KeyWrapAlgorithm.RSA_OAEP.equals(algorithm)) {
            return Scheme.OAEP_SHA1;
        }
        if (KeyWrapAlgorithm.RSA1_5.equals(algorithm)) {
            throw new KeyWrapException("RSA key '" + getKeyId() + "' does not wrap with RSA1_5: PKCS #1 v1.5 "
                + "encryption is insecure (open to padding-oracle attacks) and is supported for unwrapping old data "
                + "only. Wrap with RSA-OAEP-256.");
        }
        if (PYTHON_TEST_WRAPPER_RSA.equals(algorithm)) {
            throw new KeyWrapException("RSA key '" + getKeyId() + "' does not wrap with 'RSA': it is a non-standard "
                + "name accepted for unwrapping only (as RSA-OAEP). Wrap with RSA-OAEP-256.");
        }
        throw unsupported(algorithm);
    }

    private Scheme unwrapScheme(String algorithm) {
        if (KeyWrapAlgorithm.RSA_OAEP_256.equals(algorithm)) {
            return Scheme.OAEP_SHA256;
        }
        if (KeyWrapAlgorithm.RSA_OAEP.equals(algorithm) || PYTHON_TEST_WRAPPER_RSA.equals(algorithm)) {
            return Scheme.OAEP_SHA1;
        }
        if (KeyWrapAlgorithm.RSA1_5.equals(algorithm)) {
            return Scheme.PKCS1_V1_5;
        }
        throw unsupported(algorithm);
    }

    private KeyWrapException unsupported(String algorithm) {
        return new KeyWrapException("RSA key '" + getKeyId() + "' does not support the algorithm "
            + Untrusted.quote(algorithm) + ": it wraps with RSA-OAEP-256 or RSA-OAEP and also unwraps RSA1_5. If "
            + "the data names an AES algorithm (A256KW ...), its key id resolves to the wrong key.");
    }

    private int modulusBits() {
        return publicKey.getModulus().bitLength();
    }

    private int modulusBytes() {
        return (modulusBits() + 7) / 8;
    }

    private static RSAPublicKey requireRsaPublicKey(String keyId, PublicKey publicKey) {
        if (!(publicKey instanceof RSAPublicKey)) {
            throw new IllegalArgumentException("The key pair for key '" + keyId + "' is not an RSA key pair (its "
                + "public key is " + (publicKey == null ? "missing" : publicKey.getAlgorithm()) + ").");
        }
        return (RSAPublicKey) publicKey;
    }

    private static void checkPrivateKeyMatches(String keyId, RSAPublicKey publicKey, PrivateKey privateKey) {
        if (!"RSA".equalsIgnoreCase(privateKey.getAlgorithm())) {
            throw new IllegalArgumentException("The private key for key '" + keyId + "' is not an RSA key (it is "
                + privateKey.getAlgorithm() + ").");
        }
        if (privateKey instanceof RSAKey && !((RSAKey) privateKey).getModulus().equals(publicKey.getModulus())) {
            throw new IllegalArgumentException("The private and public keys given for key '" + keyId + "' are not a "
                + "pair: their moduli differ.");
        }
    }

    /** The key id, modulus size and whether the private key is present; never the key. */
    @Override
    public String toString() {
        return "RsaKeyEncryptionKey[keyId=" + getKeyId() + ", bits=" + modulusBits() + ", privateKey="
            + (hasPrivateKey() ? "present" : "absent (wrap only)") + "]";
    }
}
