package dev.cse4j.cli;

import picocli.CommandLine.Command;

@Command(name = "table", mixinStandardHelpOptions = true,
    description = "Put, get and query table entities with client-side encrypted properties; rotate their key "
        + "encryption key (rewrap) and migrate legacy 1.0 entities to cse4j-t1.",
    subcommands = {TablePutCommand.class, TableGetCommand.class, TableQueryCommand.class, TableRewrapCommand.class,
        TableMigrateCommand.class})
final class TableCommand extends CommandGroup {
}
