package dev.cse4j.core.implementation;

import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;

/**
 * AES-256-GCM over one unit (a blob region, a queue message, a table value) with a 12-byte nonce and a 16-byte tag.
 * Blob regions and queue messages have no associated data; cse4j's authenticated table format binds values to their
 * place with it. One instance per thread (see {@link CryptoProvider#gcm()}); not thread-safe.
 */
public interface GcmEngine {
    /**
     * Encrypts {@code len} bytes, authenticating {@code aad} (may be {@code null}: none), and writes {@code ciphertext ‖ tag} at {@code out[outOff]}. In place
     * ({@code in == out}, same offset) is allowed.
     *
     * @return {@code len + 16}
     */
    int seal(SecretKey key, byte[] nonce, int nonceOff, byte[] aad, byte[] in, int inOff, int len, byte[] out,
        int outOff);

    /**
     * Verifies and decrypts {@code ciphertext ‖ tag} ({@code len} bytes, at least 16) with associated data
     * {@code aad} ({@code null}: none). Plaintext is written to
     * {@code out} only once the tag verified; on failure {@code out} holds no plaintext.
     *
     * @return the plaintext length, {@code len - 16}
     * @throws AEADBadTagException if the tag does not verify
     */
    int open(SecretKey key, byte[] nonce, int nonceOff, byte[] aad, byte[] in, int inOff, int len, byte[] out,
        int outOff) throws AEADBadTagException;

    /**
     * Starts sealing one unit of {@code len} bytes slice by slice, for a caller that never holds the whole unit:
     * then {@link #sealUpdate} for its bytes, in order, and {@link #sealFinish}. The engine holds the unit's state
     * in between, so no other call may come between them on this engine. The bytes are those {@link #seal} makes.
     */
    void sealStart(SecretKey key, byte[] nonce, int nonceOff, byte[] aad, int len);

    /**
     * Encrypts the unit's next {@code len} bytes into {@code out[outOff]}; in place (same array and offset) only where
     * every earlier slice of the unit was whole 16-byte blocks.
     *
     * @return bytes written: {@code len}, except that a slice whose length is not a multiple of 16 may leave its
     *     last partial block to the next call
     */
    int sealUpdate(byte[] in, int inOff, int len, byte[] out, int outOff);

    /**
     * Ends the unit: writes the ciphertext still held and the tag at {@code out[outOff]}: under 16 bytes of ciphertext
     * where {@link #streamsSeal()}, else all of it.
     *
     * @return bytes written: at most 31 where {@link #streamsSeal()}, else the unit's length + 16
     */
    int sealFinish(byte[] out, int outOff);

    /**
     * Whether {@link #sealUpdate} returns each slice's ciphertext at once (but a partial last block), so that a unit
     * can be sealed in a buffer of one slice. False for a provider that holds all of it until {@link #sealFinish}
     * (SunPKCS11 does): then a unit must be sealed in one slice, into room for all of its ciphertext and tag.
     */
    boolean streamsSeal();
}
