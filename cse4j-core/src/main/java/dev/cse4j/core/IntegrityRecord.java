package dev.cse4j.core;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * cse4j's integrity record of a protocol 2.x blob (docs/formats.md, "Integrity record"): stored beside
 * {@code encryptiondata} as the blob metadata entry {@code cse4jintegrity}, it records what protocol 2.x leaves
 * unauthenticated — the plaintext length (so whole regions dropped from the end, or added, are detected) — and a
 * commitment to the content key (AES-GCM alone is not key-committing). Immutable; this class only parses and
 * encodes; sealing and verifying need the content key and live in {@code dev.cse4j.core.implementation.IntegritySeal}.
 *
 * <p>Wire form: standard base64 (with padding) of these 80 bytes, integers big-endian:
 * <pre>
 * offset size field
 *  0      1   version             1
 *  1      1   protocol            0x20 = "2.0", 0x21 = "2.1"
 *  2      1   nonce sequence      1 = cse4j/Java: region i's nonce is i as 8 bytes big-endian, then 4 zero bytes
 *  3      1   reserved            0
 *  4      4   region length R     plaintext bytes per region (4194304 for 2.0; 16 to 2^30 for 2.1)
 *  8      8   plaintext length n  0 to 2^63 - 1; the blob stores exactly n + ⌈n/R⌉·28 bytes
 * 16     32   key commitment      HKDF-SHA256 of the content key, label "…/key-commitment"
 * 48     32   MAC                 HMAC-SHA256 of bytes 0-47 under a key derived from the content key, label "…/mac"
 * </pre>
 * The record is bound to the content key, not to its wrapping: re-wrapping the content key with another key
 * encryption key (key rotation) leaves it valid and unchanged.
 */
public final class IntegrityRecord {
    /** The record format this version of cse4j writes and reads. */
    public static final int VERSION = 1;
    /** Bytes of the record before base64. */
    public static final int LENGTH = 80;
    /** Bytes covered by the MAC: every field before it. */
    public static final int AUTHENTICATED_LENGTH = 48;
    /** Length of the key commitment and of the MAC. */
    public static final int TAG_LENGTH = 32;
    /** Nonce sequence code of cse4j's (and Microsoft's Java SDK's) region nonces, the only one written. */
    public static final int NONCE_SEQUENCE_JAVA = 1;

    private final EncryptionProtocol protocol;
    private final int nonceSequence;
    private final int regionDataLength;
    private final long plaintextLength;
    private final byte[] commitment;
    private final byte[] mac;

    private IntegrityRecord(EncryptionProtocol protocol, int nonceSequence, int regionDataLength,
        long plaintextLength, byte[] commitment, byte[] mac) {
        this.protocol = protocol;
        this.nonceSequence = nonceSequence;
        this.regionDataLength = regionDataLength;
        this.plaintextLength = plaintextLength;
        this.commitment = commitment;
        this.mac = mac;
    }

