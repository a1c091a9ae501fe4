package dev.cse4j.keys;

/**
 * Names of the key wrap algorithms the built-in keys implement, spelled as Azure Key Vault and JSON Web Algorithms
 * (RFC 7518) spell them. They are stored with the data ({@code WrappedContentKey.Algorithm}) and passed as the
 * {@code algorithm} argument of {@link com.azure.core.cryptography.KeyEncryptionKey#wrapKey(String, byte[])} and
 * {@code unwrapKey}.
 *
 * <p>These are plain strings, not an enum, on purpose: the algorithm in stored metadata is opaque and is handed back
 * to whatever key unwraps it, so a key from another library may support names that are not listed here.
 *
 * <table>
 *   <caption>Algorithms</caption>
 *   <tr><th>name</th><th>key</th><th>what</th></tr>
 *   <tr><td>{@code A128KW}, {@code A192KW}, {@code A256KW}</td><td>AES 128, 192, 256 bits</td>
 *       <td>AES key wrap, RFC 3394, default initial value</td></tr>
 *   <tr><td>{@code RSA-OAEP-256}</td><td>RSA</td><td>RSAES-OAEP, SHA-256, MGF1 with SHA-256 (recommended)</td></tr>
 *   <tr><td>{@code RSA-OAEP}</td><td>RSA</td><td>RSAES-OAEP, SHA-1, MGF1 with SHA-1</td></tr>
 *   <tr><td>{@code RSA1_5}</td><td>RSA</td><td>RSAES-PKCS1-v1_5; unwrap only (insecure for new wraps)</td></tr>
 * </table>
 */
public final class KeyWrapAlgorithm {
    /** AES key wrap (RFC 3394) with a 128-bit key. */
    public static final String A128KW = "A128KW";
    /** AES key wrap (RFC 3394) with a 192-bit key. */
    public static final String A192KW = "A192KW";
    /** AES key wrap (RFC 3394) with a 256-bit key. */
    public static final String A256KW = "A256KW";
    /** RSAES-OAEP with SHA-1 and MGF1-SHA-1 (RFC 8017 defaults). */
    public static final String RSA_OAEP = "RSA-OAEP";
    /** RSAES-OAEP with SHA-256 and MGF1-SHA-256. The default for RSA keys. */
    public static final String RSA_OAEP_256 = "RSA-OAEP-256";
    /**
     * RSAES-PKCS1-v1_5. The built-in RSA key unwraps it to read old data but never wraps with it: it is open to
     * padding-oracle attacks.
     */
    public static final String RSA1_5 = "RSA1_5";

    private KeyWrapAlgorithm() {
    }
}
