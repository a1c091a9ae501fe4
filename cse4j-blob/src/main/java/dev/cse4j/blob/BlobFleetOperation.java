package dev.cse4j.blob;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ParallelTransferOptions;
import dev.cse4j.blob.implementation.TransferTuning;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.implementation.EncryptionSettings;
import dev.cse4j.core.implementation.FleetKeys;
import dev.cse4j.fleet.EncryptionState;
import dev.cse4j.fleet.FailureClass;
import dev.cse4j.fleet.FleetAction;
import dev.cse4j.fleet.FleetObject;
import dev.cse4j.fleet.FleetOperation;
import dev.cse4j.fleet.FleetOptions;
import dev.cse4j.fleet.FleetOutcome;
import dev.cse4j.fleet.FleetResult;
import dev.cse4j.fleet.FleetSummary;

import java.io.OutputStream;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A fleet operation over the blobs of one container: rewrap, migrate or verify ({@link FleetOptions#action()}),
 * applied to blobs as their listing shows them ({@link BlobRef}, from {@link BlobListing}). Set up once, then
 * {@link #apply} one blob at a time from any thread, or {@link #applyAll} / {@link #run} many with bounded
 * concurrency. The same code serves the library, the {@code cse4j blob rewrap|migrate|verify} commands and the
 * Spark job.
 *
 * <h2>Keys</h2>
 * Given as {@link ClientSideEncryptionOptions}: the key resolver (and key) that <em>read</em> the blobs, and, to
 * write, the key encryption key ({@code key(kek, algorithm)}). The resolver is put behind a
 * {@link dev.cse4j.keys.CachingKeyEncryptionKeyResolver} (unless it is one), so each key id is resolved once, not
 * per blob. Every
 * blob costs exactly one unwrap (its content key) and, if it is written, one wrap; a dry run unwraps and wraps
 * nothing (it only resolves each stored key id, through the cache, to report keys that are missing).
 *
 * <h2>What each action does with a blob</h2>
 * <ul>
 *   <li><b>rewrap</b> (needs a key encryption key): the content key is re-wrapped with the key encryption key
 *       ({@link EncryptedBlobClient#rotateClientSideEncryptionKey()} does the same for one blob), and the metadata
 *       is written back in one request conditioned on the listed ETag. The listing's metadata is enough: no other
 *       request. Stored bytes, headers, tags, tier and every other metadata entry stay as they are. Works for 1.0,
 *       2.0 and 2.1 (no data is decrypted); the protocol is kept. Done (skipped) when the stored key id and
 *       algorithm are the key encryption key's.</li>
 *   <li><b>migrate</b>: re-encrypts the blob as protocol 2.0 under a fresh content key, wrapped by the key
 *       encryption key, or, if the options have none, by the key that wrapped the source (its algorithm too),
 *       replacing it only if it did not change meanwhile, then reads it back and compares (see
 *       {@link BlobMigration}). Reads 1.0 blobs (migration is the explicit opt-in). Done (skipped) when the blob
 *       is 2.0 (under the key encryption key's id, if there is one); 2.1 and 1.0 blobs, and 2.0 blobs under another
 *       key when there is a key encryption key, are migrated. Unencrypted blobs are skipped unless
 *       {@link FleetOptions#isIncludeUnencrypted()} (which needs a key encryption key). Page and append blobs are
 *       skipped (migrate writes block blobs).</li>
 *   <li><b>verify</b>: reads and authenticates every region of the blob (the version listed), discarding the
 *       plaintext. Legacy 1.0 blobs need {@code allowUnauthenticatedV1Reads(true)} in the options (else they fail
 *       by policy, from the listing alone) and are reported verified with a caveat: 1.0 cannot be authenticated. An
 *       unencrypted blob fails by policy (reason {@code not encrypted: ...}).</li>
 * </ul>
 * Every action skips archived blobs (reason {@code archived}) and reports invalid encryption metadata as a failure
 * (integrity). Skip reasons are fixed words: {@code already done}, {@code not encrypted}, {@code archived},
 * {@code not a block blob}, {@code deleted} (since it was listed).
 *
 * <h2>Resumable</h2>
 * What is done shows in the listing (key id, protocol), so running an operation again after an interruption skips
 * the finished blobs without a request each and finishes the rest. Every write is conditioned on the ETag read, so
 * a blob a concurrent writer changed is never overwritten: it is reported failed ({@code modified since it was
 * listed}) and a later run processes it.
 *
 * <h2>Snapshots and versions</h2>
 * Only base blobs are processed. Snapshots and earlier versions keep their old format and their old wrapped key
 * (readable with the old key only); a migration that replaces a blob makes its old form a version where the account
 * keeps versions.
 *
 * <h2>Memory</h2>
 * Migrate and verify stream each blob in 4 MiB blocks, {@code T = max(1, 8 / concurrency)} in flight per blob
 * (plus the block a migration's download is handing to its upload), so memory grows with the concurrency, never
 * with the blob sizes; 2.1 blobs with regions over 4 MiB hold one region per block.
 *
 * <p>The repository's {@code docs/fleet-operations.md} describes the operations, their guarantees and the
 * {@code cse4j blob list|rewrap|migrate|verify} commands built on them.
 */
public final class BlobFleetOperation implements FleetOperation<BlobRef> {
    /** Plaintext bytes per block of the transfers of migrate and verify. */
    static final long BLOCK = TransferTuning.DEFAULT_BLOCK_SIZE;

    private final BlobContainerClient container;
    private final FleetOptions options;
    private final EncryptionSettings settings;
    private final String newKeyId;
    private final String newAlgorithm;
    private final ParallelTransferOptions transfer;
    private final BlobMigration migration;

    private BlobFleetOperation(BlobContainerClient container, FleetOptions options, ClientSideEncryptionOptions keys) {
        this.container = container;
        this.options = options;
        ClientSideEncryptionOptions cached = FleetKeys.cached(keys);
        ClientSideEncryptionOptions given = options.action() == FleetAction.VERIFY
            ? cached.toBuilder().requireEncryption(true).build() : cached;
        this.settings = EncryptionSettings.of(given);
        this.newKeyId = keys.canEncrypt() ? settings.contentKeys().keyId() : null;
        this.newAlgorithm = keys.getKeyWrapAlgorithm();
        int perBlob = Math.max(1, TransferTuning.DEFAULT_MAX_CONCURRENCY / options.concurrency());
        this.transfer = new ParallelTransferOptions().setBlockSizeLong(BLOCK).setMaxConcurrency(perBlob)
            .setMaxSingleUploadSizeLong(BLOCK * perBlob);
        if (options.action() == FleetAction.REWRAP && newKeyId == null) {
            throw new IllegalStateException("rewrap needs the key encryption key to wrap with: set "
                + "key(keyEncryptionKey, keyWrapAlgorithm) in the options, and the keys to unwrap with as "
                + "keyResolver(...).");
        }
        if (options.isIncludeUnencrypted() && newKeyId == null) {
            throw new IllegalStateException("Migrating unencrypted blobs needs a key encryption key to encrypt them "
                + "with: set key(keyEncryptionKey, keyWrapAlgorithm) in the options.");
        }
        this.migration = options.action() != FleetAction.MIGRATE ? null : new BlobMigration(
            EncryptionSettings.of(cached.toBuilder().allowUnauthenticatedV1Reads(true)
                .requireEncryption(!options.isIncludeUnencrypted()).build()),
            writers(cached, settings), transfer);
    }

    /**
     * An operation on the blobs of {@code container}.
     *
     * @param keys the keys that read the blobs (resolver, key) and, for rewrap and migrate, the key encryption key
     *     that writes; the read policy of verify (1.0 opt-in) is theirs
     * @throws IllegalStateException if rewrap has no key encryption key, or unencrypted blobs are to be migrated
     *     without one
     */
    public static BlobFleetOperation create(BlobContainerClient container, FleetOptions options,
        ClientSideEncryptionOptions keys) {
        return new BlobFleetOperation(Objects.requireNonNull(container, "container"),
            Objects.requireNonNull(options, "options"), Objects.requireNonNull(keys, "keys"));
    }

    /** An operation on the blobs of {@code container}, with its client-side encryption options as the keys. */
    public static BlobFleetOperation create(EncryptedBlobContainerClient container, FleetOptions options) {
        return create(container.blobContainerClient(), options, container.getClientSideEncryptionOptions());
    }

    @Override
    public FleetOptions options() {
        return options;
    }

    /** The container's name. */
    public String getContainerName() {
        return container.getBlobContainerName();
    }

    /**
     * Applies the operation to every blob whose name starts with {@code prefix} ({@code null}: the whole
     * container), listed with metadata as the work goes, {@link FleetOptions#concurrency()} at a time.
     */
    public FleetSummary run(String prefix, Consumer<? super FleetResult> sink) {
        return applyAll(BlobListing.list(container, prefix), sink);
    }

    @Override
    public FleetResult apply(BlobRef blob) {
        FleetObject object = FleetObject.blob(container.getBlobContainerName(), blob.getName());
        BlobEncryptionInfo info = blob.getEncryptionInfo();
        EncryptionData data = info.getEncryptionData();
        EncryptionState from = EncryptionState.of(data);
        if (info.isEncrypted() && data == null) {
            return FleetResult.failed(object, from, FailureClass.INTEGRITY, "Malformed encryption metadata: "
                + info.getError());
        }
        try {
            switch (options.action()) {
                case REWRAP:
                    return rewrap(object, blob, data, from);
                case MIGRATE:
                    return migrate(object, blob, data, from);
                default:
                    return verify(object, blob, data, from);
            }
        } catch (RuntimeException e) {
            if (isFatal(e)) {
                throw e;
            }
            return failure(object, from, e);
        }
    }

    private FleetResult rewrap(FleetObject object, BlobRef blob, EncryptionData data, EncryptionState from) {
        if (data == null) {
            return FleetResult.skipped(object, from, "not encrypted");
        }
        if (newKeyId.equals(data.wrappedContentKey().keyId())
            && Objects.equals(newAlgorithm, data.wrappedContentKey().algorithm())) {
            return FleetResult.skipped(object, from, "already done");
        }
        if (blob.isArchived()) {
            return FleetResult.skipped(object, from, "archived");
        }
        EncryptionState to = new EncryptionState(data.protocol().wireValue(), newKeyId);
        if (options.isDryRun()) {
            settings.contentKeys().keyFor(data.wrappedContentKey().keyId());
            return FleetResult.wrote(object, FleetOutcome.WOULD_REWRAP, from, to);
        }
        BlobRewrap.Rewrapped rewrapped = BlobRewrap.rewrap(blob.getMetadata(), settings, what(object));
        container.getBlobClient(blob.getName()).setMetadataWithResponse(rewrapped.metadata(),
            new BlobRequestConditions().setIfMatch(blob.getETag()), null, Context.NONE);
        return FleetResult.wrote(object, FleetOutcome.REWRAPPED, from, EncryptionState.of(rewrapped.after()));
    }

    private FleetResult migrate(FleetObject object, BlobRef blob, EncryptionData data, EncryptionState from) {
        if (data == null && !options.isIncludeUnencrypted()) {
            return FleetResult.skipped(object, from, "not encrypted");
        }
        if (data != null && data.protocol() == EncryptionProtocol.V2_0
            && (newKeyId == null || newKeyId.equals(data.wrappedContentKey().keyId()))) {
            return FleetResult.skipped(object, from, "already done");
        }
        if (blob.isArchived()) {
            return FleetResult.skipped(object, from, "archived");
        }
        if (blob.getBlobType() != null && !"BlockBlob".equals(blob.getBlobType())) {
            return FleetResult.skipped(object, from, "not a block blob");
        }
        if (options.isDryRun()) {
            if (data != null) {
                settings.contentKeys().keyFor(data.wrappedContentKey().keyId());
            }
            return FleetResult.wrote(object, FleetOutcome.WOULD_MIGRATE, from, new EncryptionState(
                EncryptionProtocol.V2_0.wireValue(), newKeyId != null ? newKeyId : data.wrappedContentKey().keyId()));
        }
        EncryptionData after = migration.migrate(container.getBlobClient(blob.getName()), blob, what(object));
        return FleetResult.wrote(object, FleetOutcome.MIGRATED, from, EncryptionState.of(after));
    }

    private FleetResult verify(FleetObject object, BlobRef blob, EncryptionData data, EncryptionState from) {
        if (blob.isArchived()) {
            return FleetResult.skipped(object, from, "archived");
        }
        if (data == null) {
            return FleetResult.failed(object, from, FailureClass.POLICY, "not encrypted: it has no encryption "
                + "metadata, so there is nothing to authenticate");
        }
        if (data.protocol() == EncryptionProtocol.V1_0 && !settings.allowUnauthenticatedV1Reads()) {
            return FleetResult.failed(object, from, FailureClass.POLICY, "protocol 1.0 (AES-CBC) is not "
                + "authenticated and is decrypted only on the opt-in to unauthenticated 1.0 reads; migrate it to 2.0");
        }
        new EncryptedBlobClient(container.getBlobClient(blob.getName()), settings, transfer)
            .downloadStreamWithResponse(OutputStream.nullOutputStream(), new EncryptedBlobDownloadStreamOptions()
                .setRequestConditions(new BlobRequestConditions().setIfMatch(blob.getETag()))
                .setParallelTransferOptions(transfer), null, Context.NONE);
        return FleetResult.verified(object, from, data != null && data.protocol() == EncryptionProtocol.V1_0
            ? "protocol 1.0 is not authenticated: it decrypted with valid padding, which does not show it is "
            + "unmodified" : null);
    }

    /** What a per-blob failure is reported as. */
    private FleetResult failure(FleetObject object, EncryptionState from, RuntimeException e) {
        if (e instanceof BlobMigration.ReadBackException) {
            return FleetResult.failed(object, from, e);
        }
        BlobStorageException service = storageException(e);
        if (service == null) {
            return FleetResult.failed(object, from, e);
        }
        BlobErrorCode code = service.getErrorCode();
        if (service.getStatusCode() == 404) {
            return FleetResult.skipped(object, from, "deleted");
        }
        if (BlobErrorCode.BLOB_ARCHIVED.equals(code)) {
            return FleetResult.skipped(object, from, "archived");
        }
        if (BlobErrorCode.CONDITION_NOT_MET.equals(code) || service.getStatusCode() == 412
            && !BlobErrorCode.LEASE_ID_MISSING.equals(code)) {
            return FleetResult.failed(object, from, FailureClass.OTHER, "modified since it was listed (its ETag "
                + "changed): nothing was " + (options.action() == FleetAction.VERIFY ? "verified" : "written")
                + "; run again to process it");
        }
        return FleetResult.failed(object, from, FailureClass.OTHER, "the storage service refused: HTTP "
            + service.getStatusCode() + (code == null ? "" : " " + code) + (BlobErrorCode.LEASE_ID_MISSING
            .equals(code) ? " (the blob is leased; release the lease and run again)" : ""));
    }

    /** Failures of the whole operation, not of one blob: no permission, no container. */
    private static boolean isFatal(RuntimeException e) {
        BlobStorageException service = storageException(e);
        return service != null && (service.getStatusCode() == 401 || service.getStatusCode() == 403
            || BlobErrorCode.CONTAINER_NOT_FOUND.equals(service.getErrorCode()));
    }

    private static BlobStorageException storageException(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof BlobStorageException storage) {
                return storage;
            }
        }
        return null;
    }

    private static String what(FleetObject object) {
        return "Blob '" + object + "'";
    }

    /**
     * What writes a migrated blob, protocol 2.0: the key encryption key of the options, if they have one; else the
     * key that wrapped the source, with the source's algorithm (resolved through the cached resolver).
     */
    private static Function<EncryptionData, ClientSideEncryptionOptions> writers(ClientSideEncryptionOptions keys,
        EncryptionSettings reader) {
        return source -> FleetKeys.writer(keys, reader, source).blobProtocol(EncryptionProtocol.V2_0).build();
    }

    @Override
    public String toString() {
        return "BlobFleetOperation[" + container.getBlobContainerName() + ", " + options + "]";
    }
}
