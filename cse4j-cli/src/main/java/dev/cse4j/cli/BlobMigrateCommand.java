package dev.cse4j.cli;

import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.fleet.FleetAction;
import dev.cse4j.fleet.FleetOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "migrate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Re-encrypt the protocol 1.0 and 2.1 blobs of container C (all, --name N, or --prefix P) as protocol 2.0, "
            + "which every SDK reads, under a fresh content key wrapped by --new-key, or without it by the key that "
            + "wrapped each blob (which must be in --key). Migration is the explicit opt-in to read legacy 1.0 "
            + "blobs. User metadata, tags, content headers (type, encoding, language, disposition, cache control) "
            + "and an explicit access tier are kept.",
        "The new blob is committed only if the blob did not change since it was read (If-Match): a concurrent "
            + "writer's data is never overwritten (the blob is reported failed). It is then read back and its "
            + "plaintext's SHA-256 compared with the source's before it counts as migrated.",
        "Blobs already in protocol 2.0 (under the --new-key key, if given) are skipped as 'already done' from the "
            + "listing alone, so running the command again finishes an interrupted migration. Archived blobs, page "
            + "and append blobs, and unencrypted blobs (unless --include-unencrypted) are skipped. Snapshots and "
            + "earlier versions keep their old format.",
        "Output: a line per blob as soon as it is done and a summary; with --json one JSON object per line "
            + "(result migrated, skipped, failed, or would-migrate with --dry-run). Exit 0 if nothing failed, else "
            + "that of the most serious failure: 3 integrity, 4 key not found, 5 policy, 1 other."})
final class BlobMigrateCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    FleetTargetOptions target;

    @Mixin
    ReadKeyOptions key;

    @Mixin
    NewKeyOptions newKey;

    @Option(names = "--include-unencrypted",
        description = "Also encrypt blobs that are not encrypted at all (needs --new-key).")
    boolean includeUnencrypted;

    @Option(names = "--dry-run", description = "Report what would be migrated; write nothing, use no key.")
    boolean dryRun;

    @Mixin
    FleetRunOptions run;

    @Mixin
    ConnectionOptions connection;

    BlobMigrateCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (includeUnencrypted && !newKey.isSet()) {
            throw new ParameterException(spec.commandLine(), "--include-unencrypted needs --new-key: the key "
                + "encryption key to encrypt the unencrypted blobs with.");
        }
        if (newKey.keyId != null && !newKey.isSet()) {
            throw new ParameterException(spec.commandLine(), "--new-key-id needs --new-key (the file that holds "
                + "that key).");
        }
        FleetOptions options = run.apply(FleetOptions.builder(FleetAction.MIGRATE).dryRun(dryRun)
            .includeUnencrypted(includeUnencrypted)).build();
        CryptoChoice.announce(context, context.debugRequested(spec));
        ClientSideEncryptionOptions.Builder keys = key.options(context);
        if (newKey.isSet()) {
            WriteKeyOptions.WritingKey writing = newKey.load(context, null);
            keys.key(writing.key(), writing.algorithm());
        }
        return FleetRun.run(context, target, connection, options, keys.build(), run.json);
    }
}