    /**
     * Parses the stored metadata value strictly.
     *
     * @throws IntegrityException if it is not a version 1 record of valid fields (it was modified, or written by a
     *     newer cse4j)
     */
    public static IntegrityRecord parse(String metadataValue) {
        Objects.requireNonNull(metadataValue, "metadataValue");
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(metadataValue.strip());
        } catch (IllegalArgumentException e) {
            throw malformed("it is not base64");
        }
        return fromBytes(bytes);
    }

    /**
     * The record from its 80 bytes.
     *
     * @throws IntegrityException if the bytes are not a valid version 1 record
     */
    public static IntegrityRecord fromBytes(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw malformed("it has " + bytes.length + " bytes, not " + LENGTH);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int version = b.get() & 0xff;
        if (version != VERSION) {
            throw malformed("its version is " + version + "; this cse4j reads version " + VERSION
                + " (a newer cse4j wrote it, or it was modified)");
        }
        int protocolCode = b.get() & 0xff;
        EncryptionProtocol protocol = protocolCode == 0x20 ? EncryptionProtocol.V2_0
            : protocolCode == 0x21 ? EncryptionProtocol.V2_1 : null;
        if (protocol == null) {
            throw malformed(String.format("protocol code 0x%02x is neither 0x20 (2.0) nor 0x21 (2.1)", protocolCode));
        }
        int nonceSequence = b.get() & 0xff;
        if (nonceSequence != NONCE_SEQUENCE_JAVA) {
            throw malformed("nonce sequence " + nonceSequence + " is unknown (1 is the only one)");
        }
        if (b.get() != 0) {
            throw malformed("its reserved byte is not 0");
        }
        int regionDataLength = b.getInt();
        if (regionDataLength < EncryptedRegionInfo.MIN_DATA_LENGTH
            || regionDataLength > EncryptedRegionInfo.MAX_DATA_LENGTH
            || (protocol == EncryptionProtocol.V2_0 && regionDataLength != EncryptedRegionInfo.V2_0_DATA_LENGTH)) {
            throw malformed("region length " + Integer.toUnsignedString(regionDataLength) + " is not valid for "
                + "protocol " + protocol);
        }
        long plaintextLength = b.getLong();
        if (plaintextLength < 0 || encryptedLengthOverflows(plaintextLength, regionDataLength)) {
            throw malformed("plaintext length " + Long.toUnsignedString(plaintextLength) + " is out of range");
        }
        byte[] commitment = new byte[TAG_LENGTH];
        byte[] mac = new byte[TAG_LENGTH];
        b.get(commitment).get(mac);
        return new IntegrityRecord(protocol, nonceSequence, regionDataLength, plaintextLength, commitment, mac);
    }

    /**
     * A record of these fields with the given commitment and MAC (computed by the sealer).
     *
     * @throws IntegrityException if a field is out of range
     */
    public static IntegrityRecord of(EncryptionProtocol protocol, int regionDataLength, long plaintextLength,
        byte[] commitment, byte[] mac) {
        return fromBytes(encode(protocol, NONCE_SEQUENCE_JAVA, regionDataLength, plaintextLength, commitment, mac));
    }

    /**
     * The first {@value #AUTHENTICATED_LENGTH} bytes of a record of these fields: what the commitment precedes and
     * the MAC covers.
     */
    public static byte[] authenticatedBytes(EncryptionProtocol protocol, int regionDataLength, long plaintextLength,
        byte[] commitment) {
        return Arrays.copyOf(encode(protocol, NONCE_SEQUENCE_JAVA, regionDataLength, plaintextLength, commitment,
            new byte[TAG_LENGTH]), AUTHENTICATED_LENGTH);
    }

    private static byte[] encode(EncryptionProtocol protocol, int nonceSequence, int regionDataLength,
        long plaintextLength, byte[] commitment, byte[] mac) {
        if (!protocol.usesRegions()) {
            throw new IllegalArgumentException("Integrity records exist for protocol 2.0 and 2.1, not " + protocol);
        }
        if (commitment.length != TAG_LENGTH || mac.length != TAG_LENGTH) {
            throw new IllegalArgumentException("Commitment and MAC have 32 bytes each");
        }
        return ByteBuffer.allocate(LENGTH).put((byte) VERSION)
            .put((byte) (protocol == EncryptionProtocol.V2_0 ? 0x20 : 0x21)).put((byte) nonceSequence).put((byte) 0)
            .putInt(regionDataLength).putLong(plaintextLength).put(commitment).put(mac).array();
    }

    private static boolean encryptedLengthOverflows(long plaintextLength, int regionDataLength) {
        long regions = plaintextLength / regionDataLength + (plaintextLength % regionDataLength == 0 ? 0 : 1);
        return regions > (Long.MAX_VALUE - plaintextLength) / 28;
    }

    private static IntegrityException malformed(String why) {
        return new IntegrityException("The blob's integrity record (metadata cse4jintegrity) is malformed: " + why
            + ". It was modified, or written by a newer cse4j; the blob is not read.");
    }

    /** The 80 bytes. */
    public byte[] toBytes() {
        return encode(protocol, nonceSequence, regionDataLength, plaintextLength, commitment, mac);
    }

    /** The stored metadata value: base64 of {@link #toBytes()}. */
    public String toMetadataValue() {
        return Base64.getEncoder().encodeToString(toBytes());
    }

    public int version() {
        return VERSION;
    }

    public EncryptionProtocol protocol() {
        return protocol;
    }

    /** The nonce sequence code; {@link #NONCE_SEQUENCE_JAVA}. */
    public int nonceSequence() {
        return nonceSequence;
    }

    /** {@code R}. */
    public int regionDataLength() {
        return regionDataLength;
    }

    /** {@code n}: the plaintext length (authenticated only once the record is verified with the content key). */
    public long plaintextLength() {
        return plaintextLength;
    }

    /** The stored length {@code n} implies: {@code n + ⌈n/R⌉·28}. */
    public long encryptedLength() {
        return plaintextLength + regionCount() * 28;
    }

    /** {@code ⌈n/R⌉}. */
    public long regionCount() {
        return plaintextLength / regionDataLength + (plaintextLength % regionDataLength == 0 ? 0 : 1);
    }

    /** The key commitment (a copy). */
    public byte[] commitment() {
        return commitment.clone();
    }

    /** The MAC (a copy). */
    public byte[] mac() {
        return mac.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntegrityRecord other && Arrays.equals(toBytes(), other.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }

    /** The fields, without the commitment and MAC (not secret, but meaningless to a reader). */
    @Override
    public String toString() {
        return "IntegrityRecord[v" + VERSION + ", protocol=" + protocol + ", R=" + regionDataLength
            + ", plaintextLength=" + plaintextLength + "]";
    }
}
