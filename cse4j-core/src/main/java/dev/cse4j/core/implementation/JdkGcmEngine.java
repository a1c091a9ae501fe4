package dev.cse4j.core.implementation;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.security.GeneralSecurityException;
import java.security.Provider;

/**
 * {@link GcmEngine} over a JCA {@code AES/GCM/NoPadding} cipher: the JDK's SunJCE, or any provider such as the
 * Amazon Corretto Crypto Provider. Every provider yields the same bytes; only speed differs.
 *
 * <p>Encryption feeds the cipher in slices of at most {@value #SLICE} bytes. SunJCE (JDK 17) splits larger calls
 * into six parts and runs them through code paths that the JIT compiles only after thousands of calls, so a 4 MiB
 * {@code update} stays at interpreted speed (~30 MB/s) for minutes; 64 KiB slices use the same compiled path as
 * small calls. SunJCE's decryption buffers everything until {@code doFinal} whatever the slicing (it must verify the
 * tag before releasing plaintext), so it is one call. With SunJCE, once {@link SunJceGcmWarmUp#TRIGGER} bytes have
 * gone through, {@link SunJceGcmWarmUp} runs once per JVM, so large data never meets the cold JIT. Other providers
 * (native code) need neither.
 */
final class JdkGcmEngine implements GcmEngine {
    static final int SLICE = 64 * 1024;
    private static final int TAG_BITS = RegionLayout.TAG_LENGTH * 8;

    private final Cipher cipher;
    private final boolean sunJce;

    JdkGcmEngine(Provider provider) {
        try {
            this.cipher = provider == null ? Cipher.getInstance("AES/GCM/NoPadding")
                : Cipher.getInstance("AES/GCM/NoPadding", provider);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding is not available from "
                + (provider == null ? "the JDK" : provider.getName()), e);
        }
        this.sunJce = "SunJCE".equals(cipher.getProvider().getName());
    }

    /** The provider actually used (for {@code null}, the JDK's first provider offering AES-GCM). */
    Provider provider() {
        return cipher.getProvider();
    }

    private void warmUpBefore(int len) {
        if (sunJce) {
            SunJceGcmWarmUp.beforeCall(cipher.getProvider(), len);
        }
    }

    @Override
    public int seal(SecretKey key, byte[] nonce, int nonceOff, byte[] aad, byte[] in, int inOff, int len, byte[] out,
        int outOff) {
        warmUpBefore(len);
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
        warmUpBefore(len);
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
