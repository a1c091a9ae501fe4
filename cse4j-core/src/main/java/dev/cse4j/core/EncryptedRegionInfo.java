package dev.cse4j.core;

/**
 * {@code EncryptedRegionInfo} of a protocol 2.x object: the plaintext length of every region but the last, and the
 * nonce length. The tag length is always 16 and is not stored.
 *
 * @param dataLength plaintext bytes per region: exactly 4 MiB for 2.0 (every SDK writes that; {@link EncryptionData}
 *     refuses any other length as malformed), 16 B to 1 GiB for 2.1
 * @param nonceLength nonce bytes at the start of each region; always 12
 */
public record EncryptedRegionInfo(int dataLength, int nonceLength) {
    /** The region length protocol 2.0 always uses: 4 MiB. */
    public static final int V2_0_DATA_LENGTH = 4 * 1024 * 1024;
    /** The smallest region length allowed (protocol 2.1). */
    public static final int MIN_DATA_LENGTH = 16;
    /** The largest region length allowed (protocol 2.1): 1 GiB. */
    public static final int MAX_DATA_LENGTH = 1 << 30;
    /** The only nonce length in use. */
    public static final int NONCE_LENGTH = 12;

    /**
     * @throws MalformedEncryptionDataException if the lengths are outside what any SDK writes
     */
    public EncryptedRegionInfo {
        if (dataLength < MIN_DATA_LENGTH || dataLength > MAX_DATA_LENGTH) {
            throw new MalformedEncryptionDataException("Unsupported EncryptedRegionInfo.DataLength " + dataLength
                + ": region lengths are 16 bytes to 1 GiB. The metadata was modified or written by an "
                + "incompatible client.");
        }
        if (nonceLength != NONCE_LENGTH) {
            throw new MalformedEncryptionDataException("Unsupported EncryptedRegionInfo.NonceLength " + nonceLength
                + ": every protocol 2.x writer uses 12-byte nonces. The metadata was modified or written by an "
                + "incompatible client.");
        }
    }

    /** Region info with the given data length and 12-byte nonces. */
    public static EncryptedRegionInfo ofDataLength(int dataLength) {
        return new EncryptedRegionInfo(dataLength, NONCE_LENGTH);
    }
}
