package dev.cse4j.cli;

import dev.cse4j.fleet.FleetAction;
import dev.cse4j.fleet.FleetOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "rewrap", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Rotate the key encryption key of the blobs of container C (all, --name N, or --prefix P): each blob's "
            + "content key is unwrapped with the key that wrapped it (from --key) and wrapped with the new key "
            + "(--new-key), and written back in one metadata request conditioned on the blob's listed ETag. The "
            + "data is not touched: stored bytes, headers, tags, tier and every other metadata entry stay. Works "
            + "for protocols 1.0, 2.0 and 2.1 (the protocol is kept).",
        "Blobs already wrapped by the new key (same key id and algorithm) are skipped as 'already done' from the "
            + "listing alone, so running the command again finishes an interrupted rotation. A blob changed after it "
            + "was listed is reported failed and left as it is. Archived and unencrypted blobs are skipped.",
        "Output: a line per blob as soon as it is done and a summary; with --json one JSON object per line "
            + "(result rewrapped, skipped, failed, or would-rewrap with --dry-run). Exit 0 if nothing failed, else "
            + "that of the most serious failure: 3 integrity, 4 key not found, 5 policy, 1 other."})
final class BlobRewrapCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    FleetTargetOptions target;

    @Mixin
    ReadKeyOptions key;

    @Mixin
    NewKeyOptions newKey;

    @Option(names = "--wrap-algorithm", paramLabel = "ALG",
        description = "Key wrap algorithm of the new key (default: A256KW, A192KW or A128KW by AES key size; "
            + "RSA-OAEP-256 for RSA keys; RSA keys also take RSA-OAEP).")
    String wrapAlgorithm;

    @Option(names = "--dry-run", description = "Report what would be rewrapped; write nothing, use no key.")
    boolean dryRun;

    @Mixin
    FleetRunOptions run;

    @Mixin
    ConnectionOptions connection;

    BlobRewrapCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (!newKey.isSet()) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--new-key=FILE' (the key "
                + "encryption key to wrap with).");
        }
        FleetOptions options = run.apply(FleetOptions.builder(FleetAction.REWRAP).dryRun(dryRun)).build();
        WriteKeyOptions.WritingKey writing = newKey.load(context, wrapAlgorithm);
        return FleetRun.run(context, target, connection, options, key.options(context)
            .key(writing.key(), writing.algorithm()).build(), run.json);
    }
}
