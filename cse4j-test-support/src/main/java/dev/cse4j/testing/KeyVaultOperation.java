package dev.cse4j.testing;

/** The Key Vault keys operations {@link KeyVaultServer} serves and counts. */
public enum KeyVaultOperation {
    /** {@code GET /keys/{name}[/{version}]}: the key's public parts and attributes. */
    GET_KEY,
    /** {@code POST /keys/{name}[/{version}]/wrapkey}: encrypts a key with the vault key. */
    WRAP_KEY,
    /** {@code POST /keys/{name}[/{version}]/unwrapkey}: decrypts a wrapped key with the vault key. */
    UNWRAP_KEY
}
