package dev.cse4j.cli;

import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import dev.cse4j.blob.EncryptedBlobClient;
import dev.cse4j.blob.EncryptedBlobDownloadToFileOptions;
import dev.cse4j.blob.EncryptedBlobProperties;
import dev.cse4j.blob.implementation.FileDownload;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptedRegionInfo;
import dev.cse4j.core.EncryptionProtocol;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.Callable;

@Command(name = "download", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Download blob C/N, verify and decrypt it on this machine, and write the plaintext to F (replacing F only "
            + "once everything verified: a failed download leaves no partial plaintext behind).",
        "--offset/--count select a plaintext byte range (--offset alone: to the end; --count past the end is "
            + "clipped); only the regions covering it are fetched. An --offset at or past the end is refused (exit 1, "
            + "F untouched), as the service refuses such a range (416).",
        "Unencrypted blobs are refused (exit 5); legacy protocol 1.0 blobs (AES-CBC, unauthenticated: nothing "
            + "verifies them) only with --allow-v1.",
        "Blobs written by cse4j carry an integrity record: regions cut from the end, bytes appended, or the record "
            + "edited or moved from another blob fail with exit 3. Blobs without one (other SDKs, older cse4j) are "
            + "read unless --require-integrity-record is given (exit 5): only then is a stripped record detected."})
