package dev.cse4j.queue;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.microsoft.azure.keyvault.core.IKey;
import org.apache.commons.lang3.tuple.Pair;
import org.apache.commons.lang3.tuple.Triple;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.Key;

/** A local AES key-wrap (RFC 3394, the JDK's AESWrap) key for the legacy Java 8 SDK's encryption policies. */
final class LegacyAesKey implements IKey {
    private final String kid;
    private final SecretKeySpec key;

    LegacyAesKey(String kid, byte[] key) {
        this.kid = kid;
        this.key = new SecretKeySpec(key, "AES");
    }

    @Override
    public String getKid() {
        return kid;
    }

    @Override
    public String getDefaultKeyWrapAlgorithm() {
        return "A256KW";
    }

    @Override
    public ListenableFuture<Pair<byte[], String>> wrapKeyAsync(byte[] plaintext, String algorithm) {
        try {
            Cipher cipher = Cipher.getInstance("AESWrap");
            cipher.init(Cipher.WRAP_MODE, key);
            return Futures.immediateFuture(Pair.of(cipher.wrap(new SecretKeySpec(plaintext, "AES")), "A256KW"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public ListenableFuture<byte[]> unwrapKeyAsync(byte[] encryptedKey, String algorithm) {
        try {
            Cipher cipher = Cipher.getInstance("AESWrap");
            cipher.init(Cipher.UNWRAP_MODE, key);
            Key unwrapped = cipher.unwrap(encryptedKey, "AES", Cipher.SECRET_KEY);
            return Futures.immediateFuture(unwrapped.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
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
