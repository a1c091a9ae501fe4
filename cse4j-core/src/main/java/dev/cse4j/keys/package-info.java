/**
 * Key encryption keys that live in the application: AES key wrap and RSA keys, loaded from JSON Web Key files or
 * made in code, and a resolver over a JWK Set.
 *
 * <p>cse4j takes its key encryption key (KEK) as the Azure SDK's
 * {@link com.azure.core.cryptography.KeyEncryptionKey} or {@link com.azure.core.cryptography.AsyncKeyEncryptionKey},
 * and finds keys for reading through {@link com.azure.core.cryptography.KeyEncryptionKeyResolver} or
 * {@link com.azure.core.cryptography.AsyncKeyEncryptionKeyResolver}. Any implementation works, so an Azure Key Vault
 * key (from {@code KeyEncryptionKeyClientBuilder}) plugs in with no adapter. This package adds local keys:
 *
 * <ul>
 *   <li>{@link dev.cse4j.keys.AesKeyWrapKey}: {@code A128KW}, {@code A192KW}, {@code A256KW} (RFC 3394);</li>
 *   <li>{@link dev.cse4j.keys.RsaKeyEncryptionKey}: {@code RSA-OAEP-256}, {@code RSA-OAEP}, and {@code RSA1_5} for
 *       unwrapping old data only;</li>
 *   <li>{@link dev.cse4j.keys.JsonWebKey} and {@link dev.cse4j.keys.JsonWebKeySet}: key files (RFC 7517), with key
 *       generation and owner-only writing;</li>
 *   <li>{@link dev.cse4j.keys.JsonWebKeySetResolver}: finds a set's key by the key id stored with the data;</li>
 *   <li>{@link dev.cse4j.keys.CachingKeyEncryptionKeyResolver} and
 *       {@link dev.cse4j.keys.CachingAsyncKeyEncryptionKeyResolver} ({@link dev.cse4j.keys.KeyCacheOptions}): put in
 *       front of any resolver (Key Vault's above all), they resolve each key id once for many objects.</li>
 * </ul>
 *
 * <p>The algorithm names ({@link dev.cse4j.keys.KeyWrapAlgorithm}) are Key Vault's, so data wrapped by a local key
 * unwraps with the same key in Key Vault and the other way round.
 *
 * <p>Key material never appears in a {@code toString()}, a log line or an exception message. Failures to wrap or
 * unwrap are {@link dev.cse4j.core.KeyWrapException}s; unusable key files are
 * {@link dev.cse4j.keys.JsonWebKeyException}s.
 */
package dev.cse4j.keys;
