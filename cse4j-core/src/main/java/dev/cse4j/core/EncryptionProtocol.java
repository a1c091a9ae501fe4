package dev.cse4j.core;

/**
 * The client-side encryption protocol versions cse4j reads and writes, as stored in
 * {@code EncryptionAgent.Protocol}.
 *
 * <ul>
 *   <li>{@link #V1_0}: AES-256-CBC with PKCS#7 padding, one random IV per object. <b>Unauthenticated</b>: the
 *       ciphertext is malleable and decryption errors form a padding oracle (CVE-2022-30187). Read only on explicit
 *       opt-in; written only for legacy table readers.</li>
 *   <li>{@link #V2_0}: AES-256-GCM over regions of 4 MiB, each stored as {@code nonce(12) ‖ ciphertext ‖ tag(16)};
 *       the wrapped content key is bound to the version string.</li>
 *   <li>{@link #V2_1}: as 2.0 with a region length chosen by the writer, 16 B to 1 GiB.</li>
 * </ul>
 */
public enum EncryptionProtocol {
    V1_0("1.0", "AES_CBC_256"),
    V2_0("2.0", "AES_GCM_256"),
    V2_1("2.1", "AES_GCM_256");

    private final String wireValue;
    private final String encryptionAlgorithm;

    EncryptionProtocol(String wireValue, String encryptionAlgorithm) {
        this.wireValue = wireValue;
        this.encryptionAlgorithm = encryptionAlgorithm;
    }

    /** The value of {@code EncryptionAgent.Protocol}, e.g. {@code "2.0"}. */
    public String wireValue() {
        return wireValue;
    }

    /** The value of {@code EncryptionAgent.EncryptionAlgorithm} this protocol requires. */
    public String encryptionAlgorithm() {
        return encryptionAlgorithm;
    }

    /** Whether this protocol authenticates its data (AES-GCM regions). */
    public boolean isAuthenticated() {
        return this != V1_0;
    }

    /**
     * The protocol stored as {@code wireValue}.
     *
     * @throws MalformedEncryptionDataException if the value is not a protocol this version of cse4j reads
     */
    public static EncryptionProtocol fromWireValue(String wireValue) {
        for (EncryptionProtocol p : values()) {
            if (p.wireValue.equals(wireValue)) {
                return p;
            }
        }
        throw new MalformedEncryptionDataException("Unsupported encryption protocol '" + wireValue
            + "' in EncryptionAgent.Protocol: cse4j reads 1.0, 2.0 and 2.1. The data was written by a newer or "
            + "unknown client, or its metadata was modified.");
    }

    @Override
    public String toString() {
        return wireValue;
    }
}
