package dev.cse4j.core.implementation;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.security.GeneralSecurityException;
import java.security.Provider;

/**
 * {@link GcmEngine} over a JCA {@code AES/GCM/NoPadding} cipher.
 *
 * <p>Encryption feeds the cipher in slices of at most {@value #SLICE} bytes: the JDK's AES-GCM runs interpreted and
 * ~80× slower on calls of a megabyte or more until the JIT compiles it (shared/reference/performance.md), while
 * small calls reach the compiled, intrinsic path within seconds.
 */
final class JdkGcmEngine implements GcmEngine {
    static final int SLICE = 64 * 1024;
    private static final int TAG_BITS = RegionLayout.TAG_LENGTH * 8;

    private final Cipher cipher;

    JdkGcmEngine(Provider provider) {
        try {
            this.cipher = provider == null ? Cipher.getInstance("AES/GCM/NoPadding")
                : Cipher.getInstance("AES/GCM/NoPadding", provider);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding is not available from "
                + (provider == null ? "the JDK" : provider.getName()), e);
        }
    }

    @Override
    public int seal(SecretKey key, byte[] nonce, int nonceOff, byte[] aad, byte[] in, int inOff, int len, byte[] out,
        int outOff) {
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key,
                new GCMParameterSpec(TAG_BITS, nonce, nonceOff, RegionLayout.NONCE_LENGTH));
            if (aad != null) {
                cipher.updateAAD(aad);
            }
            int written = 0;
            for (int pos = 0; pos < len; pos += SLICE) {
                written += cipher.update(in, inOff + pos, Math.min(SLICE, len - pos), out, outOff + written);
            }
            written += cipher.doFinal(out, outOff + written);
            return written;
        } catch (GeneralSecurityException e) {
            // The JDK refuses to encrypt twice with one key and nonce; that is never legitimate here.
            throw new IllegalStateException("AES-GCM encryption failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int open(SecretKey key, byte[] nonce, int nonceOff, byte[] aad, byte[] in, int inOff, int len, byte[] out,
        int outOff) throws AEADBadTagException {
        try {
            cipher.init(Cipher.DECRYPT_MODE, key,
                new GCMParameterSpec(TAG_BITS, nonce, nonceOff, RegionLayout.NONCE_LENGTH));
            if (aad != null) {
                cipher.updateAAD(aad);
            }
            // The JDK buffers GCM input until doFinal, verifies the tag, and only then writes plaintext.
            return cipher.doFinal(in, inOff, len, out, outOff);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed: " + e.getMessage(), e);
        }
    }
}
