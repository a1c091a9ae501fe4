package dev.cse4j.cli;

import com.azure.core.cryptography.KeyEncryptionKeyResolver;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobType;
import dev.cse4j.blob.EncryptedBlobClient;
import dev.cse4j.blob.EncryptedBlobProperties;
import dev.cse4j.blob.implementation.BlobEncryptionMetadata;
import dev.cse4j.core.ClientSideEncryptionException;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.IntegrityException;
import dev.cse4j.core.IntegrityRecord;
import dev.cse4j.core.MalformedEncryptionDataException;
import dev.cse4j.core.implementation.TerminalText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;

@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Show how blob C/N is stored, without any key: whether it is encrypted, the protocol, key id, wrap "
            + "algorithm and region size, its plaintext and stored sizes, the first stored bytes in hex (what the "
            + "service holds: nonce and ciphertext, not your data), cse4j's integrity record and the stored "
            + "'encryptiondata' JSON.",
        "The integrity record (protocol 2.x blobs written by cse4j) is authenticated with the blob's content key: "
            + "without --key it is shown as present but not verified; with --key it is verified (key commitment, "
            + "MAC, and the stored length against its plaintext length) without reading the data.",
        "Output: one 'name: value' line each (blob, blob type, encrypted, protocol, key id, wrap algorithm, "
            + "region size, encryption library, plaintext size, stored size, stored first bytes (hex), integrity "
            + "record, cse4jintegrity, encryptiondata). Fields that do not apply are left out. Strings from the "
            + "service and the metadata are escaped (control and bidirectional characters as \\xNN and \\u{XXXX}).",
        "Malformed encryption metadata (shown raw, the parse error on stderr), or an integrity record that is "
            + "malformed or fails verification, exits with 3 (after the output); a key file without the blob's key "
            + "with 4."})
final class BlobInspectCommand implements Callable<Integer> {
    /** How many stored bytes to show. */
    static final int HEAD_BYTES = 32;
    /** Reads no key: inspecting needs none, and a 2.x blob's plaintext size needs none either. */
    private static final KeyEncryptionKeyResolver NO_KEYS = keyId -> null;

    private final CliContext context;

    @Mixin
    BlobOptions blob;

    @Option(names = "--key", paramLabel = "FILE", converter = NonEmptyPath.class,
        description = "Key file (JSON Web Key or JWK Set) holding the blob's key: verifies the integrity record.")
    Path keyFile;

    @Mixin
    ConnectionOptions connection;

    BlobInspectCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        BlobStorage storage = new BlobStorage(context.connectionString(connection.connectionString), blob.container,
            blob.name);
        EncryptedBlobClient client = storage.encrypted(ClientSideEncryptionOptions.builder().keyResolver(NO_KEYS)
            .requireEncryption(false).build()).buildEncryptedBlobClient();
        EncryptionData data = null;
        MalformedEncryptionDataException malformed = null;
        BlobProperties stored;
        Long plaintextSize = null;
        try {
            stored = storage.plain().getProperties();
            try {
                data = client.inspect();
            } catch (MalformedEncryptionDataException e) {
                malformed = e; // shown below with the raw metadata, then reported
            }
            if (data != null && data.protocol().usesRegions() && stored.getBlobType() == BlobType.BLOCK_BLOB) {
                try {
                    EncryptedBlobProperties properties = client.getProperties();
                    stored = properties.getBlobProperties();
                    plaintextSize = properties.getPlaintextSize();
                } catch (IntegrityException e) {
                    // the stored length is impossible: without an integrity record that fails here; with one, the
                    // record's line below says how it is contradicted
                    if (BlobEncryptionMetadata.findIntegrityRecord(stored.getMetadata()) == null) {
                        throw e;
                    }
                }
            } else if (data == null && malformed == null) {
                plaintextSize = stored.getBlobSize();
            }
        } catch (RuntimeException e) {
            throw storage.notFound(e);
        }
        String json = BlobEncryptionMetadata.find(stored.getMetadata());
        String recordValue = data == null || !data.protocol().usesRegions() ? null
            : BlobEncryptionMetadata.findIntegrityRecord(stored.getMetadata());
        Integrity integrity = integrity(storage, data, recordValue, stored);
        if (integrity.exitCode != ExitCode.OK) {
            plaintextSize = null;
        }
        byte[] head = head(storage.plain(), stored.getBlobSize());

