package dev.cse4j.cli;

import com.azure.core.cryptography.KeyEncryptionKeyResolver;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import dev.cse4j.blob.EncryptedBlobClient;
import dev.cse4j.blob.EncryptedBlobProperties;
import dev.cse4j.blob.implementation.BlobEncryptionMetadata;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.HexFormat;
import java.util.concurrent.Callable;

@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Show how blob C/N is stored, without any key: whether it is encrypted, the protocol, key id, wrap "
            + "algorithm and region size, its plaintext and stored sizes, the first stored bytes in hex (what the "
            + "service holds: nonce and ciphertext, not your data) and the stored 'encryptiondata' JSON.",
        "Output: one 'name: value' line each (blob, encrypted, protocol, key id, wrap algorithm, region size, "
            + "encryption library, plaintext size, stored size, stored first bytes (hex), encryptiondata). Fields "
            + "that do not apply are left out. Malformed encryption metadata fails with exit 3."})
final class BlobInspectCommand implements Callable<Integer> {
    /** How many stored bytes to show. */
    static final int HEAD_BYTES = 32;
    /** Reads no key: inspecting needs none, and a 2.x blob's plaintext size needs none either. */
    private static final KeyEncryptionKeyResolver NO_KEYS = keyId -> null;

    private final CliContext context;

    @Mixin
    BlobOptions blob;

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
        EncryptionData data;
        BlobProperties stored;
        Long plaintextSize;
        try {
            data = client.inspect();
            if (data != null && data.protocol().usesRegions()) {
                EncryptedBlobProperties properties = client.getProperties();
                stored = properties.getBlobProperties();
                plaintextSize = properties.getPlaintextSize();
            } else {
                stored = storage.plain().getProperties();
                plaintextSize = data == null ? stored.getBlobSize() : null;
            }
        } catch (RuntimeException e) {
            throw storage.notFound(e);
        }
        String json = BlobEncryptionMetadata.find(stored.getMetadata());
        byte[] head = head(storage.plain(), stored.getBlobSize());

        PrintStream out = context.out();
        out.println("blob: " + storage.describe());
        out.println("encrypted: " + (data == null ? "no (cse4j blob download refuses it)" : "yes"));
        if (data != null) {
            out.println("protocol: " + data.protocol().wireValue());
            out.println("key id: " + data.wrappedContentKey().keyId());
            out.println("wrap algorithm: " + data.wrappedContentKey().algorithm());
            if (data.encryptedRegionInfo() != null) {
                out.println("region size: " + data.encryptedRegionInfo().dataLength());
            }
            if (data.encryptionLibrary() != null) {
                out.println("encryption library: " + data.encryptionLibrary());
            }
        }
        out.println("plaintext size: " + (plaintextSize != null ? plaintextSize.toString()
            : "unknown (protocol 1.0: only decrypting the last block tells)"));
        out.println("stored size: " + stored.getBlobSize());
        out.println("stored first bytes (hex): " + HexFormat.of().formatHex(head));
        if (json != null) {
            out.println("encryptiondata: " + Failures.oneLine(json));
        }
        return ExitCode.OK.code();
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
