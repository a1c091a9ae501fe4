package dev.cse4j.blob;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.models.ParallelTransferOptions;
import dev.cse4j.blob.implementation.BlobEncryptionMetadata;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.IntegrityException;
import dev.cse4j.core.implementation.EncryptionSettings;
import dev.cse4j.core.implementation.ReadBackKey;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.function.Function;

/**
 * Migrates one blob to protocol 2.0 under a fresh content key, for {@link BlobFleetOperation}, through the same
 * download and upload paths as every client. In this order:
 * <ol>
 *   <li>the source's properties (headers, metadata, tier) are read at the version listed ({@code If-Match} on its
 *       listed ETag), then its tags;</li>
 *   <li>its plaintext streams from a download of that version (its content key unwrapped once; every 2.x region and
 *       its integrity record authenticated as it is read) into an upload (bounded memory: a few blocks in flight,
 *       never the blob), its SHA-256 taken on the way;</li>
 *   <li>the new blob is committed (Put Blob, or Put Block List after staging) with the source's user metadata,
 *       tags, content headers (type, encoding, language, disposition, cache control; not its MD5, which was of the
 *       old bytes) and explicit tier, <em>only if the source is still the version read</em> ({@code If-Match}): a
 *       concurrent writer's data is never overwritten;</li>
 *   <li>the new blob is read back (that version only: {@code If-Match} on the ETag the commit returned), its
 *       metadata, integrity record and every region authenticated, with the new content key kept from its wrapping
 *       ({@link ReadBackKey}: no second unwrap), and its plaintext SHA-256 compared with the source's. Only then is
 *       it migrated.</li>
 * </ol>
 * One unwrap (the source's content key) and one wrap (the new one) per blob. A failure before the commit leaves
 * the source as it was (uncommitted blocks expire); a failure of the read-back after the commit is a
 * {@link ReadBackException} saying so.
 *
 * <p>Blob index tags are not versioned by the ETag: tags set by someone else between the read of the tags and the
 * commit are replaced by the ones read.
 */
final class BlobMigration {
    private final EncryptionSettings read;
    private final Function<EncryptionData, ClientSideEncryptionOptions> write;
    private final ParallelTransferOptions transfer;

    /**
     * @param read reads the sources (1.0 allowed; unencrypted allowed if they are to be encrypted)
     * @param write the options that write a source's new version (its key encryption key and wrap algorithm), by the
     *     source's encryption metadata ({@code null} for an unencrypted source)
     * @param transfer block size, blocks in flight and single-upload limit of each blob's transfers
     */
    BlobMigration(EncryptionSettings read, Function<EncryptionData, ClientSideEncryptionOptions> write,
        ParallelTransferOptions transfer) {
        this.read = read;
        this.write = write;
        this.transfer = transfer;
    }

    /**
     * Migrates the blob {@code ref} names, if it is still the version {@code ref} lists.
     *
     * @return the new blob's encryption metadata
     * @throws BlobStorageException with status 412 if the blob changed since it was listed (nothing was written)
     * @throws ReadBackException if the blob was replaced but could not be read back and compared
     */
    EncryptionData migrate(BlobClient blob, BlobRef ref, String what) {
        BlobProperties properties = blob.getPropertiesWithResponse(new BlobRequestConditions()
            .setIfMatch(ref.getETag()), null, Context.NONE).getValue();
        Map<String, String> tags = blob.getTags();
        EncryptionData source = BlobEncryptionMetadata.parse(properties.getMetadata());
        Long length = BlobEncryptionInfo.of(properties.getMetadata(), properties.getBlobSize()).getPlaintextLength();
        BlobRequestConditions unchanged = new BlobRequestConditions().setIfMatch(properties.getETag());
        ClientSideEncryptionOptions writer = write.apply(source);
        try (ReadBackKey newKey = new ReadBackKey(writer.getKeyEncryptionKey())) {
            MessageDigest sourceDigest = sha256();
            BlockBlobItem committed;
            try (InputStream plaintext = new DigestInputStream(new EncryptedBlobClient(blob, read, transfer)
                .openInputStream(null, unchanged), sourceDigest)) {
                EncryptedBlobUploadOptions upload = length == null ? new EncryptedBlobUploadOptions(plaintext)
                    : new EncryptedBlobUploadOptions(plaintext, length);
                upload.setHeaders(headers(properties))
                    .setMetadata(BlobEncryptionMetadata.userMetadata(properties.getMetadata()))
                    .setTags(tags.isEmpty() ? null : tags)
                    .setTier(Boolean.FALSE.equals(properties.isAccessTierInferred()) ? properties.getAccessTier()
                        : null)
                    .setRequestConditions(unchanged).setParallelTransferOptions(transfer);
                committed = new EncryptedBlobClient(blob, EncryptionSettings.of(writer.toBuilder()
                    .key(newKey.writer(), writer.getKeyWrapAlgorithm()).build()), transfer)
                    .uploadWithResponse(upload, null, Context.NONE).getValue();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return readBack(blob, committed.getETag(), newKey, writer, sourceDigest.digest(), what);
        }
    }

    /** Reads the committed version back with the new content key and compares its plaintext with the source's. */
    private EncryptionData readBack(BlobClient blob, String eTag, ReadBackKey newKey,
        ClientSideEncryptionOptions writer, byte[] sourceSha256, String what) {
        MessageDigest digest = sha256();
        EncryptedBlobProperties written;
        try {
            written = new EncryptedBlobClient(blob, EncryptionSettings.of(ClientSideEncryptionOptions.builder()
                .key(newKey.reader(), writer.getKeyWrapAlgorithm()).requireIntegrityRecord(true)
                .cryptoProvider(writer.getCryptoProvider()).build()), transfer)
                .downloadStreamWithResponse(new DigestOutputStream(OutputStream.nullOutputStream(), digest),
                    new EncryptedBlobDownloadStreamOptions().setRequestConditions(new BlobRequestConditions()
                        .setIfMatch(eTag)).setParallelTransferOptions(transfer), null, Context.NONE).getValue();
        } catch (RuntimeException e) {
            throw new ReadBackException(what, e);
        }
        if (!MessageDigest.isEqual(digest.digest(), sourceSha256)) {
            throw new ReadBackException(what, new IntegrityException(what + " reads back other data than its source "
                + "(the SHA-256 of the plaintext differs)."));
        }
        EncryptionData data = written.getEncryptionData();
        if (data == null || data.protocol() != EncryptionProtocol.V2_0) {
            throw new ReadBackException(what, new IntegrityException(what + " reads back without protocol 2.0 "
                + "encryption metadata."));
        }
        return data;
    }

    /** The content headers a migrated blob keeps: not the MD5, which was of the old stored bytes. */
    private static BlobHttpHeaders headers(BlobProperties properties) {
        return new BlobHttpHeaders().setContentType(properties.getContentType())
            .setContentEncoding(properties.getContentEncoding()).setContentLanguage(properties.getContentLanguage())
            .setContentDisposition(properties.getContentDisposition()).setCacheControl(properties.getCacheControl());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JDK has no SHA-256", e);
        }
    }

    /**
     * The new version was committed (the source is replaced), but reading it back failed or gave other data: the
     * cause says which.
     */
    static final class ReadBackException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReadBackException(String what, RuntimeException cause) {
            super(what + " was re-encrypted and committed (the source version is replaced), but "
                + (cause instanceof IntegrityException ? "" : "could not be ") + "read back and compared: "
                + cause.getMessage() + " Restore the source from a snapshot, an earlier version or soft delete if "
                + "the account keeps them, or check the blob with verify.", cause);
        }
    }
}
