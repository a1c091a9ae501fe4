package dev.cse4j.core.implementation;

import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.IntegrityException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What the key encryption key wraps, per protocol (docs/formats.md §3.2, §3.3):
 * <ul>
 *   <li>1.0: the bare 32-byte content key;</li>
 *   <li>2.x and cse4j's table format: the ASCII protocol string ({@code "2.0"}, {@code "2.1"} or
 *       {@code "cse4j-t1"}) padded with zero bytes to 8, then the 32-byte content key (40 bytes). Binding the version into the wrapped key stops a downgrade of the
 *       metadata's protocol. On unwrap all 8 prefix bytes are checked (Microsoft's Java SDK checks only 3).</li>
 * </ul>
 */
public final class ContentKeyWrapping {
    static final int PREFIX_LENGTH = 8;

    private ContentKeyWrapping() {
    }

    /** The bytes to wrap for {@code protocol}. The caller zeroes them after wrapping. */
    public static byte[] payload(EncryptionProtocol protocol, ContentKey key) {
        byte[] cek = key.bytes();
        if (protocol == EncryptionProtocol.V1_0) {
            return cek;
        }
        byte[] payload = new byte[PREFIX_LENGTH + cek.length];
        System.arraycopy(prefix(protocol), 0, payload, 0, PREFIX_LENGTH);
        System.arraycopy(cek, 0, payload, PREFIX_LENGTH, cek.length);
        Arrays.fill(cek, (byte) 0);
        return payload;
    }

    /**
     * The content key from unwrapped bytes, checked against the protocol the metadata names. Zeroes
     * {@code unwrapped}.
     *
     * @throws IntegrityException if the bytes were wrapped for another protocol version or have the wrong length
     */
    public static ContentKey contentKey(EncryptionProtocol protocol, byte[] unwrapped) {
        try {
            if (protocol == EncryptionProtocol.V1_0) {
                if (unwrapped.length == ContentKey.LENGTH) {
                    return ContentKey.of(unwrapped);
                }
                EncryptionProtocol boundTo = boundProtocol(unwrapped);
                throw new IntegrityException(boundTo != null
                    ? "Protocol downgrade: the metadata says 1.0 but the content key was wrapped for protocol "
                        + boundTo.wireValue() + ". The metadata was modified; the data cannot be trusted."
                    : "The unwrapped content key has " + unwrapped.length + " bytes; protocol 1.0 wraps 32. The "
                        + "metadata or wrapped key was modified.");
            }
            byte[] expected = prefix(protocol);
            if (unwrapped.length == PREFIX_LENGTH + ContentKey.LENGTH
                && Arrays.equals(unwrapped, 0, PREFIX_LENGTH, expected, 0, PREFIX_LENGTH)) {
                return ContentKey.of(Arrays.copyOfRange(unwrapped, PREFIX_LENGTH, unwrapped.length));
            }
            EncryptionProtocol boundTo = boundProtocol(unwrapped);
            String what = boundTo != null ? "was wrapped for protocol " + boundTo.wireValue()
                : unwrapped.length == ContentKey.LENGTH ? "has no version prefix (it was wrapped as protocol 1.0)"
                : "does not start with the version prefix of protocol " + protocol.wireValue();
            throw new IntegrityException("Protocol mismatch: the metadata says " + protocol.wireValue()
                + " but the content key " + what + ". The metadata was modified (a downgrade or version swap); the "
                + "data cannot be trusted.");
        } finally {
            Arrays.fill(unwrapped, (byte) 0);
        }
    }

    private static EncryptionProtocol boundProtocol(byte[] unwrapped) {
        if (unwrapped.length != PREFIX_LENGTH + ContentKey.LENGTH) {
            return null;
        }
        for (EncryptionProtocol p : EncryptionProtocol.values()) {
            if (p != EncryptionProtocol.V1_0 && Arrays.equals(unwrapped, 0, PREFIX_LENGTH, prefix(p), 0, PREFIX_LENGTH)) {
                return p;
            }
        }
        return null;
    }

    private static byte[] prefix(EncryptionProtocol protocol) {
        return Arrays.copyOf(protocol.wireValue().getBytes(StandardCharsets.US_ASCII), PREFIX_LENGTH);
    }
}
