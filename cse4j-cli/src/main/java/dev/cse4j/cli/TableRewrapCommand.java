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
        "Rotate the key encryption key of the entities of table T (all, or those --filter selects): each entity's "
            + "content key is unwrapped with the key that wrapped it (from --key) and wrapped with the new key "
            + "(--new-key), and only _ClientEncryptionMetadata1 is written back, conditioned on the entity's listed "
            + "ETag. The encrypted values, the list of encrypted names and every other property stay byte for byte. "
            + "Works for legacy 1.0 and cse4j-t1 entities (the protocol is kept).",
        "Entities already wrapped by the new key (same key id and algorithm) are skipped as 'already done' from the "
            + "listing alone, so running the command again finishes an interrupted rotation. An entity changed after "
            + "it was listed is reported failed and left as it is. Unencrypted entities are skipped.",
        "Output: a line per entity as soon as it is done and a summary; with --json one JSON object per line "
            + "(result rewrapped, skipped, failed, or would-rewrap with --dry-run). Exit 0 if nothing failed, else "
            + "that of the most serious failure: 3 integrity, 4 key not found, 5 policy, 1 other."})
final class TableRewrapCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    TableFleetOptions target;

    @Mixin
    ReadKeyOptions key;

    @Mixin
    NewKeyOptions newKey;

    @Option(names = "--dry-run", description = "Report what would be rewrapped; write nothing, use no key.")
    boolean dryRun;

    @Mixin
    ConnectionOptions connection;

    TableRewrapCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (!newKey.isSet()) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--new-key=FILE' (the key "
                + "encryption key to wrap with).");
        }
        FleetOptions options = FleetOptions.builder(FleetAction.REWRAP).dryRun(dryRun).build();
        WriteKeyOptions.WritingKey writing = newKey.load(context, null);
        return FleetRun.runTable(context, target.table, target.filter, connection, options, key.options(context)
            .key(writing.key(), writing.algorithm()).build(), target.json);
    }
}
