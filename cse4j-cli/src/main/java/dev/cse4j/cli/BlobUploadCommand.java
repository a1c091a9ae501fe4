package dev.cse4j.cli;

import com.azure.core.exception.UnexpectedLengthException;
import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import dev.cse4j.blob.EncryptedBlobClient;
import dev.cse4j.blob.EncryptedBlobClientBuilder;
import dev.cse4j.blob.EncryptedBlobUploadFromFileOptions;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptedRegionInfo;
import dev.cse4j.core.EncryptionProtocol;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ConcurrentModificationException;
import java.util.concurrent.Callable;

@Command(name = "upload", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Encrypt FILE on this machine and upload it as block blob C/N. The container is created when missing. "
            + "A fresh content key encrypts the data and is stored wrapped by your key in the blob's "
            + "'encryptiondata' metadata.",
        "Protocol 2.0 (default) cuts the data into 4 MiB regions; 2.1 takes --region-size (16 bytes to 1 GiB). "
            + "--region-size alone implies 2.1. An existing blob is replaced only with --overwrite."})
final class BlobUploadCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    BlobOptions blob;

    @Option(names = "--file", required = true, paramLabel = "F", converter = NonEmptyPath.class,
        description = "The file to upload.")
    Path file;

    @Mixin
    WriteKeyOptions key;

    @Option(names = "--protocol", paramLabel = "VERSION", converter = Protocols.Writable.class,
        description = "Encryption protocol: 2.0 (default) or 2.1 (default with --region-size).")
    EncryptionProtocol protocol;

    @Option(names = "--region-size", paramLabel = "BYTES",
        description = "Plaintext bytes per region, protocol 2.1 only: 16 to 1073741824 (default 4194304).")
    Integer regionSize;

    @Option(names = "--overwrite", description = "Replace the blob if it exists (otherwise refuse, exit 1).")
    boolean overwrite;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    TransferOptions transfer;

    BlobUploadCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        EncryptionProtocol chosen = chooseProtocol();
        long size = fileSize();
        WriteKeyOptions.WritingKey writing = key.load(context);
        BlobStorage storage = new BlobStorage(context.connectionString(connection.connectionString), blob.container,
            blob.name);
        ClientSideEncryptionOptions.Builder encryption = writing.options().blobProtocol(chosen);
        if (regionSize != null) {
            encryption.blobRegionLength(regionSize);
        }
        CryptoChoice.announce(context, context.debugRequested(spec));
        EncryptedBlobClientBuilder builder = storage.encrypted(encryption.build());
        EncryptedBlobClient client = builder.buildEncryptedBlobClient();
        storage.createContainerIfMissing();
        if (!overwrite && storage.plain().exists()) {
            throw exists(storage, null);
        }
        EncryptedBlobUploadFromFileOptions options = new EncryptedBlobUploadFromFileOptions(file.toString())
            .setRequestConditions(overwrite ? null : new BlobRequestConditions().setIfNoneMatch("*"));
        long uploaded;
        try (Progress progress = Progress.start(context, transfer.quiet, "upload", size)) {
            options.setProgressListener(progress);
            client.uploadFromFileWithResponse(options, null, Context.NONE);
            uploaded = progress.bytes();
        } catch (RuntimeException e) {
            throw explain(storage, file, e, overwrite);
        }
        context.out().println("Uploaded " + file + " (" + uploaded + " bytes) to " + storage.describe()
            + ", encrypted with protocol " + chosen.wireValue() + " (" + client.getRegionLength()
            + "-byte regions), " + writing.describe() + ".");
        CryptoChoice.warnIfSlow(context);
        return ExitCode.OK.code();
    }

    /**
     * What a failed upload of {@code file} means for the user, in the command's terms; others pass unchanged. A
     * conflict means the blob exists only without {@code --overwrite} (the upload's If-None-Match); with it, the
     * service's own answer is reported.
     */
    static RuntimeException explain(BlobStorage storage, Path file, RuntimeException e, boolean overwrite) {
        BlobStorageException storageError = BlobStorage.find(e);
        if (!overwrite && storageError != null && (BlobErrorCode.BLOB_ALREADY_EXISTS.equals(storageError.getErrorCode())
            || storageError.getStatusCode() == 409 || storageError.getStatusCode() == 412)) {
            return exists(storage, e);
        }
        if (storageError != null && BlobErrorCode.INVALID_BLOCK_LIST.equals(storageError.getErrorCode())) {
            return new CliFailure(ExitCode.OTHER, "Another upload to '" + storage.describe() + "' committed while "
                + "this one was uploading, which discarded the blocks this one had sent: the blob holds the other "
                + "upload's data, whole, and nothing of " + file + " was committed. Upload again (with --overwrite) "
                + "if " + file + " should replace it.", e);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnexpectedLengthException || t instanceof ConcurrentModificationException) {
                return new CliFailure(ExitCode.OTHER, t.getMessage(), e); // the file changed while it was read
            }
        }
        return e;
    }

    private static CliFailure exists(BlobStorage storage, Throwable cause) {
        return new CliFailure(ExitCode.OTHER, "Blob '" + storage.describe() + "' exists; it was left unchanged. "
            + "Pass --overwrite to replace it, or choose another --name.", cause);
    }

    private EncryptionProtocol chooseProtocol() {
        if (regionSize != null) {
            if (protocol == EncryptionProtocol.V2_0) {
                throw new ParameterException(spec.commandLine(), "--region-size applies to protocol 2.1 only "
                    + "(2.0 regions are always 4 MiB): use --protocol 2.1, or drop --region-size.");
            }
            if (regionSize < EncryptedRegionInfo.MIN_DATA_LENGTH || regionSize > EncryptedRegionInfo.MAX_DATA_LENGTH) {
                throw new ParameterException(spec.commandLine(), "--region-size must be 16 to 1073741824 bytes, not "
                    + regionSize + ".");
            }
            return EncryptionProtocol.V2_1;
        }
        return protocol == null ? EncryptionProtocol.V2_0 : protocol;
    }

    private long fileSize() {
        if (!Files.isRegularFile(file)) {
            throw new CliFailure(ExitCode.OTHER, "Cannot upload " + file + ": " + (Files.exists(file)
                ? "it is not a regular file" : "no such file") + ". Check --file.");
        }
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
