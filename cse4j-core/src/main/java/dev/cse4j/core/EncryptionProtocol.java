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
 *   <li>{@link #CSE4J_TABLE_1}: cse4j's own authenticated <b>table entity</b> format: AES-256-GCM per property,
 *       with associated data binding each value to its entity (PartitionKey, RowKey) and property name, and an
 *       authenticated list of the encrypted names (docs/table-format.md). Valid only on table entities: it has no
 *       regions and no IV. Microsoft's SDKs have no equivalent; their legacy table readers reject it.</li>
 * </ul>
 *
 * <p>Every protocol but 1.0 binds its wire value into the wrapped content key as an 8-byte prefix, so a wire value
 * is at most 8 ASCII bytes.
 */
public enum EncryptionProtocol {
    V1_0("1.0", "AES_CBC_256"),
    V2_0("2.0", "AES_GCM_256"),
    V2_1("2.1", "AES_GCM_256"),
    CSE4J_TABLE_1("cse4j-t1", "AES_GCM_256_AAD");

    private final String wireValue;
    private final String encryptionAlgorithm;

    EncryptionProtocol(String wireValue, String encryptionAlgorithm) {
        if (wireValue.length() > 8) {
            throw new AssertionError("A protocol wire value is bound into an 8-byte key prefix: " + wireValue);
        }
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

    /** Whether this protocol authenticates its data (AES-GCM regions or, for tables, AES-GCM values). */
    public boolean isAuthenticated() {
        return this != V1_0;
    }

    /** Whether this protocol stores its data as GCM regions with {@code EncryptedRegionInfo}: 2.0 and 2.1. */
    public boolean usesRegions() {
        return this == V2_0 || this == V2_1;
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
            + "' in EncryptionAgent.Protocol: cse4j reads 1.0, 2.0, 2.1 and (table entities) "
            + "cse4j-t1. The data was written by a newer or unknown client, or its metadata was modified.");
    }

    @Override
    public String toString() {
        return wireValue;
    }
}
