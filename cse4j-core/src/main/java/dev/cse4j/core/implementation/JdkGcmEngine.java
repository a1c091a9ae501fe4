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
 * <p>With SunJCE, encryption feeds the cipher in {@code update} slices of at most {@value #SLICE} bytes: SunJCE
 * (JDK 17) handles calls over 64 KiB through a path of its own that the JIT compiles only after minutes of use
 * (measured: 4 MiB calls stay at ~30 MB/s for ~85 s, then ~1.7 GB/s), while 64 KiB slices share the compiled path of
 * small calls and run as fast as a warm one-call region. Native providers (Corretto) get one {@code doFinal}: each
 * slice costs a JNI crossing and its checks, which cost 16% of ACCP's one-call speed on a VAES machine (issue 16).
 * Decryption is one {@code doFinal} call: SunJCE
 * and Corretto buffer a decryption until {@code doFinal} anyway (they must verify the tag before releasing
 * plaintext), so slices would only add copies (measured: SunJCE 0.44 GB/s sliced vs 1.66 in one call). With SunJCE,
 * {@link SunJceGcmWarmUp} runs once per JVM when the first MiB has gone through, so large data never meets the cold
 * JIT. Other providers (native code) need neither.
 */
final class JdkGcmEngine implements GcmEngine {
    static final int SLICE = 64 * 1024;
    private static final int TAG_BITS = RegionLayout.TAG_LENGTH * 8;

    private final Cipher cipher;
    private final boolean sunJce;
    private final boolean streams;

    JdkGcmEngine(Provider provider) {
        try {
            this.cipher = provider == null ? Cipher.getInstance("AES/GCM/NoPadding")
                : Cipher.getInstance("AES/GCM/NoPadding", provider);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding is not available from "
                + (provider == null ? "the JDK" : provider.getName()), e);
        }
        this.sunJce = "SunJCE".equals(cipher.getProvider().getName());
        // the providers known to return an encryption's ciphertext from each update call; others may hold it
        this.streams = sunJce || CorrettoCryptoProvider.CLASS_NAME.equals(cipher.getProvider().getClass().getName());
    }

    @Override
    public boolean streamsSeal() {
        return streams;
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
        sealStart(key, nonce, nonceOff, aad, len);
        if (!sunJce) {
            try {
                return cipher.doFinal(in, inOff, len, out, outOff);
            } catch (GeneralSecurityException e) {
                throw sealFailed(e);
            }
        }
        int written = sealUpdate(in, inOff, len, out, outOff);
        return written + sealFinish(out, outOff + written);
    }

    @Override
    public void sealStart(SecretKey key, byte[] nonce, int nonceOff, byte[] aad, int len) {
        warmUpBefore(len);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key,
                new GCMParameterSpec(TAG_BITS, nonce, nonceOff, RegionLayout.NONCE_LENGTH));
            if (aad != null) {
                cipher.updateAAD(aad);
            }
        } catch (GeneralSecurityException e) {
            throw sealFailed(e);
        }
    }

    @Override
    public int sealUpdate(byte[] in, int inOff, int len, byte[] out, int outOff) {
        try {
            if (!sunJce) {
                return cipher.update(in, inOff, len, out, outOff);
            }
            int written = 0;
            for (int pos = 0; pos < len; pos += SLICE) {
                written += cipher.update(in, inOff + pos, Math.min(SLICE, len - pos), out, outOff + written);
            }
            return written;
        } catch (GeneralSecurityException e) {
            throw sealFailed(e);
        }
    }

    @Override
    public int sealFinish(byte[] out, int outOff) {
        try {
            return cipher.doFinal(out, outOff);
        } catch (GeneralSecurityException e) {
            throw sealFailed(e);
        }
    }

    private static IllegalStateException sealFailed(GeneralSecurityException e) {
        // The JDK refuses to encrypt twice with one key and nonce; that is never legitimate here.
        return new IllegalStateException("AES-GCM encryption failed: " + e.getMessage(), e);
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