final class BlobDownloadCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    BlobOptions blob;

    @Option(names = "--file", required = true, paramLabel = "F", converter = NonEmptyPath.class,
        description = "Where to write the plaintext (an existing file is replaced; a symbolic link is followed; a "
            + "folder, FIFO or device is refused).")
    Path file;

    @Mixin
    ReadKeyOptions key;

    @Option(names = "--offset", paramLabel = "N", description = "First plaintext byte to download (default 0).")
    Long offset;

    @Option(names = "--count", paramLabel = "N",
        description = "Number of plaintext bytes from --offset (default: to the end; clipped at the end).")
    Long count;

    @Option(names = "--allow-v1",
        description = "Also decrypt legacy protocol 1.0 blobs (AES-CBC: unauthenticated, modifiable undetectably).")
    boolean allowV1;

    @Option(names = "--require-integrity-record",
        description = "Refuse protocol 2.x blobs without cse4j's integrity record (for containers only cse4j "
            + "writes): a record removed to hide truncation is then detected.")
    boolean requireIntegrityRecord;

    @Option(names = "--max-region-size", paramLabel = "BYTES",
        description = "Longest protocol 2.1 region to read, 4194304 to 1073741824 (default 67108864): each region is "
            + "held in memory whole until it verified. A blob with longer regions is refused (exit 5).")
    Integer maxRegionSize;

    @Option(names = "--no-progress-timeout", paramLabel = "SECONDS", defaultValue = "60",
        description = "Stop the download when the service sends nothing for this long (default ${DEFAULT-VALUE}; "
            + "a slow service that keeps sending is not stopped). Exit 1, --file left as it was.")
    long noProgressSeconds;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    TransferOptions transfer;

    BlobDownloadCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        BlobRange range = range();
        checkBounds();
        checkWritable(file);
        BlobStorage storage = new BlobStorage(context.connectionString(connection.connectionString), blob.container,
            blob.name);
        CryptoChoice.announce(context, context.debugRequested(spec));
        ClientSideEncryptionOptions.Builder options = key.options(context).allowUnauthenticatedV1Reads(allowV1)
            .requireIntegrityRecord(requireIntegrityRecord);
        if (maxRegionSize != null) {
            options.maxReadRegionLength(maxRegionSize);
        }
        EncryptedBlobClient client = storage.encrypted(options.build())
            .buildEncryptedBlobClient();
        EncryptedBlobDownloadToFileOptions download = new EncryptedBlobDownloadToFileOptions(file.toString())
            .setRange(range).setOverwrite(true).setNoProgressTimeout(Duration.ofSeconds(noProgressSeconds));
        if (range != null) {
            // The version whose size was checked is the one downloaded (If-Match): a range starting at or past its
            // end is refused before the file is touched, as the service refuses it (416).
            download.setRequestConditions(new BlobRequestConditions().setIfMatch(checkRange(client, storage, range)));
        }
        EncryptedBlobProperties properties;
        long written;
        try (Progress progress = Progress.start(context, transfer.quiet, "download", expectedBytes(storage, range))) {
            download.setProgressListener(progress);
            properties = client.downloadToFileWithResponse(download, null, Context.NONE).getValue();
            written = progress.bytes();
        } catch (RuntimeException e) {
            throw key.explain(stalled(storage, changed(storage, storage.notFound(e))));
        }
        long size = properties.getPlaintextSize();
        long first = range == null ? 0 : range.getOffset();
        boolean authenticated = properties.getProtocol() != EncryptionProtocol.V1_0;
        context.out().println("Downloaded " + storage.describe() + " (" + written + " bytes"
            + (range == null ? "" : " from offset " + first + " of " + size) + ", protocol "
            + properties.getProtocol().wireValue() + (authenticated ? ", verified"
            : ", unauthenticated: not verified, AES-CBC has no integrity check; re-encrypt it with protocol 2.x")
            + ") to " + file + ".");
        CryptoChoice.warnIfSlow(context);
        return ExitCode.OK.code();
    }

    /** The ETag of the version whose plaintext size the range fits; a range starting at or past the end fails. */
    private String checkRange(EncryptedBlobClient client, BlobStorage storage, BlobRange range) {
        Response<EncryptedBlobProperties> current;
        try {
            current = client.getPropertiesWithResponse(null, Duration.ofSeconds(noProgressSeconds), Context.NONE);
        } catch (RuntimeException e) {
            throw key.explain(stalled(storage, storage.notFound(e)));
        }
        long size = current.getValue().getPlaintextSize();
        if (range.getOffset() > 0 && range.getOffset() >= size) {
            throw new CliFailure(ExitCode.OTHER, "--offset " + range.getOffset() + " is at or past the end of "
                + storage.describe() + ", whose plaintext is " + size + " bytes: there is nothing to download (the "
                + "service answers such a range with 416, range not satisfiable). " + (size == 0 ? "The blob is "
                + "empty: drop --offset." : "Give an --offset below " + size + ".") + " " + file + " was left "
                + "unchanged.");
        }
        return current.getValue().getETag();
    }

    /**
     * Turns "the service sent nothing for the no-progress bound" (the library's, or the properties request's own
     * timeout at that bound) into the command's words.
     */
    private RuntimeException stalled(BlobStorage storage, RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException) {
                return new CliFailure(ExitCode.OTHER, "The storage service sent nothing for " + noProgressSeconds
                    + " s, so the download of '" + storage.describe() + "' was stopped and " + file + " was left as "
                    + "it was. The service or the network is stalled: try again later, or allow longer with "
                    + "--no-progress-timeout SECONDS.", e);
            }
        }
        return e;
    }

    /** Turns "the blob changed during the download" (412 on If-Match) into a clear failure. */
    private RuntimeException changed(BlobStorage storage, RuntimeException e) {
        BlobStorageException error = BlobStorage.find(e);
        if (error != null && error.getStatusCode() == 412) {
            return new CliFailure(ExitCode.OTHER, "Blob '" + storage.describe() + "' was replaced while it was being "
                + "downloaded, so the download stopped and " + file + " was left unchanged. Download it again.", e);
        }
        return e;
    }

    private void checkBounds() {
        if (noProgressSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--no-progress-timeout must be 1 second or more, not "
                + noProgressSeconds + ".");
        }
        if (maxRegionSize != null && (maxRegionSize < EncryptedRegionInfo.V2_0_DATA_LENGTH
            || maxRegionSize > EncryptedRegionInfo.MAX_DATA_LENGTH)) {
            throw new ParameterException(spec.commandLine(), "--max-region-size must be 4194304 to 1073741824 bytes, "
                + "not " + maxRegionSize + ".");
        }
    }

    private BlobRange range() {
        if (count != null && offset == null) {
            throw new ParameterException(spec.commandLine(), "--count needs --offset (e.g. --offset 0 --count "
                + count + ").");
        }
        if (offset == null) {
            return null;
        }
        if (offset < 0) {
            throw new ParameterException(spec.commandLine(), "--offset must be 0 or more, not " + offset + ".");
        }
        if (count != null && count < 1) {
            throw new ParameterException(spec.commandLine(), "--count must be 1 or more, not " + count + ".");
        }
        return count == null ? new BlobRange(offset) : new BlobRange(offset, count);
    }

    /**
     * Fails early, before any request, when the plaintext could not be written to {@code file}: its folder is
     * missing, or it is a folder, FIFO, device or socket (never replaced). A symbolic link is followed, as the library
     * follows it.
     */
    static void checkWritable(Path file) {
        try {
            FileDownload.destination(file, true);
        } catch (UncheckedIOException e) {
            throw new CliFailure(ExitCode.OTHER, e.getMessage() + " Check --file.", e);
        }
    }

    /** For the progress bar only (asked only when one could be shown): the stored size bounds the plaintext. */
    private long expectedBytes(BlobStorage storage, BlobRange range) {
        if (transfer.quiet || !context.stderrTerminal()) {
            return 0;
        }
        long stored;
        try {
            stored = storage.plain().getProperties().getBlobSize();
        } catch (RuntimeException e) {
            throw key.explain(storage.notFound(e));
        }
        long first = range == null ? 0 : range.getOffset();
        long available = Math.max(0, stored - first);
        return range == null || range.getCount() == null ? available : Math.min(available, range.getCount());
    }
}