        // Every value that comes from the service or the stored metadata is escaped (TerminalText).
        PrintStream out = context.out();
        out.println("blob: " + TerminalText.escape(storage.describe()));
        out.println("blob type: " + blobType(stored.getBlobType()));
        out.println("encrypted: " + (malformed != null ? "malformed encryption metadata (cse4j blob download "
            + "refuses it)" : data == null ? "no (cse4j blob download refuses it)" : "yes"));
        if (data != null) {
            out.println("protocol: " + data.protocol().wireValue());
            out.println("key id: " + TerminalText.escape(data.wrappedContentKey().keyId()));
            out.println("wrap algorithm: " + TerminalText.escape(data.wrappedContentKey().algorithm()));
            if (data.encryptedRegionInfo() != null) {
                out.println("region size: " + data.encryptedRegionInfo().dataLength());
            }
            if (data.encryptionLibrary() != null) {
                out.println("encryption library: " + TerminalText.escape(data.encryptionLibrary()));
            }
        }
        out.println("plaintext size: " + (plaintextSize != null ? plaintextSize.toString()
            : malformed != null ? "unknown (the encryption metadata is malformed)"
            : integrity.exitCode != ExitCode.OK ? "unknown (the integrity record does not hold)"
            : data.protocol().usesRegions() ? "unknown (protocol 2.x exists for block blobs only; cse4j does not "
            + "read this blob)"
            : "unknown (protocol 1.0: only decrypting the last block tells)"));
        out.println("stored size: " + stored.getBlobSize());
        out.println("stored first bytes (hex): " + HexFormat.of().formatHex(head));
        if (integrity.line != null) {
            out.println("integrity record: " + integrity.line);
        }
        if (recordValue != null) {
            out.println("cse4jintegrity: " + TerminalText.oneLine(recordValue));
        }
        if (json != null) {
            out.println("encryptiondata: " + TerminalText.oneLine(json));
        }
        if (malformed != null) {
            throw malformed; // the parse error, on stderr, with exit code 3
        }
        return integrity.exitCode.code();
    }

    private static String blobType(BlobType type) {
        return type == BlobType.BLOCK_BLOB ? "block" : type == BlobType.PAGE_BLOB ? "page"
            : type == BlobType.APPEND_BLOB ? "append" : String.valueOf(type);
    }

    /** What the integrity line says, and the exit code it implies. */
    private record Integrity(String line, ExitCode exitCode) {
    }

    private Integrity integrity(BlobStorage storage, EncryptionData data, String recordValue, BlobProperties stored) {
        if (data == null || !data.protocol().usesRegions()) {
            return new Integrity(null, ExitCode.OK);
        }
        if (recordValue != null && stored.getBlobType() != BlobType.BLOCK_BLOB) {
            // the metadata was copied from a block blob: the blob type is unsupported, not tampered
            return new Integrity("not checked (protocol 2.x exists for block blobs only; cse4j does not read this "
                + blobType(stored.getBlobType()) + " blob)", ExitCode.OK);
        }
        long storedSize = stored.getBlobSize();
        if (recordValue == null) {
            return new Integrity("none (written by another SDK or an older cse4j: regions cut from the end of the "
                + "blob are not detected; readers that require the record refuse it)", ExitCode.OK);
        }
        IntegrityRecord record;
        try {
            record = IntegrityRecord.parse(recordValue);
        } catch (ClientSideEncryptionException e) {
            return new Integrity("malformed: " + TerminalText.oneLine(e.getMessage()), Failures.exitCode(e));
        }
        String fields = "version " + record.version() + ", protocol " + record.protocol().wireValue()
            + ", region size " + record.regionDataLength() + ", plaintext length " + record.plaintextLength();
        if (keyFile == null) {
            if (record.encryptedLength() != storedSize) {
                return new Integrity("present (" + fields + ") but contradicted: that plaintext length is stored as "
                    + record.encryptedLength() + " bytes, not " + storedSize + " (regions were dropped or added, or "
                    + "the record was modified); not verified (pass --key)", ExitCode.INTEGRITY);
            }
            return new Integrity("present (" + fields + "), not verified: its MAC needs the blob's key (pass --key)",
                ExitCode.OK);
        }
        try {
            storage.encrypted(ClientSideEncryptionOptions.builder().keyResolver(KeyFile.read(keyFile, context)
                .resolver()).build()).buildEncryptedBlobClient().verifyIntegrityRecord();
            return new Integrity("verified (" + fields + "; key commitment, MAC and stored length hold)",
                ExitCode.OK);
        } catch (ClientSideEncryptionException e) {
            return new Integrity("FAILED verification: " + TerminalText.oneLine(e.getMessage()), Failures.exitCode(e));
        }
    }

    private static byte[] head(BlobClient plain, long size) {
        if (size == 0) {
            return new byte[0];
        }
        ByteArrayOutputStream head = new ByteArrayOutputStream(HEAD_BYTES);
        plain.downloadStreamWithResponse(head, new BlobRange(0, Math.min(size, HEAD_BYTES)), null, null, false, null,
            Context.NONE);
        return head.toByteArray();
    }
}
