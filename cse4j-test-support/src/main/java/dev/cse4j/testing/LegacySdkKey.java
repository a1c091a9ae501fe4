package dev.cse4j.testing;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.microsoft.azure.keyvault.core.IKey;
import com.microsoft.azure.keyvault.core.IKeyResolver;
import org.apache.commons.lang3.tuple.Pair;
import org.apache.commons.lang3.tuple.Triple;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/**
 * A local AES key-wrap key (RFC 3394, A256KW, the JDK's {@code AESWrap}) in the form the legacy
 * {@code com.microsoft.azure:azure-storage} 8.x SDK takes for its Blob/Queue/TableEncryptionPolicy, as its own tests
 * build one. Needs the legacy SDK on the test classpath (an optional dependency of this module).
 */
public final class LegacySdkKey implements IKey {
    private static final String ALGORITHM = "A256KW";

    private final String keyId;
    private final byte[] key;

    public LegacySdkKey(String keyId, byte[] key) {
        this.keyId = keyId;
        this.key = key.clone();
    }

    /** The known-answer vectors' key: bytes 00..1f, id {@code local:kek1}. */
    public static LegacySdkKey vectorsKey() {
        return new LegacySdkKey("local:kek1", Vectors.kek(Vectors.JAVA8_LEGACY_SDK));
    }

    /** A resolver that knows this key only. */
    public IKeyResolver resolver() {
        return kid -> Futures.immediateFuture(keyId.equals(kid) ? this : null);
    }

    @Override
    public String getKid() {
        return keyId;
    }

    @Override
    public String getDefaultKeyWrapAlgorithm() {
        return ALGORITHM;
    }

    @Override
    public ListenableFuture<Pair<byte[], String>> wrapKeyAsync(byte[] plaintext, String algorithm) {
        try {
            Cipher cipher = cipher(Cipher.WRAP_MODE);
            return Futures.immediateFuture(Pair.of(cipher.wrap(new SecretKeySpec(plaintext, "AES")), ALGORITHM));
        } catch (GeneralSecurityException e) {
            return Futures.immediateFailedFuture(e);
        }
    }

    @Override
    public ListenableFuture<byte[]> unwrapKeyAsync(byte[] encryptedKey, String algorithm) {
        if (!ALGORITHM.equals(algorithm)) {
            return Futures.immediateFailedFuture(new IllegalArgumentException("Unsupported algorithm " + algorithm));
        }
        try {
            return Futures.immediateFuture(
                cipher(Cipher.UNWRAP_MODE).unwrap(encryptedKey, "AES", Cipher.SECRET_KEY).getEncoded());
        } catch (GeneralSecurityException e) {
            return Futures.immediateFailedFuture(e);
        }
    }

    private Cipher cipher(int mode) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AESWrap");
        cipher.init(mode, new SecretKeySpec(key, "AES"));
        return cipher;
    }

    @Override
    public String getDefaultEncryptionAlgorithm() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String getDefaultSignatureAlgorithm() {
        throw new UnsupportedOperationException();
    }

    @Override
    public ListenableFuture<byte[]> decryptAsync(byte[] ciphertext, byte[] iv, byte[] authenticationData,
        byte[] authenticationTag, String algorithm) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ListenableFuture<Triple<byte[], byte[], String>> encryptAsync(byte[] plaintext, byte[] iv,
        byte[] authenticationData, String algorithm) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ListenableFuture<Pair<byte[], String>> signAsync(byte[] digest, String algorithm) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ListenableFuture<Boolean> verifyAsync(byte[] digest, byte[] signature, String algorithm) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "LegacySdkKey[" + keyId + "]";
    }
}
