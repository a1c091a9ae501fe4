package dev.cse4j.table;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.microsoft.azure.keyvault.core.IKey;
import com.microsoft.azure.keyvault.core.IKeyResolver;
import org.apache.commons.lang3.tuple.Pair;
import org.apache.commons.lang3.tuple.Triple;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.Key;

/**
 * The legacy Java 8 SDK's key interface over a local AES key (RFC 3394 key wrap, the JDK's {@code AESWrap}), as the
 * legacy SDK's own tests use one: the vectors' key, id {@code local:kek1}, algorithm A256KW.
 */
final class Java8Key implements IKey {
    private final String keyId;
    private final byte[] key;

    Java8Key(String keyId, byte[] key) {
        this.keyId = keyId;
        this.key = key.clone();
    }

    static Java8Key vectorsKey() {
        return new Java8Key(Tables.KEK_ID, Tables.kekBytes());
    }

    /** A resolver that knows this key only. */
    IKeyResolver resolver() {
        return kid -> Futures.immediateFuture(keyId.equals(kid) ? this : null);
    }

    @Override
    public String getKid() {
        return keyId;
    }

    @Override
    public String getDefaultKeyWrapAlgorithm() {
        return "A256KW";
    }

    @Override
    public ListenableFuture<Pair<byte[], String>> wrapKeyAsync(byte[] plaintext, String algorithm) {
        return Futures.immediateFuture(Pair.of(aesWrap(Cipher.WRAP_MODE, plaintext), "A256KW"));
    }

    @Override
    public ListenableFuture<byte[]> unwrapKeyAsync(byte[] encryptedKey, String algorithm) {
        if (!"A256KW".equals(algorithm)) {
            return Futures.immediateFailedFuture(new IllegalArgumentException("Unsupported algorithm " + algorithm));
        }
        return Futures.immediateFuture(aesWrap(Cipher.UNWRAP_MODE, encryptedKey));
    }

    private byte[] aesWrap(int mode, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AESWrap");
            cipher.init(mode, new SecretKeySpec(key, "AES"));
            if (mode == Cipher.WRAP_MODE) {
                return cipher.wrap(new SecretKeySpec(input, "AES"));
            }
            Key unwrapped = cipher.unwrap(input, "AES", Cipher.SECRET_KEY);
            return unwrapped.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES key wrap failed", e);
        }
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
}
