package dev.cse4j.cli;

import picocli.CommandLine.Command;

@Command(name = "table", mixinStandardHelpOptions = true,
    description = "Put and get table entities with client-side encrypted properties.",
    subcommands = {TablePutCommand.class, TableGetCommand.class})
final class TableCommand extends CommandGroup {
}
