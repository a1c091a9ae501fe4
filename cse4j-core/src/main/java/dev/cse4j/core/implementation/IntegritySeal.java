package dev.cse4j.core.implementation;

import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.IntegrityException;
import dev.cse4j.core.IntegrityRecord;

import javax.security.auth.Destroyable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Seals and verifies the {@link IntegrityRecord} of one protocol 2.x blob with keys derived from its content key
 * (docs/formats.md, "Integrity record"):
 * <pre>
 * PRK        = HKDF-Extract(salt = "cse4j/blob-integrity", IKM = CEK)
 * commitment = HKDF-Expand(PRK, "cse4j/blob-integrity/v1/key-commitment", 32)
 * macKey     = HKDF-Expand(PRK, "cse4j/blob-integrity/v1/mac", 32)
 * MAC        = HMAC-SHA256(macKey, record bytes 0-47)
 * </pre>
 * The labels keep the two uses independent: publishing the commitment reveals nothing of the MAC key, and neither
 * reveals the content key. Verification checks, in this order and before anything is decrypted: the commitment
 * (the record belongs to this content key), the MAC (no field was edited), the fields against
 * {@code encryptiondata} (protocol, region length), and the stored length against the one the plaintext length
 * implies. Only the content key matters, not its wrapping, so a re-wrapped key (rotation) verifies the same record.
 * {@link #destroy()} (or {@link #close()}) zeroes the derived keys.
 */
public final class IntegritySeal implements Destroyable, AutoCloseable {
    static final byte[] SALT = "cse4j/blob-integrity".getBytes(StandardCharsets.UTF_8);
    static final String COMMITMENT_LABEL = "cse4j/blob-integrity/v1/key-commitment";
    static final String MAC_LABEL = "cse4j/blob-integrity/v1/mac";

    private final byte[] commitment;
    private final byte[] macKey;
    private volatile boolean destroyed;

    private IntegritySeal(byte[] commitment, byte[] macKey) {
        this.commitment = commitment;
        this.macKey = macKey;
    }

    /** Derives the commitment and MAC key of {@code key}. */
    public static IntegritySeal of(ContentKey key) {
        byte[] cek = key.bytes();
        byte[] prk = Hkdf.extract(SALT, cek);
        try {
            return new IntegritySeal(Hkdf.expand(prk, COMMITMENT_LABEL), Hkdf.expand(prk, MAC_LABEL));
        } finally {
            Arrays.fill(cek, (byte) 0);
            Arrays.fill(prk, (byte) 0);
        }
    }

    /** The record of a blob of {@code plaintextLength} bytes written with {@code data}. */
    public IntegrityRecord seal(EncryptionData data, long plaintextLength) {
        checkNotDestroyed();
        int regionLength = data.encryptedRegionInfo().dataLength();
        byte[] mac = Hkdf.hmac(macKey, IntegrityRecord.authenticatedBytes(data.protocol(), regionLength,
            plaintextLength, commitment));
        return IntegrityRecord.of(data.protocol(), regionLength, plaintextLength, commitment, mac);
    }

    /**
     * Verifies {@code record} as the record of a blob stored as {@code storedLength} bytes with {@code data}.
     *
     * @param what the blob, for messages, e.g. {@code "Blob 'c/b'"}
     * @throws IntegrityException if the record belongs to another content key, was edited, contradicts
     *     {@code data}, or the stored length is not exactly what its plaintext length implies
     */
    public void verify(IntegrityRecord record, EncryptionData data, long storedLength, String what) {
        checkNotDestroyed();
        if (!MessageDigest.isEqual(commitment, record.commitment())) {
            throw new IntegrityException(what + ": its integrity record does not belong to its content key (key "
                + "commitment mismatch). The record was copied from another blob, or the encryption metadata was "
                + "replaced. Nothing was decrypted.");
        }
        byte[] expected = Hkdf.hmac(macKey, Arrays.copyOf(record.toBytes(), IntegrityRecord.AUTHENTICATED_LENGTH));
        if (!MessageDigest.isEqual(expected, record.mac())) {
            throw new IntegrityException(what + ": its integrity record fails authentication (MAC mismatch): a field "
                + "of it was modified. Nothing was decrypted.");
        }
        if (record.protocol() != data.protocol()
            || record.regionDataLength() != data.encryptedRegionInfo().dataLength()) {
            throw new IntegrityException(what + ": its encryption metadata (protocol " + data.protocol()
                + ", region length " + data.encryptedRegionInfo().dataLength() + ") contradicts its authenticated "
                + "integrity record (protocol " + record.protocol() + ", region length " + record.regionDataLength()
                + "): the metadata was modified. Nothing was decrypted.");
        }
        if (storedLength != record.encryptedLength()) {
            throw new IntegrityException(what + " stores " + storedLength + " bytes, but the plaintext length its "
                + "integrity record authenticates, " + record.plaintextLength() + " bytes (" + record.regionCount()
                + " regions of " + record.regionDataLength() + "), is stored as exactly " + record.encryptedLength()
                + ": regions were " + (storedLength < record.encryptedLength() ? "dropped or cut short (truncated)"
                : "added or bytes appended") + ". Nothing was decrypted.");
        }
    }

    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(commitment, (byte) 0);
        Arrays.fill(macKey, (byte) 0);
    }

    /** {@link #destroy()}. */
    @Override
    public void close() {
        destroy();
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    private void checkNotDestroyed() {
        if (destroyed) {
            throw new IllegalStateException("This integrity seal was destroyed");
        }
    }

    @Override
    public String toString() {
        return "IntegritySeal[redacted]";
    }
}
