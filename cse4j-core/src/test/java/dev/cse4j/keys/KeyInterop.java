package dev.cse4j.keys;

import com.azure.core.cryptography.KeyEncryptionKey;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Two keys of the same material from different libraries, shown to unwrap each other's wraps. */
final class KeyInterop {
    /** A v2 content key as wrapped: "2.0", five zero bytes, 32 key bytes. */
    static final byte[] CONTENT_KEY =
        "2.0\0\0\0\0\0a 32-byte content encryption key".getBytes(StandardCharsets.US_ASCII);

    private KeyInterop() {
    }

    /** Each key unwraps what the other wrapped, and both have one key id; returns what {@code theirs} wrapped. */
    static byte[] assertEachUnwrapsTheOthersWrap(KeyEncryptionKey theirs, KeyEncryptionKey ours, String algorithm) {
        byte[] wrappedByThem = theirs.wrapKey(algorithm, CONTENT_KEY);
        byte[] wrappedByUs = ours.wrapKey(algorithm, CONTENT_KEY);

        assertThat(ours.unwrapKey(algorithm, wrappedByThem)).isEqualTo(CONTENT_KEY);
        assertThat(theirs.unwrapKey(algorithm, wrappedByUs)).isEqualTo(CONTENT_KEY);
        assertThat(theirs.getKeyId()).isEqualTo(ours.getKeyId());
        return wrappedByThem;
    }
}
