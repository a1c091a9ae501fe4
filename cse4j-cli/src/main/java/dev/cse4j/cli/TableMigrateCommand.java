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
        "Re-encrypt the legacy protocol 1.0 entities of table T (all, or those --filter selects) in cse4j's "
            + "authenticated format cse4j-t1, under a fresh content key wrapped by --new-key, or without it by the key "
            + "that wrapped each entity (which must be in --key). The same properties stay encrypted; every other "
            + "property is kept. Migration is the explicit opt-in to read legacy 1.0 entities. With --new-key, "
            + "cse4j-t1 entities under another key are re-encrypted too.",
        "The new entity replaces the old only if it did not change since it was read (If-Match): a concurrent "
            + "writer's entity is never overwritten (the entity is reported failed). It is then read back and "
            + "compared with the source before it counts as migrated.",
        "Entities already in cse4j-t1 (under the --new-key key, if given) are skipped as 'already done' from the "
            + "listing alone, so running the command again finishes an interrupted migration. Unencrypted entities "
            + "are skipped. Note that the legacy SDKs (Java 8.x, .NET 9.x, Python cosmosdb-table) cannot read "
            + "cse4j-t1.",
        "Output: a line per entity as soon as it is done and a summary; with --json one JSON object per line "
            + "(result migrated, skipped, failed, or would-migrate with --dry-run). Exit 0 if nothing failed, else "
            + "that of the most serious failure: 3 integrity, 4 key not found, 5 policy, 1 other."})
final class TableMigrateCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    TableFleetOptions target;

    @Mixin
    ReadKeyOptions key;

    @Mixin
    NewKeyOptions newKey;

    @Option(names = "--dry-run", description = "Report what would be migrated; write nothing, use no key.")
    boolean dryRun;

    @Mixin
    ConnectionOptions connection;

    TableMigrateCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (newKey.keyId != null && !newKey.isSet()) {
            throw new ParameterException(spec.commandLine(), "--new-key-id needs --new-key (the file that holds "
                + "that key).");
        }
        FleetOptions options = FleetOptions.builder(FleetAction.MIGRATE).dryRun(dryRun).build();
        CryptoChoice.announce(context, context.debugRequested(spec));
        ClientSideEncryptionOptions.Builder keys = key.options(context);
        if (newKey.isSet()) {
            WriteKeyOptions.WritingKey writing = newKey.load(context, null);
            keys.key(writing.key(), writing.algorithm());
        }
        return FleetRun.runTable(context, target.table, target.filter, connection, options, keys.build(),
            target.json);
    }
}
