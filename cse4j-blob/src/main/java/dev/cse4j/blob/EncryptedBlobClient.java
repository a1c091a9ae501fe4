package dev.cse4j.blob;

import com.azure.core.http.HttpPipeline;
import com.azure.core.http.RequestConditions;
import com.azure.core.http.rest.Response;
import com.azure.core.http.rest.SimpleResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.core.util.logging.ClientLogger;
import com.azure.core.util.ProgressListener;
import com.azure.core.util.polling.SyncPoller;
import com.azure.storage.blob.BlobAsyncClient;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.models.BlobCopyInfo;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.models.DeleteSnapshotsOptionType;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.options.BlobBeginCopyOptions;
import com.azure.storage.blob.options.BlobCopyFromUrlOptions;
import com.azure.storage.blob.specialized.BlobClientBase;
import dev.cse4j.blob.implementation.BlobEncryptionMetadata;
import dev.cse4j.blob.implementation.BlobUpload;
import dev.cse4j.blob.implementation.BlobWrite;
import dev.cse4j.blob.implementation.CopySource;
import dev.cse4j.blob.implementation.DecryptingBlobChannel;
import dev.cse4j.blob.implementation.DecryptingBlobInputStream;
import dev.cse4j.blob.implementation.DownloadPlan;
import dev.cse4j.blob.implementation.FileDownload;
import dev.cse4j.blob.implementation.KeptMetadata;
import dev.cse4j.blob.implementation.OpenedBlob;
import dev.cse4j.blob.implementation.ParallelRegionDownloader;
import dev.cse4j.blob.implementation.PlaintextSource;
import dev.cse4j.blob.implementation.StreamingUpload;
import dev.cse4j.blob.implementation.AsyncClients;
import dev.cse4j.blob.implementation.SourceFile;
import dev.cse4j.blob.implementation.TransferTuning;
import dev.cse4j.blob.implementation.UploadEnvelope;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.IntegrityRecord;
import dev.cse4j.core.implementation.Blocking;
import dev.cse4j.core.implementation.EncryptionSettings;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A block blob whose content is encrypted on this machine before upload and decrypted after download (client-side
 * envelope encryption), byte-compatible with Microsoft's .NET, Java and Python SDKs. Wraps an azure-storage-blob
 * {@link BlobClient} (it does not extend it, so no method can store plaintext by accident). Get one from an
 * {@link EncryptedBlobContainerClient} (sharing its options and HTTP pipeline) or build one with
 * {@link EncryptedBlobClientBuilder}. Thread-safe. Its asynchronous twin is {@link EncryptedBlobAsyncClient}.
 *
 * <h2>One implementation</h2>
 * Both clients run the same code: the same metadata handling and policy, download plans, region order and
 * integrity-record checks, region crypto, and one transfer engine, which is asynchronous (Project Reactor): this
 * client waits for it on the calling thread. Requests are sent and received on the HTTP client's event loop,
 * straight into the transfer's buffers; regions are encrypted and decrypted, and files and streams written, on
 * cse4j's transfer threads (one per core). The module's README (cse4j-blob/README.md) gives the decision and the
 * end-to-end measurements behind it.
 *
 * <h2>Stored form</h2>
 * Every upload draws a fresh random 256-bit content key, wrapped by the key encryption key; the wrapped key and the
 * parameters are stored as the blob's {@code encryptiondata} metadata (JSON, {@code "EncryptionMode":"FullBlob"}),
 * written in the same request that creates the blob. Protocol 2.0/2.1: the plaintext is cut into regions of
 * {@code R} bytes (2.0: 4 MiB; 2.1: chosen, 16 B to 1 GiB), each stored as {@code nonce(12) ‖ AES-256-GCM
 * ciphertext ‖ tag(16)}, so {@code n} plaintext bytes take {@code n + ⌈n/R⌉·28} stored bytes. Legacy 1.0 blobs
 * (AES-256-CBC) are read only with {@code allowUnauthenticatedV1Reads(true)}.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Every region is authenticated (tag, and position by its nonce) before any of its plaintext is released;
 *       a failure is an {@link dev.cse4j.core.IntegrityException}. With an integrity record, before anything is
 *       decrypted: the record must belong to the blob's content key (commitment) and be unmodified (MAC), and the
 *       stored length must be exactly what its plaintext length implies, so regions dropped from the end, added,
 *       or a blob emptied or cut are refused; ranges are clipped to the authenticated length.</li>
 *   <li>Without a record (blobs of other SDKs, or older cse4j) blobs are read as protocol 2.x allows, unless the
 *       client requires the record ({@link dev.cse4j.core.ClientSideEncryptionOptions.Builder#requireIntegrityRecord(boolean)}): only
 *       then is a record that was <em>stripped</em> detected. A download to memory or to a file returns or
 *       leaves nothing on failure; a download to a stream may already have written the verified regions before
 *       the failing one.</li>
 *   <li>One key unwrap per download, however many ranges are fetched in parallel; every request of a download
 *       reads the same version of the blob ({@code If-Match}).</li>
 *   <li>{@code encryptiondata} and the integrity record are never lost: user metadata may not contain them,
 *       {@link #setMetadata} and {@link #createSnapshotWithResponse} keep them, copies keep the source's. The
 *       record is bound to the content key, not its wrapping: re-wrapping the key (rotation) keeps it valid.</li>
 *   <li>Only block blobs are written. Operations that cannot be encrypted (staging raw blocks, page and append
 *       writes) are not offered.</li>
 * </ul>
 *
 * <h2>Limits</h2>
 * Metadata, tags, headers, the blob name and the plaintext length are not secret. Protocol 2.x alone cannot detect
 * whole regions dropped from the end of a blob (docs/formats.md §9); the integrity record can, for blobs that have one.
 * Nothing detects a blob replaced whole by an older version of itself or by a copy of another blob encrypted with
 * the same keys. Memory per transfer is
 * about {@code maxConcurrency × block size}, never the blob size. Transfers follow the Azure SDK's
 * {@link ParallelTransferOptions} (block size 4 MiB, 8 in flight, one Put Blob up to 256 MiB); an upload of known
 * length that is one request but larger than that memory is encrypted into a temporary file (ciphertext only,
 * owner-only, {@code cse4j-upload-<pid>-<random>.encrypted} in {@code java.io.tmpdir}, deleted afterwards and on
 * SIGINT/SIGTERM; after SIGKILL, by the next such upload) and sent from there, so retries resend the same bytes.
 * A {@code timeout} applies to each service request of an operation, not to the operation as a whole; a download also
 * fails once a request received nothing for its no-progress bound (60 s by default, {@code setNoProgressTimeout} of
 * its options), so a frozen service is detected. Ranges are plaintext offsets: a range reaching past the end is
 * clipped, and one starting at or past the end is empty.
 */
public final class EncryptedBlobClient {
    private static final ClientLogger LOGGER = new ClientLogger(EncryptedBlobClient.class);

    private final BlobClient blob;
    private final EncryptionSettings settings;
    private final EncryptionProtocol protocol;
    private final int regionLength;
    private final ParallelTransferOptions transferDefaults;
    private BlobAsyncClient reads;

    EncryptedBlobClient(BlobClient blob, EncryptionSettings settings, ParallelTransferOptions transferDefaults) {
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
    public EncryptedBlobClient getSnapshotClient(String snapshot) {
        return new EncryptedBlobClient(blob.getSnapshotClient(snapshot), settings, transferDefaults);
    }

    /**
     * A client for a version of this blob (accounts with blob versioning), with the same keys and settings. A version
     * keeps the encryption metadata it was written with: a rotation or migration changes only the current version.
     */
    public EncryptedBlobClient getVersionClient(String versionId) {
        return new EncryptedBlobClient(blob.getVersionClient(versionId), settings, transferDefaults);
    }

    // ------------------------------------------------------------------ existence and deletion

    public boolean exists() {
        return Boolean.TRUE.equals(blob.exists());
    }

    public Response<Boolean> existsWithResponse(Duration timeout, Context context) {
        return blob.existsWithResponse(timeout, context);
    }

    public void delete() {
        blob.delete();
    }

    public Response<Void> deleteWithResponse(DeleteSnapshotsOptionType deleteSnapshots,
        BlobRequestConditions requestConditions, Duration timeout, Context context) {
        return blob.deleteWithResponse(deleteSnapshots, requestConditions, timeout, context);
    }

    public boolean deleteIfExists() {
        return blob.deleteIfExists();
    }

    public Response<Boolean> deleteIfExistsWithResponse(DeleteSnapshotsOptionType deleteSnapshots,
        BlobRequestConditions requestConditions, Duration timeout, Context context) {
        return blob.deleteIfExistsWithResponse(deleteSnapshots, requestConditions, timeout, context);
    }

    // ------------------------------------------------------------------ upload

    /** Uploads {@code data} encrypted; fails if the blob exists. */
    public BlockBlobItem upload(BinaryData data) {
        return upload(data, false);
    }

    /** Uploads {@code data} encrypted; with {@code overwrite} false, fails if the blob exists. */
    public BlockBlobItem upload(BinaryData data, boolean overwrite) {
        return uploadWithResponse(new EncryptedBlobUploadOptions(data).setRequestConditions(noOverwrite(overwrite)),
            null, Context.NONE).getValue();
    }

    /** Uploads a stream of unknown length encrypted, read to its end; fails if the blob exists. */
    public BlockBlobItem upload(InputStream data) {
        return upload(data, false);
    }

    /** Uploads a stream of unknown length encrypted, read to its end. */
    public BlockBlobItem upload(InputStream data, boolean overwrite) {
        return uploadWithResponse(new EncryptedBlobUploadOptions(data).setRequestConditions(noOverwrite(overwrite)),
            null, Context.NONE).getValue();
    }

    /** Uploads exactly {@code length} bytes of a stream encrypted. */
    public BlockBlobItem upload(InputStream data, long length, boolean overwrite) {
        return uploadWithResponse(new EncryptedBlobUploadOptions(data, length)
            .setRequestConditions(noOverwrite(overwrite)), null, Context.NONE).getValue();
    }

    /**
     * Uploads encrypted, with metadata, tags, headers, tier and conditions written in the same request that creates
     * the blob.
     *
     * @throws EncryptionPolicyException if the metadata has an {@code encryptiondata} key
     * @throws IllegalStateException if this client has no key encryption key
     * @throws com.azure.core.exception.UnexpectedLengthException if a stream of declared length ends early or has
     *     more bytes than declared (as the Azure SDK refuses it); nothing is committed
     */
    public Response<BlockBlobItem> uploadWithResponse(EncryptedBlobUploadOptions options, Duration timeout,
        Context context) {
        Objects.requireNonNull(options, "options");
        BlobWrite write = new BlobWrite(options.getHeaders(), options.getMetadata(), options.getTags(),
            options.getTier(), options.getRequestConditions(), timeout, context);
        long length = options.getLength() == null ? -1 : options.getLength();
        return upload(options.source(), length, write, options.getParallelTransferOptions(),
            options.getProgressListener(), null);
    }

    /** Uploads a file encrypted; with {@code overwrite} false, fails if the blob exists. */
    public BlockBlobItem uploadFromFile(String filePath, boolean overwrite) {
        return uploadFromFileWithResponse(new EncryptedBlobUploadFromFileOptions(filePath)
            .setRequestConditions(noOverwrite(overwrite)), null, Context.NONE).getValue();
    }

    /**
     * Uploads a file encrypted, with what the options add. The file is uploaded as it was when the upload started:
     * if it grows, shrinks, is rewritten or replaced before it has been read to its end, nothing is committed.
     *
     * @throws UncheckedIOException if the file cannot be read, or is not a regular file
     * @throws com.azure.core.exception.UnexpectedLengthException if the file's size changed while it was read
     * @throws java.util.ConcurrentModificationException if it was modified or replaced while it was read
     */
    public Response<BlockBlobItem> uploadFromFileWithResponse(EncryptedBlobUploadFromFileOptions options,
        Duration timeout, Context context) {
        Objects.requireNonNull(options, "options");
        SourceFile file = SourceFile.of(Path.of(options.getFilePath()));
        BlobWrite write = new BlobWrite(options.getHeaders(), options.getMetadata(), options.getTags(),
            options.getTier(), options.getRequestConditions(), timeout, context);
        try (InputStream in = Files.newInputStream(file.path())) {
            return upload(PlaintextSource.of(in), file.size(), write, options.getParallelTransferOptions(),
                options.getProgressListener(), file::checkUnchanged);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file.path(), e);
        }
    }

    /** @param sourceCheck run once the source is read to its end, before anything is committed, or {@code null} */
    private Response<BlockBlobItem> upload(PlaintextSource source, long length, BlobWrite write,
        ParallelTransferOptions transferOptions, ProgressListener listener, Runnable sourceCheck) {
        TransferTuning tuning = TransferTuning.of(transferOptions, transferDefaults, regionLength, listener);
        return Blocking.await(BlobUpload.upload(reads().getBlockBlobAsyncClient(), settings, source, length, write,
            tuning, sourceCheck, what(), Blocking.ALLOWED));
    }

    /** An output stream that uploads encrypted as it is written; fails if the blob exists. */
    public EncryptedBlobOutputStream getBlobOutputStream() {
        return getBlobOutputStream(false);
    }

    /** An output stream that uploads encrypted as it is written; with {@code overwrite} false, fails if it exists. */
    public EncryptedBlobOutputStream getBlobOutputStream(boolean overwrite) {
        if (!overwrite && exists()) {
            throw new IllegalArgumentException("Blob '" + getContainerName() + "/" + getBlobName() + "' exists; "
                + "pass overwrite=true to replace it.");
        }
        return getBlobOutputStream(new EncryptedBlobOutputStreamOptions()
            .setRequestConditions(noOverwrite(overwrite)));
    }

    /**
     * An output stream that encrypts and uploads as the caller writes, like the Azure SDK's
     * {@code BlockBlobClient.getBlobOutputStream}, but all or nothing: {@link EncryptedBlobOutputStream#close()}
     * commits the blocks together with the metadata, {@code encryptiondata} and the integrity record;
     * {@link EncryptedBlobOutputStream#abort()}, or a failed upload, commits nothing and leaves the blob as it was.
     * Memory is about {@code maxConcurrency × block size} of the options, whatever is written.
     *
     * @throws EncryptionPolicyException if the metadata has an entry the client owns
     * @throws IllegalStateException if this client has no key encryption key
     */
    public EncryptedBlobOutputStream getBlobOutputStream(EncryptedBlobOutputStreamOptions options) {
        EncryptedBlobOutputStreamOptions o = options == null ? new EncryptedBlobOutputStreamOptions() : options;
        BlobEncryptionMetadata.rejectReserved(o.getMetadata());
        BlobWrite write = new BlobWrite(o.getHeaders(), o.getMetadata(), o.getTags(), o.getTier(),
            o.getRequestConditions(), null, Context.NONE);
        UploadEnvelope envelope = UploadEnvelope.seal(settings, protocol, regionLength);
        TransferTuning tuning = TransferTuning.of(o.getParallelTransferOptions(), transferDefaults, regionLength,
            o.getProgressListener());
        return new EncryptedBlobOutputStream(StreamingUpload.start(reads().getBlockBlobAsyncClient(), envelope,
            tuning, tuning.progressReporter(), write));
    }

    /**
     * Uploads what {@code writer} writes to the stream it is given, encrypted as it is written; commits only if
     * {@code writer} returns normally. If it throws, nothing is committed and the blob keeps its previous content;
     * its exception is rethrown (an {@link IOException} wrapped in an {@link UncheckedIOException}).
     *
     * @throws IllegalArgumentException if the blob exists and {@code overwrite} is false
     */
    public BlockBlobItem upload(BlobContentWriter writer, boolean overwrite) {
        Objects.requireNonNull(writer, "writer");
        EncryptedBlobOutputStream out = getBlobOutputStream(overwrite);
        try {
            writer.writeTo(out);
        } catch (IOException e) {
            out.abort();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            out.abort();
            throw e;
        }
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.getBlockBlobItem();
    }

    private static BlobRequestConditions noOverwrite(boolean overwrite) {
        return overwrite ? null : new BlobRequestConditions().setIfNoneMatch("*");
    }

    // ------------------------------------------------------------------ download

    /**
     * Downloads and decrypts the whole blob into memory (at most 2 GiB of plaintext).
     *
     * @throws dev.cse4j.core.IntegrityException if the blob or its metadata was modified; nothing is returned
     * @throws EncryptionPolicyException if the blob is unencrypted (and encryption is required) or 1.0 (and 1.0
     *     reads are not allowed)
     */
    public BinaryData downloadContent() {
        return downloadContentWithResponse(null, null, null, Context.NONE).getValue();
    }

    /** Downloads and decrypts a plaintext range (or the whole blob for {@code null}) into memory. */
    public Response<BinaryData> downloadContentWithResponse(BlobRange range, BlobRequestConditions requestConditions,
        Duration timeout, Context context) {
        try (OpenedBlob opened = open(requestConditions, timeout,
            EncryptedBlobDownloadToFileOptions.DEFAULT_NO_PROGRESS_TIMEOUT, context)) {
            TransferTuning tuning = TransferTuning.of(null, transferDefaults, opened.unitLength(), null);
            DownloadPlan plan = plan(opened, range, tuning);
            byte[] plaintext = Blocking.await(new ParallelRegionDownloader(opened.fetcher(), tuning.maxConcurrency(),
                null).toArray(plan));
            return new SimpleResponse<>(opened.response(), BinaryData.fromBytes(plaintext));
        }
    }

    /** Downloads and decrypts the whole blob into {@code stream}. */
    public void downloadStream(OutputStream stream) {
        downloadStreamWithResponse(stream, (BlobRange) null, null, null, Context.NONE);
    }

    /**
     * Downloads and decrypts a plaintext range (offset, count; {@code null} for the whole blob) into
     * {@code stream}. A range past the end is clipped; one starting at or past the end is empty.
     *
     * @return the blob's properties (plaintext size of the whole blob)
     */
    public Response<EncryptedBlobProperties> downloadStreamWithResponse(OutputStream stream, BlobRange range,
        BlobRequestConditions requestConditions, Duration timeout, Context context) {
        return downloadStreamWithResponse(stream, new EncryptedBlobDownloadStreamOptions().setRange(range)
            .setRequestConditions(requestConditions), timeout, context);
    }

    /**
     * Downloads and decrypts into {@code stream}, with progress and transfer options. The stream is written in order,
     * one verified chunk at a time, from cse4j's transfer threads (never two writes at once); this method returns
     * when the last write has.
     */
    public Response<EncryptedBlobProperties> downloadStreamWithResponse(OutputStream stream,
        EncryptedBlobDownloadStreamOptions options, Duration timeout, Context context) {
        Objects.requireNonNull(stream, "stream");
        EncryptedBlobDownloadStreamOptions o = options == null ? new EncryptedBlobDownloadStreamOptions() : options;
        try (OpenedBlob opened = open(o.getRequestConditions(), timeout, o.getNoProgressTimeout(), context)) {
            TransferTuning tuning = TransferTuning.of(o.getParallelTransferOptions(), transferDefaults,
                opened.unitLength(), o.getProgressListener());
            DownloadPlan plan = plan(opened, o.getRange(), tuning);
            new ParallelRegionDownloader(opened.fetcher(), tuning.maxConcurrency(), tuning.progressReporter())
                .toStream(plan, stream);
            return new SimpleResponse<>(opened.response(), properties(opened));
        }
    }

    /** Downloads and decrypts the whole blob into a new file; fails if the file exists. */
    public EncryptedBlobProperties downloadToFile(String filePath) {
        return downloadToFile(filePath, false);
    }

    /** Downloads and decrypts the whole blob into a file; with {@code overwrite} false, fails if it exists. */
    public EncryptedBlobProperties downloadToFile(String filePath, boolean overwrite) {
        return downloadToFileWithResponse(new EncryptedBlobDownloadToFileOptions(filePath).setOverwrite(overwrite),
            null, Context.NONE).getValue();
    }

    /**
     * Downloads and decrypts (a range of) the blob into a file: chunks are fetched and decrypted in parallel and
     * written at their positions in a temporary file beside the target (owner-only), which replaces the target only
     * when everything verified. On failure, SIGINT or SIGTERM no file is left behind; after SIGKILL or a crash the
     * temporary file ({@code .<name>.<pid>-<random>.cse4j-partial}) stays until the next download into that folder.
     * A symbolic link is followed as the plain SDK follows it (the file it names gets the data, the link stays); a
     * folder, FIFO, device or socket is never replaced.
     *
     * @throws UncheckedIOException wrapping {@link java.nio.file.FileAlreadyExistsException} if the file (or a link
     *     there) exists and overwrite is not set; wrapping a {@link java.nio.file.FileSystemException} if it is not a
     *     regular file or its folder does not exist
     */
    public Response<EncryptedBlobProperties> downloadToFileWithResponse(EncryptedBlobDownloadToFileOptions options,
        Duration timeout, Context context) {
        Objects.requireNonNull(options, "options");
        Path target = Path.of(options.getFilePath());
        FileDownload.destination(target, options.isOverwrite()); // fails before any request
        try (OpenedBlob opened = open(options.getRequestConditions(), timeout, options.getNoProgressTimeout(),
            context)) {
            TransferTuning tuning = TransferTuning.of(options.getParallelTransferOptions(), transferDefaults,
                opened.unitLength(), options.getProgressListener());
            DownloadPlan plan = plan(opened, options.getRange(), tuning);
            ParallelRegionDownloader downloader = new ParallelRegionDownloader(opened.fetcher(),
                tuning.maxConcurrency(), tuning.progressReporter());
            Blocking.await(FileDownload.write(target, options.isOverwrite(), channel -> downloader.toFile(plan,
                channel, 0)));
            return new SimpleResponse<>(opened.response(), properties(opened));
        }
    }

    /** A stream of the whole blob's plaintext, decrypted as it is read (one region batch verified at a time). */
    public InputStream openInputStream() {
        return openInputStream(null, null);
    }

    /** A stream of a plaintext range, decrypted as it is read. */
    public InputStream openInputStream(BlobRange range) {
        return openInputStream(range, null);
    }

    /**
     * A stream of a plaintext range ({@code null}: the whole blob), decrypted as it is read. The blob's properties
     * are read and its key unwrapped now; the stream reads that version of the blob only. Close it when done.
     */
    public InputStream openInputStream(BlobRange range, BlobRequestConditions requestConditions) {
        OpenedBlob opened = open(requestConditions, null,
            EncryptedBlobDownloadToFileOptions.DEFAULT_NO_PROGRESS_TIMEOUT, Context.NONE);
        try {
            TransferTuning tuning = TransferTuning.of(null, transferDefaults, opened.unitLength(), null);
            return new DecryptingBlobInputStream(opened, plan(opened, range, tuning));
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    /** A read-only channel over the whole blob's plaintext, with the default options. */
    public SeekableByteChannel openSeekableByteChannelRead() {
        return openSeekableByteChannelRead(new EncryptedBlobSeekableByteChannelReadOptions());
    }

    /**
     * A read-only {@link SeekableByteChannel} over the blob's plaintext, for consumers that need random access (a
     * ZIP reader, a Parquet reader…). The blob's properties are read, its key unwrapped and its integrity record
     * verified now; every read then fetches that version of the blob ({@code If-Match}). Each read fetches whole
     * regions ({@link EncryptedBlobSeekableByteChannelReadOptions#setReadSizeInBytes}) and authenticates them before
     * returning any byte of them; a few are cached, and reading on sequentially can fetch ahead. {@code size()} is
     * the plaintext length, authenticated when the blob has an integrity record. Close it when done (it destroys
     * the content key).
     *
     * @throws dev.cse4j.core.IntegrityException if the integrity record does not verify (the blob was truncated,
     *     extended or its record edited)
     * @throws EncryptionPolicyException as for downloads
     */
    public SeekableByteChannel openSeekableByteChannelRead(EncryptedBlobSeekableByteChannelReadOptions options) {
        EncryptedBlobSeekableByteChannelReadOptions o = options == null
            ? new EncryptedBlobSeekableByteChannelReadOptions() : options;
        OpenedBlob opened = open(o.getRequestConditions(), null,
            EncryptedBlobDownloadToFileOptions.DEFAULT_NO_PROGRESS_TIMEOUT, Context.NONE);
        try {
            long chunk = TransferTuning.alignToRegions(o.getReadSizeInBytes(), opened.unitLength());
            return new DecryptingBlobChannel(opened, chunk, o.getCachedReads(), o.isReadAhead());
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    private OpenedBlob open(BlobRequestConditions conditions, Duration timeout, Duration noProgressTimeout,
        Context context) {
        return OpenedBlob.open(blob, this::reads, settings, conditions, timeout, noProgressTimeout, context, what());
    }

    /** This blob as an asynchronous client on the same pipeline: what transfers run on. Built on first need. */
    private synchronized BlobAsyncClient reads() {
        if (reads == null) {
            reads = AsyncClients.of(blob);
        }
        return reads;
    }

    private static DownloadPlan plan(OpenedBlob opened, BlobRange range, TransferTuning tuning) {
        return Blocking.await(opened.plan(range, tuning, Blocking.ALLOWED));
    }

    // ------------------------------------------------------------------ properties and metadata

    /**
     * The blob's properties with its plaintext size. No key is needed for 2.x blobs; a 1.0 blob's plaintext size
     * needs its key and the 1.0 opt-in (its last block is decrypted).
     */
    public EncryptedBlobProperties getProperties() {
        return getPropertiesWithResponse(null, null, Context.NONE).getValue();
    }

    public Response<EncryptedBlobProperties> getPropertiesWithResponse(BlobRequestConditions requestConditions,
        Duration timeout, Context context) {
        try (OpenedBlob opened = open(requestConditions, timeout,
            EncryptedBlobDownloadToFileOptions.DEFAULT_NO_PROGRESS_TIMEOUT, context)) {
            return new SimpleResponse<>(opened.response(), properties(opened));
        }
    }

    private static EncryptedBlobProperties properties(OpenedBlob opened) {
        return new EncryptedBlobProperties(opened.properties(), opened.encryptionData(), opened.plaintextLength());
    }

    /**
     * The blob's parsed encryption metadata, without any key: protocol, key id, wrap algorithm, region length,
     * writer. {@code null} if the blob is not encrypted.
     *
     * @throws dev.cse4j.core.MalformedEncryptionDataException if the metadata is present but invalid
     */
    public EncryptionData inspect() {
        return BlobEncryptionMetadata.parse(blob.getProperties().getMetadata());
    }

    /**
     * Verifies the blob's integrity record without reading its data: unwraps the content key and checks the
     * record's key commitment and MAC, its agreement with {@code encryptiondata}, and that the stored length is
     * exactly what its plaintext length implies. Cheap (one properties request and one key unwrap): a way to find
     * truncated or extended blobs without downloading them.
     *
     * @return the verified record; {@code null} if the blob has none (or is not a protocol 2.x blob) and the client
     *     does not require one
     * @throws dev.cse4j.core.IntegrityException if the record does not verify, or the stored length contradicts it
     * @throws EncryptionPolicyException if the blob has no record and the client requires one, or the blob is
     *     unencrypted and encryption is required
     */
    public IntegrityRecord verifyIntegrityRecord() {
        try (OpenedBlob opened = open(null, null, EncryptedBlobDownloadToFileOptions.DEFAULT_NO_PROGRESS_TIMEOUT,
            Context.NONE)) {
            if (opened.encryptionData() == null) {
                settings.checkUnencryptedAllowed(what());
            }
            return opened.verifyIntegrityRecord();
        }
    }

    /**
     * Replaces the user metadata, keeping {@code encryptiondata} and the integrity record.
     *
     * @throws EncryptionPolicyException if {@code metadata} has an {@code encryptiondata} or {@code cse4jintegrity}
     *     key
     */
    public void setMetadata(Map<String, String> metadata) {
        setMetadataWithResponse(metadata, null, null, Context.NONE);
    }

    /**
     * Replaces the user metadata, keeping {@code encryptiondata} and the integrity record: the current entries are
     * read and written back in the same request, conditional on the blob not having changed in between
     * ({@code If-Match}).
     *
     * @throws EncryptionPolicyException if {@code metadata} has an {@code encryptiondata} or {@code cse4jintegrity}
     *     key
     */
    public Response<Void> setMetadataWithResponse(Map<String, String> metadata,
        BlobRequestConditions requestConditions, Duration timeout, Context context) {
        BlobEncryptionMetadata.rejectReserved(metadata);
        KeptMetadata kept = keep(metadata, requestConditions, timeout, context);
        return blob.setMetadataWithResponse(kept.metadata(), kept.conditions(), timeout, context);
    }

    /** The current {@code encryptiondata} merged into new metadata, and conditions pinned to that version. */
    private KeptMetadata keep(Map<String, String> metadata, BlobRequestConditions requestConditions,
        Duration timeout, Context context) {
        return KeptMetadata.of(metadata, blob.getPropertiesWithResponse(requestConditions, timeout, context)
            .getValue(), requestConditions);
    }

    /**
     * Rotates the key encryption key of this blob: its content key is unwrapped with the key that wrapped it (found
     * as on read: this client's key if the ids match, else its key resolver's) and wrapped with this client's key
     * encryption key, and the new wrapped key is written as the blob's metadata. The data is not touched (stored
     * bytes, headers, tags and tier stay as they are), the protocol is kept (1.0, 2.0 or 2.1; no data is decrypted,
     * so 1.0 needs no opt-in), and so is every other metadata entry. Two requests (read the properties, set the
     * metadata, conditional on the version read: {@code If-Match}), one unwrap and one wrap.
     *
     * <p>Snapshots and versions of the blob keep the old wrapped key: they stay readable only with the old key.
     *
     * @return the blob's new encryption metadata
     * @throws IllegalStateException if the blob is not encrypted, or this client has no key encryption key
     * @throws dev.cse4j.core.KeyResolutionException if no key of this client unwraps the content key
     * @throws com.azure.storage.blob.models.BlobStorageException with status 412 if the blob changed between the
     *     two requests (nothing was written)
     */
    public EncryptionData rotateClientSideEncryptionKey() {
        return rotateClientSideEncryptionKeyWithResponse(null, null, Context.NONE).getValue();
    }

    /**
     * As {@link #rotateClientSideEncryptionKey()}, with conditions on the blob (its lease id and tag conditions are
     * sent with both requests; the metadata write is conditional on the version read).
     */
    public Response<EncryptionData> rotateClientSideEncryptionKeyWithResponse(BlobRequestConditions requestConditions,
        Duration timeout, Context context) {
        settings.checkCanEncrypt("rotate the key encryption key");
        Response<BlobProperties> current = blob.getPropertiesWithResponse(requestConditions, timeout, context);
        BlobRewrap.Rewrapped rewrapped = BlobRewrap.rewrap(current.getValue().getMetadata(), settings, what());
        BlobRequestConditions pinned = new BlobRequestConditions().setIfMatch(current.getValue().getETag())
            .setLeaseId(requestConditions == null ? null : requestConditions.getLeaseId())
            .setTagsConditions(requestConditions == null ? null : requestConditions.getTagsConditions());
        Response<Void> written = blob.setMetadataWithResponse(rewrapped.metadata(), pinned, timeout, context);
        LOGGER.atVerbose().addKeyValue("blob", this::what)
            .addKeyValue("fromKeyId", rewrapped.before().wrappedContentKey().keyId())
            .addKeyValue("toKeyId", rewrapped.after().wrappedContentKey().keyId()).log("Content key re-wrapped");
        return new SimpleResponse<>(written, rewrapped.after());
    }

    /** The blob index tags (stored unencrypted). */
    public Map<String, String> getTags() {
        return blob.getTags();
    }

    /** Replaces the blob index tags (stored unencrypted). */
    public void setTags(Map<String, String> tags) {
        blob.setTags(tags);
    }

    // ------------------------------------------------------------------ snapshots and copies

    /**
     * Creates a snapshot (which keeps the metadata, so {@code encryptiondata} and the integrity record); returns a
     * client for it.
     */
    public EncryptedBlobClient createSnapshot() {
        return createSnapshotWithResponse(null, null, null, Context.NONE).getValue();
    }

    /**
     * Creates a snapshot. With {@code metadata} {@code null} the snapshot keeps the blob's metadata; otherwise it
     * gets {@code metadata} plus the blob's {@code encryptiondata} and integrity record.
     *
     * @throws EncryptionPolicyException if {@code metadata} has an {@code encryptiondata} or {@code cse4jintegrity}
     *     key
     */
    public Response<EncryptedBlobClient> createSnapshotWithResponse(Map<String, String> metadata,
        BlobRequestConditions requestConditions, Duration timeout, Context context) {
        BlobEncryptionMetadata.rejectReserved(metadata);
        Map<String, String> snapshotMetadata = null;
        BlobRequestConditions conditions = requestConditions;
        if (metadata != null) {
            KeptMetadata kept = keep(metadata, requestConditions, timeout, context);
            snapshotMetadata = kept.metadata();
            conditions = kept.conditions();
        }
        Response<BlobClientBase> response = blob.createSnapshotWithResponse(snapshotMetadata, conditions, timeout,
            context);
        return new SimpleResponse<>(response, getSnapshotClient(response.getValue().getSnapshotId()));
    }

    /**
     * Starts a server-side copy of an encrypted blob into this blob. The copy keeps the source's metadata, so its
     * {@code encryptiondata} and integrity record: the same keys decrypt and verify it. The source is checked first (with this client's
     * credential, or a SAS in {@code sourceUrl}) and the copy is pinned to the checked version.
     *
     * @throws EncryptionPolicyException if the source is not encrypted and this client requires encryption
     */
    public SyncPoller<BlobCopyInfo, Void> beginCopy(String sourceUrl, Duration pollInterval) {
        String etag = checkCopySource(sourceUrl);
        return blob.beginCopy(new BlobBeginCopyOptions(sourceUrl).setPollInterval(pollInterval)
            .setSourceRequestConditions(new com.azure.storage.blob.models.BlobBeginCopySourceRequestConditions()
                .setIfMatch(etag)));
    }

    /**
     * Copies an encrypted blob into this blob synchronously (Copy Blob From URL, up to 256 MiB), keeping the
     * source's metadata and so its {@code encryptiondata}. The source is checked as for {@link #beginCopy}.
     *
     * @return the copy id
     */
    public String copyFromUrl(String sourceUrl) {
        String etag = checkCopySource(sourceUrl);
        return blob.copyFromUrlWithResponse(new BlobCopyFromUrlOptions(sourceUrl)
            .setSourceRequestConditions(new RequestConditions().setIfMatch(etag)), null, Context.NONE).getValue();
    }

    /** Checks that the copy source is encrypted (if required); returns its ETag. */
    private String checkCopySource(String sourceUrl) {
        Objects.requireNonNull(sourceUrl, "sourceUrl");
        BlobClient source = CopySource.builder(sourceUrl, blob.getHttpPipeline()).buildClient();
        return KeptMetadata.checkCopySource(source.getProperties(), settings, "Copy source '"
            + source.getContainerName() + "/" + source.getBlobName() + "'");
    }

    // ------------------------------------------------------------------ helpers

    private String what() {
        return "Blob '" + blob.getContainerName() + "/" + blob.getBlobName() + "'"
            + (blob.getSnapshotId() == null ? "" : " (snapshot " + blob.getSnapshotId() + ")");
    }

    @Override
    public String toString() {
        return "EncryptedBlobClient[" + getBlobUrl() + ", writes " + protocol
            + (protocol == EncryptionProtocol.V2_1 ? " R=" + regionLength : "") + "]";
    }
}
