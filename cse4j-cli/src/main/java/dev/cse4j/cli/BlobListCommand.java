package dev.cse4j.cli;

import dev.cse4j.blob.BlobEncryptionInfo;
import dev.cse4j.blob.BlobListing;
import dev.cse4j.blob.BlobRef;
import dev.cse4j.core.implementation.TerminalText;
import dev.cse4j.fleet.EncryptionState;
import dev.cse4j.fleet.FleetInventory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.Iterator;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;

@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "List the blobs of container C (or those whose names start with P) and how each is encrypted, from the "
            + "listing's metadata alone: no key, no blob read. The inventory: which protocols and key ids are in "
            + "use.",
        "Output: a line per blob (name: encrypted or not, protocol, key id, plaintext size where the listing "
            + "determines it), then the counts per protocol and key id. With --json one JSON object per line per "
            + "blob and nothing else: {\"name\":…,\"encrypted\":true|false,\"protocol\":\"1.0\"|\"2.0\"|\"2.1\"|null,"
            + "\"keyId\":…|null,\"size\":N|null}, plus \"error\":… for malformed encryption metadata. Strings from "
            + "the service are escaped in the lines, JSON-escaped in --json."})
final class BlobListCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--container", required = true, paramLabel = "C", converter = Names.Container.class,
        description = "Container name.")
    String container;

    @Option(names = "--prefix", paramLabel = "P",
        description = "Only the blobs whose names start with P (default: the whole container).")
    String prefix;

    @Option(names = "--json", description = "One JSON object per line per blob, and nothing else.")
    boolean json;

    @Mixin
    ConnectionOptions connection;

    BlobListCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        BlobStorage storage = new BlobStorage(context.connectionString(connection.connectionString), container, null);
        PrintStream out = context.out();
        FleetInventory inventory = new FleetInventory();
        try {
            Iterator<BlobRef> blobs = BlobListing.list(storage.container(), prefix);
            while (blobs.hasNext()) {
                BlobRef blob = blobs.next();
                BlobListing.count(inventory, blob);
                out.println(json ? TerminalText.json(blob.toListingJson()) : line(blob));
            }
        } catch (RuntimeException e) {
            throw storage.notFound(e);
        }
        if (!json) {
            out.println(summary(inventory));
        }
        return ExitCode.OK.code();
    }

    /** {@code a/b.pdf: encrypted, protocol 2.0, key 'kek1', 1234 bytes}. */
    static String line(BlobRef blob) {
        BlobEncryptionInfo info = blob.getEncryptionInfo();
        StringBuilder line = new StringBuilder(TerminalText.escape(blob.getName())).append(": ");
        if (!info.isEncrypted()) {
            line.append("not encrypted");
        } else if (info.getEncryptionData() == null) {
            line.append("malformed encryption metadata (").append(TerminalText.oneLine(info.getError())).append(')');
        } else {
            line.append("encrypted, protocol ").append(info.getProtocol().wireValue()).append(", key '")
                .append(TerminalText.escape(info.getKeyId())).append('\'');
        }
        Long size = info.getPlaintextLength();
        line.append(", ").append(size == null ? "size unknown" : size + (size == 1 ? " byte" : " bytes"));
        return line.toString();
    }

    /** {@code 5 blobs: 3 protocol 2.0 key 'kek1', 1 protocol 1.0 key 'old', 1 not encrypted}. */
    static String summary(FleetInventory inventory) {
        long total = inventory.total();
        StringJoiner parts = new StringJoiner(", ", total + (total == 1 ? " blob" : " blobs") + (total == 0 ? ""
            : ": "), "");
        for (Map.Entry<EncryptionState, Long> entry : inventory.encrypted().entrySet()) {
            parts.add(entry.getValue() + " protocol " + entry.getKey().protocol() + " key '"
                + TerminalText.escape(entry.getKey().keyId()) + "'");
        }
        if (inventory.unencrypted() > 0) {
            parts.add(inventory.unencrypted() + " not encrypted");
        }
        if (inventory.malformed() > 0) {
            parts.add(inventory.malformed() + " with malformed encryption metadata");
        }
        return parts.toString();
    }
}
