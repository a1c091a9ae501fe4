package dev.cse4j.blob;

import dev.cse4j.blob.implementation.BlobEncryptionMetadata;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.implementation.Blocking;
import dev.cse4j.core.implementation.EncryptionSettings;

import java.util.Map;

/**
 * Re-wrapping a blob's content key (key rotation), the one implementation behind
 * {@link EncryptedBlobClient#rotateClientSideEncryptionKey()} and {@link BlobFleetOperation}'s rewrap: the content
 * key is unwrapped with the key that wrapped it and wrapped with the configured key encryption key, for the same
 * protocol (the protocol prefix of 2.x keys is kept, docs/formats.md §3.2). Only {@code WrappedContentKey} of the
 * {@code encryptiondata} entry changes; the rest of the record (protocol, IV or region info, the writer's
 * {@code KeyWrappingMetadata}) is kept, written in cse4j's form (docs/formats.md §2.2). Every other metadata entry is
 * kept exactly, so is the data: stored bytes, headers and tags are untouched.
 */
final class BlobRewrap {
    private BlobRewrap() {
    }

    /** The metadata to write back, and the record before and after. */
    record Rewrapped(Map<String, String> metadata, EncryptionData before, EncryptionData after) {
    }

    /**
     * One unwrap with the key that wrapped the content key, one wrap with {@code settings}' key encryption key.
     *
     * @param stored the blob's metadata as stored, {@code encryptiondata} included
     * @param what the blob, for messages, e.g. {@code "Blob 'c/b'"}
     * @throws IllegalStateException if the blob is not encrypted, or {@code settings} have no key encryption key
     * @throws dev.cse4j.core.MalformedEncryptionDataException if the metadata is invalid
     * @throws dev.cse4j.core.KeyResolutionException if no key unwraps it
     * @throws dev.cse4j.core.KeyWrapException if a key fails to unwrap or wrap
     * @throws dev.cse4j.core.IntegrityException if the content key was wrapped for another protocol
     */
    static Rewrapped rewrap(Map<String, String> stored, EncryptionSettings settings, String what) {
        settings.checkCanEncrypt("re-wrap a content key");
        EncryptionData before = BlobEncryptionMetadata.parse(stored);
        if (before == null) {
            throw new IllegalStateException(what + " is not encrypted: it has no content key to re-wrap.");
        }
        EncryptionData after = Blocking.await(settings.contentKeys().rewrap(before, Blocking.ALLOWED));
        return new Rewrapped(BlobEncryptionMetadata.replacingEncryptionData(stored, after.toJsonString()), before,
            after);
    }
}
