package dev.cse4j.blob;

import com.azure.core.annotation.ServiceClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.RequestConditions;
import com.azure.core.http.rest.Response;
import com.azure.core.http.rest.SimpleResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.ProgressListener;
import com.azure.storage.blob.BlobAsyncClient;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.models.DeleteSnapshotsOptionType;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.options.BlobCopyFromUrlOptions;
import dev.cse4j.blob.implementation.BlobEncryptionMetadata;
import dev.cse4j.blob.implementation.BlobUpload;
import dev.cse4j.blob.implementation.BlobWrite;
import dev.cse4j.blob.implementation.CopySource;
import dev.cse4j.blob.implementation.FileDownload;
import dev.cse4j.blob.implementation.KeptMetadata;
import dev.cse4j.blob.implementation.OpenedBlob;
import dev.cse4j.blob.implementation.ParallelRegionDownloader;
import dev.cse4j.blob.implementation.PlaintextSource;
import dev.cse4j.blob.implementation.SourceFile;
import dev.cse4j.blob.implementation.TransferTuning;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.IntegrityRecord;
import dev.cse4j.core.implementation.Blocking;
import dev.cse4j.core.implementation.EncryptionSettings;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The asynchronous twin of {@link EncryptedBlobClient} (Project Reactor, as the Azure SDK's {@code BlobAsyncClient}):
 * a block blob whose content is encrypted on this machine before upload and decrypted after download, with the same
 * options, stored form and guarantees (see {@link EncryptedBlobClient} and docs/formats.md). Wraps (never extends) an
 * azure-storage-blob {@link BlobAsyncClient}. Get one from an {@link EncryptedBlobContainerAsyncClient} (sharing its
 * options and HTTP pipeline) or build one with {@link EncryptedBlobClientBuilder#buildEncryptedBlobAsyncClient()}.
 * Thread-safe. Nothing happens until a returned publisher is subscribed.
 *
 * <h2>One implementation</h2>
 * Both clients run the same code: the same metadata handling and policy, the same download plans and region order
 * check, the same region crypto, the same transfer engine ({@code ParallelRegionDownloader},
 * {@code ParallelRegionUploader}); the synchronous client waits for what this client returns. The module's README
 * (cse4j-blob/README.md) gives the decision and the end-to-end measurements behind it.
 *
 * <h2>Never blocking</h2>
 * No publisher of this client blocks the thread it is subscribed or signalled on: responses are read on the HTTP
 * client's event loop straight into the transfer's buffers; regions are encrypted and decrypted, and files written,
 * on cse4j's transfer scheduler (one thread per core); streams you give are read, and synchronous key encryption keys
 * and resolvers called, on {@link Schedulers#boundedElastic()}; asynchronous keys and resolvers
 * ({@code AsyncKeyEncryptionKey}, Key Vault's async client, {@code CachingAsyncKeyEncryptionKeyResolver}) are called
 * asynchronously end to end. A content key is drawn from the system's random source on
 * {@link Schedulers#boundedElastic()} too (it may read a device).
 *
 * <h2>Back-pressure, cancellation, failures</h2>
 * <ul>
 *   <li>A download {@link Flux} emits a chunk's plaintext (whole regions) only after every region of it verified;
 *       each emitted {@link ByteBuffer} is the subscriber's to keep. Chunks are fetched ahead only while buffers
 *       are free: memory is at most {@code maxConcurrency} chunks (default 4 × 4 MiB) however slowly the
 *       subscriber requests, plus what it keeps.</li>
 *   <li>An upload from a {@link Flux} requests one buffer at a time, only when a block buffer is free: memory is at
 *       most {@code maxConcurrency} blocks, whatever the length.</li>
 *   <li>Cancelling a transfer cancels its requests (their connections are closed, not reused), stops reading the
 *       source, commits nothing (an upload) or deletes its temporary file (a download to a file), and gives every
 *       buffer back to be zeroed.</li>
 *   <li>A failure mid-download (a tampered region, a replaced blob, the network) is signalled after the chunks
 *       already emitted, all verified; the chunk that failed and those after it emit nothing. The failures are the
 *       synchronous client's typed exceptions ({@code dev.cse4j.core}), as error signals.</li>
 * </ul>
 */
@ServiceClient(builder = EncryptedBlobClientBuilder.class, isAsync = true)
public final class EncryptedBlobAsyncClient {
    private final BlobAsyncClient blob;
    private final EncryptionSettings settings;
    private final EncryptionProtocol protocol;
    private final int regionLength;
    private final ParallelTransferOptions transferDefaults;

    EncryptedBlobAsyncClient(BlobAsyncClient blob, EncryptionSettings settings,
        ParallelTransferOptions transferDefaults) {
        this.blob = blob;
        this.settings = settings;
        this.protocol = settings.options().getBlobProtocol();
        this.regionLength = settings.options().getBlobRegionLength();
        this.transferDefaults = transferDefaults;
    }

    // ------------------------------------------------------------------ identity

    public String getBlobName() {
        return blob.getBlobName();
    }

    public String getContainerName() {
        return blob.getContainerName();
    }

    public String getAccountName() {
        return blob.getAccountName();
    }

    /** The blob's URL (with the snapshot, if this client is for one). */
    public String getBlobUrl() {
        return blob.getBlobUrl();
    }

    /** The snapshot this client reads, or {@code null}. */
    public String getSnapshotId() {
        return blob.getSnapshotId();
    }

    /** The version this client reads (accounts with blob versioning), or {@code null}. */
    public String getVersionId() {
        return blob.getVersionId();
    }

    /** The HTTP pipeline this client sends through (its container's, when it came from one). */
    public HttpPipeline getHttpPipeline() {
        return blob.getHttpPipeline();
    }

    /** The key, format and policy settings of this client. */
    public ClientSideEncryptionOptions getClientSideEncryptionOptions() {
        return settings.options();
    }

    /** The protocol this client writes. */
    public EncryptionProtocol getProtocol() {
        return protocol;
    }

    /** The region length this client writes (4 MiB for 2.0). */
    public int getRegionLength() {
        return regionLength;
    }

    /** A client for a snapshot of this blob, with the same keys and settings. */
    public EncryptedBlobAsyncClient getSnapshotClient(String snapshot) {
        return new EncryptedBlobAsyncClient(blob.getSnapshotClient(snapshot), settings, transferDefaults);
    }

    /**
     * A client for a version of this blob (accounts with blob versioning), with the same keys and settings. A version
     * keeps the encryption metadata it was written with: a rotation or migration changes only the current version.
     */
    public EncryptedBlobAsyncClient getVersionClient(String versionId) {
        return new EncryptedBlobAsyncClient(blob.getVersionClient(versionId), settings, transferDefaults);
    }

    // ------------------------------------------------------------------ existence and deletion

    public Mono<Boolean> exists() {
        return blob.exists();
    }

    public Mono<Response<Boolean>> existsWithResponse() {
        return blob.existsWithResponse();
    }

    public Mono<Void> delete() {
        return blob.delete();
    }

    public Mono<Response<Void>> deleteWithResponse(DeleteSnapshotsOptionType deleteSnapshots,
        BlobRequestConditions requestConditions) {
        return blob.deleteWithResponse(deleteSnapshots, requestConditions);
    }

    public Mono<Boolean> deleteIfExists() {
        return blob.deleteIfExists();
    }

    public Mono<Response<Boolean>> deleteIfExistsWithResponse(DeleteSnapshotsOptionType deleteSnapshots,
        BlobRequestConditions requestConditions) {
        return blob.deleteIfExistsWithResponse(deleteSnapshots, requestConditions);
    }

    // ------------------------------------------------------------------ upload

    /** Uploads {@code data} encrypted; fails if the blob exists. */
    public Mono<BlockBlobItem> upload(BinaryData data) {
        return upload(data, false);
    }

    /** Uploads {@code data} encrypted; with {@code overwrite} false, fails if the blob exists. */
    public Mono<BlockBlobItem> upload(BinaryData data, boolean overwrite) {
        return uploadWithResponse(new EncryptedBlobUploadOptions(data).setRequestConditions(noOverwrite(overwrite)))
            .map(Response::getValue);
    }

    /**
     * Uploads the buffers {@code data} publishes, of unknown length, encrypted; fails if the blob exists. The buffers
     * are requested one at a time as blocks need them (memory: the blocks in flight) and never modified.
     */
    public Mono<BlockBlobItem> upload(Flux<ByteBuffer> data, ParallelTransferOptions parallelTransferOptions) {
        return upload(data, parallelTransferOptions, false);
    }

    /** As {@link #upload(Flux, ParallelTransferOptions)}; with {@code overwrite} false, fails if the blob exists. */
    public Mono<BlockBlobItem> upload(Flux<ByteBuffer> data, ParallelTransferOptions parallelTransferOptions,
        boolean overwrite) {
        return uploadWithResponse(new EncryptedBlobUploadOptions(data)
            .setParallelTransferOptions(parallelTransferOptions).setRequestConditions(noOverwrite(overwrite)))
            .map(Response::getValue);
    }

    /**
     * Uploads encrypted, with metadata, tags, headers, tier and conditions written in the same request that creates
     * the blob. A stream in the options is read on {@link Schedulers#boundedElastic()}.
     *
     * @return the response of the request that created the blob; an error signal
     *     {@link EncryptionPolicyException} if the metadata has an {@code encryptiondata} key,
     *     {@link IllegalStateException} if this client has no key encryption key,
     *     {@link com.azure.core.exception.UnexpectedLengthException} if a stream of declared length ends early or
     *     has more bytes than declared (as the Azure SDK refuses it); nothing is committed then
     */
    public Mono<Response<BlockBlobItem>> uploadWithResponse(EncryptedBlobUploadOptions options) {
        Objects.requireNonNull(options, "options");
        return Mono.defer(() -> upload(options.source(), options.getLength() == null ? -1 : options.getLength(),
            write(options.getHeaders(), options.getMetadata(), options.getTags(), options.getTier(),
                options.getRequestConditions()), options.getParallelTransferOptions(),
            options.getProgressListener(), null));
    }

    /** Uploads a file encrypted; fails if the blob exists. */
    public Mono<Void> uploadFromFile(String filePath) {
        return uploadFromFile(filePath, false);
    }

    /** Uploads a file encrypted; with {@code overwrite} false, fails if the blob exists. */
    public Mono<Void> uploadFromFile(String filePath, boolean overwrite) {
        return uploadFromFileWithResponse(new EncryptedBlobUploadFromFileOptions(filePath)
            .setRequestConditions(noOverwrite(overwrite))).then();
    }

    /**
     * Uploads a file encrypted, with what the options add; the file is read on {@link Schedulers#boundedElastic()}.
     * As {@link EncryptedBlobClient#uploadFromFileWithResponse}, the file is uploaded as it was when the upload
     * started: if it grows, shrinks, is rewritten or replaced before it has been read to its end, nothing is
     * committed.
     *
     * @return the response of the request that created the blob; an error signal {@link UncheckedIOException} if
     *     the file cannot be read or is not a regular file, {@link com.azure.core.exception.UnexpectedLengthException}
     *     if its size changed while it was read, {@link java.util.ConcurrentModificationException} if it was modified
     *     or replaced while it was read
     */
    public Mono<Response<BlockBlobItem>> uploadFromFileWithResponse(EncryptedBlobUploadFromFileOptions options) {
        Objects.requireNonNull(options, "options");
        Path path = Path.of(options.getFilePath());
        BlobWrite write = write(options.getHeaders(), options.getMetadata(), options.getTags(), options.getTier(),
            options.getRequestConditions());
        return Mono.usingWhen(Mono.fromCallable(() -> OpenFile.of(SourceFile.of(path)))
                .subscribeOn(Schedulers.boundedElastic()),
            file -> upload(PlaintextSource.of(file.in()), file.source().size(), write,
                options.getParallelTransferOptions(), options.getProgressListener(), file.source()::checkUnchanged),
            file -> Mono.fromCallable(() -> {
                file.in().close();
                return true;
            }).subscribeOn(Schedulers.boundedElastic()).onErrorResume(e -> Mono.empty()).then());
    }

    /** A file being uploaded, and its stream. */
    private record OpenFile(SourceFile source, InputStream in) {
        static OpenFile of(SourceFile source) {
            try {
                return new OpenFile(source, Files.newInputStream(source.path()));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + source.path(), e);
            }
        }
    }

    /** @param sourceCheck run once the source is read to its end, before anything is committed, or {@code null} */
    private Mono<Response<BlockBlobItem>> upload(PlaintextSource source, long length, BlobWrite write,
        ParallelTransferOptions transferOptions, ProgressListener listener, Runnable sourceCheck) {
        TransferTuning tuning = TransferTuning.of(transferOptions, transferDefaults, regionLength, listener);
        return BlobUpload.upload(blob.getBlockBlobAsyncClient(), settings, source, length, write, tuning, sourceCheck,
            what(), Blocking.OFFLOADED);
    }

    private static BlobWrite write(com.azure.storage.blob.models.BlobHttpHeaders headers, Map<String, String> metadata,
        Map<String, String> tags, com.azure.storage.blob.models.AccessTier tier, BlobRequestConditions conditions) {
        return new BlobWrite(headers, metadata, tags, tier, conditions, null, null);
    }

    private static BlobRequestConditions noOverwrite(boolean overwrite) {
        return overwrite ? null : new BlobRequestConditions().setIfNoneMatch("*");
    }

    // ------------------------------------------------------------------ download

    /**
     * The whole blob's plaintext, chunk by chunk; each chunk (whole regions) is emitted only after it verified.
     * The blob's properties are read and its key unwrapped when this is subscribed.
     */
    public Flux<ByteBuffer> downloadStream() {
        return downloadStreamWithResponse(null).flatMapMany(Response::getValue);
    }

    /**
     * Reads the blob's properties and unwraps its key, then gives the plaintext of {@code options}' range
     * ({@code null} options: the whole blob) as the response's value: a {@link Flux} that fetches, verifies and
     * emits the chunks in order when subscribed (see the class's notes on back-pressure and failures). Subscribe to
     * it once; the blob's content key is destroyed when it terminates or is cancelled.
     *
     * @return the response: the blob's properties and the plaintext; an error signal with the synchronous client's
     *     exceptions if the blob cannot be read (policy, key, metadata)
     */
    public Mono<EncryptedBlobDownloadAsyncResponse> downloadStreamWithResponse(
        EncryptedBlobDownloadStreamOptions options) {
        EncryptedBlobDownloadStreamOptions o = options == null ? new EncryptedBlobDownloadStreamOptions() : options;
        return open(o.getRequestConditions(), o.getNoProgressTimeout()).flatMap(opened -> {
            TransferTuning tuning = TransferTuning.of(o.getParallelTransferOptions(), transferDefaults,
                opened.unitLength(), o.getProgressListener());
            return opened.plan(o.getRange(), tuning, Blocking.OFFLOADED)
                .zipWith(properties(opened))
                .map(planned -> new EncryptedBlobDownloadAsyncResponse(opened.response(), planned.getT2(),
                    new ParallelRegionDownloader(opened.fetcher(), tuning.maxConcurrency(), tuning.progressReporter())
                        .toFlux(planned.getT1()).doFinally(signal -> opened.close())))
                .doOnError(e -> opened.close())
                .doOnCancel(opened::close);
        });
    }

    /**
     * Downloads and decrypts the whole blob into memory (at most 2 GiB of plaintext).
     *
     * @return the plaintext; an error signal {@link dev.cse4j.core.IntegrityException} if the blob or its metadata
     *     was modified (nothing is returned), {@link EncryptionPolicyException} if the blob is unencrypted (and
     *     encryption is required) or 1.0 (and 1.0 reads are not allowed)
     */
    public Mono<BinaryData> downloadContent() {
        return downloadContentWithResponse(null, null).map(Response::getValue);
    }

    /** Downloads and decrypts a plaintext range (or the whole blob for {@code null}) into memory. */
    public Mono<Response<BinaryData>> downloadContentWithResponse(BlobRange range,
        BlobRequestConditions requestConditions) {
        return read(requestConditions, opened -> {
            TransferTuning tuning = TransferTuning.of(null, transferDefaults, opened.unitLength(), null);
            return opened.plan(range, tuning, Blocking.OFFLOADED)
                .flatMap(plan -> new ParallelRegionDownloader(opened.fetcher(), tuning.maxConcurrency(), null)
                    .toArray(plan))
                .map(plaintext -> new SimpleResponse<>(opened.response(), BinaryData.fromBytes(plaintext)));
        });
    }

    /** Downloads and decrypts the whole blob into a new file; fails if the file exists. */
    public Mono<EncryptedBlobProperties> downloadToFile(String filePath) {
        return downloadToFile(filePath, false);
    }

    /** Downloads and decrypts the whole blob into a file; with {@code overwrite} false, fails if it exists. */
    public Mono<EncryptedBlobProperties> downloadToFile(String filePath, boolean overwrite) {
        return downloadToFileWithResponse(new EncryptedBlobDownloadToFileOptions(filePath).setOverwrite(overwrite))
            .map(Response::getValue);
    }

    /**
     * Downloads and decrypts (a range of) the blob into a file, as
     * {@link EncryptedBlobClient#downloadToFileWithResponse}: into a temporary file beside the target (owner-only),
     * which replaces the target only when everything verified; on failure, cancellation, SIGINT or SIGTERM no file is
     * left behind. Links, folders, FIFOs and devices are treated as that method treats them.
     *
     * @return the blob's properties; an error signal {@link UncheckedIOException} wrapping
     *     {@link java.nio.file.FileAlreadyExistsException} if the file (or a link there) exists and overwrite is not
     *     set, wrapping a {@link java.nio.file.FileSystemException} if it is not a regular file or its folder does
     *     not exist
     */
    public Mono<Response<EncryptedBlobProperties>> downloadToFileWithResponse(
        EncryptedBlobDownloadToFileOptions options) {
        Objects.requireNonNull(options, "options");
        Path target = Path.of(options.getFilePath());
        return Mono.fromCallable(() -> FileDownload.destination(target, options.isOverwrite())) // before any request
            .subscribeOn(Schedulers.boundedElastic())
            .flatMap(destination -> read(options.getRequestConditions(), options.getNoProgressTimeout(), opened -> {
                    TransferTuning tuning = TransferTuning.of(options.getParallelTransferOptions(), transferDefaults,
                        opened.unitLength(), options.getProgressListener());
                    return opened.plan(options.getRange(), tuning, Blocking.OFFLOADED).flatMap(plan -> {
                        ParallelRegionDownloader downloader = new ParallelRegionDownloader(opened.fetcher(),
                            tuning.maxConcurrency(), tuning.progressReporter());
                        return FileDownload.write(target, options.isOverwrite(),
                            channel -> downloader.toFile(plan, channel, 0));
                    }).then(properties(opened)).map(properties -> new SimpleResponse<>(opened.response(),
                        properties));
                }));
    }

    private Mono<OpenedBlob> open(BlobRequestConditions conditions, Duration noProgressTimeout) {
        return OpenedBlob.open(blob, settings, conditions, noProgressTimeout, what());
    }

    /** {@link #read(BlobRequestConditions, Duration, Function)} with the default no-progress bound. */
    private <T> Mono<T> read(BlobRequestConditions conditions, Function<OpenedBlob, Mono<T>> read) {
        return read(conditions, EncryptedBlobDownloadToFileOptions.DEFAULT_NO_PROGRESS_TIMEOUT, read);
    }

    /** Opens the blob, runs {@code read}, and closes it (destroying its content key) however that ends. */
    private <T> Mono<T> read(BlobRequestConditions conditions, Duration noProgressTimeout,
        Function<OpenedBlob, Mono<T>> read) {
        return Mono.usingWhen(open(conditions, noProgressTimeout), read, opened -> Mono.fromRunnable(opened::close));
    }

    // ------------------------------------------------------------------ properties and metadata

    /**
     * The blob's properties with its plaintext size. No key is needed for 2.x blobs; a 1.0 blob's plaintext size
     * needs its key and the 1.0 opt-in (its last block is decrypted).
     */
    public Mono<EncryptedBlobProperties> getProperties() {
        return getPropertiesWithResponse(null).map(Response::getValue);
    }

    public Mono<Response<EncryptedBlobProperties>> getPropertiesWithResponse(BlobRequestConditions requestConditions) {
        return read(requestConditions, opened -> properties(opened).map(properties ->
            new SimpleResponse<>(opened.response(), properties)));
    }

    private static Mono<EncryptedBlobProperties> properties(OpenedBlob opened) {
        return opened.plaintextLength(Blocking.OFFLOADED).map(length -> new EncryptedBlobProperties(
            opened.properties(), opened.encryptionData(), length));
    }

    /**
     * The blob's parsed encryption metadata, without any key: protocol, key id, wrap algorithm, region length,
     * writer.
     *
     * @return the metadata; empty if the blob is not encrypted; an error signal
     *     {@link dev.cse4j.core.MalformedEncryptionDataException} if it is present but invalid
     */
    public Mono<EncryptionData> inspect() {
        return blob.getProperties().flatMap(properties -> Mono.justOrEmpty(BlobEncryptionMetadata.parse(
            properties.getMetadata())));
    }

    /**
     * Verifies the blob's integrity record without reading its data, as
     * {@link EncryptedBlobClient#verifyIntegrityRecord()}: unwraps the content key and checks the record's key
     * commitment and MAC, its agreement with {@code encryptiondata}, and that the stored length is exactly what its
     * plaintext length implies.
     *
     * @return the verified record; empty if the blob has none (or is not a protocol 2.x blob) and the client does
     *     not require one; an error signal {@link dev.cse4j.core.IntegrityException} if the record does not verify
     *     or the stored length contradicts it, {@link EncryptionPolicyException} if the blob has no record and the
     *     client requires one, or the blob is unencrypted and encryption is required
     */
    public Mono<IntegrityRecord> verifyIntegrityRecord() {
        return read(null, opened -> {
            if (opened.encryptionData() == null) {
                settings.checkUnencryptedAllowed(what());
            }
            return opened.verifyIntegrityRecord(Blocking.OFFLOADED);
        });
    }

    /**
     * Replaces the user metadata, keeping {@code encryptiondata} and the integrity record.
     *
     * @return completion; an error signal {@link EncryptionPolicyException} if {@code metadata} has an
     *     {@code encryptiondata} key
     */
    public Mono<Void> setMetadata(Map<String, String> metadata) {
        return setMetadataWithResponse(metadata, null).then();
    }

    /**
     * Replaces the user metadata, keeping {@code encryptiondata} and the integrity record: the current entries are
     * read and written back in the same request, conditional on the blob not having changed in between
     * ({@code If-Match}).
     */
    public Mono<Response<Void>> setMetadataWithResponse(Map<String, String> metadata,
        BlobRequestConditions requestConditions) {
        return keep(metadata, requestConditions).flatMap(kept -> blob.setMetadataWithResponse(kept.metadata(),
            kept.conditions()));
    }

    /** The current {@code encryptiondata} merged into new metadata, and conditions pinned to that version. */
    private Mono<KeptMetadata> keep(Map<String, String> metadata, BlobRequestConditions requestConditions) {
        return Mono.fromRunnable(() -> BlobEncryptionMetadata.rejectReserved(metadata))
            .then(blob.getPropertiesWithResponse(requestConditions))
            .map(current -> KeptMetadata.of(metadata, current.getValue(), requestConditions));
    }

    /** The blob index tags (stored unencrypted). */
    public Mono<Map<String, String>> getTags() {
        return blob.getTags();
    }

    /** Replaces the blob index tags (stored unencrypted). */
    public Mono<Void> setTags(Map<String, String> tags) {
        return blob.setTags(tags);
    }

    // ------------------------------------------------------------------ snapshots and copies

    /** Creates a snapshot (which keeps the metadata, so {@code encryptiondata}); gives a client for it. */
    public Mono<EncryptedBlobAsyncClient> createSnapshot() {
        return createSnapshotWithResponse(null, null).map(Response::getValue);
    }

    /**
     * Creates a snapshot. With {@code metadata} {@code null} the snapshot keeps the blob's metadata; otherwise it
     * gets {@code metadata} plus the blob's {@code encryptiondata}.
     *
     * @return a client for the snapshot; an error signal {@link EncryptionPolicyException} if {@code metadata} has
     *     an {@code encryptiondata} key
     */
    public Mono<Response<EncryptedBlobAsyncClient>> createSnapshotWithResponse(Map<String, String> metadata,
        BlobRequestConditions requestConditions) {
        Mono<KeptMetadata> kept = metadata == null ? Mono.just(new KeptMetadata(null, requestConditions))
            : keep(metadata, requestConditions);
        return kept.flatMap(k -> blob.createSnapshotWithResponse(k.metadata(), k.conditions()))
            .map(response -> new SimpleResponse<>(response, getSnapshotClient(response.getValue().getSnapshotId())));
    }

    /**
     * Copies an encrypted blob into this blob (Copy Blob From URL, up to 256 MiB), keeping the source's metadata and
     * so its {@code encryptiondata}. The source is checked first (with this client's credential, or a SAS in
     * {@code sourceUrl}) and the copy is pinned to the checked version.
     *
     * @return the copy id; an error signal {@link EncryptionPolicyException} if the source is not encrypted and this
     *     client requires encryption
     */
    public Mono<String> copyFromUrl(String sourceUrl) {
        Objects.requireNonNull(sourceUrl, "sourceUrl");
        return Mono.defer(() -> {
            BlobAsyncClient source = CopySource.builder(sourceUrl, blob.getHttpPipeline()).buildAsyncClient();
            return source.getProperties().map(properties -> KeptMetadata.checkCopySource(properties, settings,
                "Copy source '" + source.getContainerName() + "/" + source.getBlobName() + "'"));
        }).flatMap(etag -> blob.copyFromUrlWithResponse(new BlobCopyFromUrlOptions(sourceUrl)
            .setSourceRequestConditions(new RequestConditions().setIfMatch(etag)))).map(Response::getValue);
    }

    // ------------------------------------------------------------------ helpers

    private String what() {
        return "Blob '" + blob.getContainerName() + "/" + blob.getBlobName() + "'"
            + (blob.getSnapshotId() == null ? "" : " (snapshot " + blob.getSnapshotId() + ")");
    }

    @Override
    public String toString() {
        return "EncryptedBlobAsyncClient[" + getBlobUrl() + ", writes " + protocol
            + (protocol == EncryptionProtocol.V2_1 ? " R=" + regionLength : "") + "]";
    }
}
