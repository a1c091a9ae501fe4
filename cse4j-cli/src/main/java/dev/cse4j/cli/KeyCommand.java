package dev.cse4j.cli;

import picocli.CommandLine.Command;

@Command(name = "key", mixinStandardHelpOptions = true, description = "Make key encryption keys.",
    subcommands = {KeyGenerateCommand.class})
final class KeyCommand extends CommandGroup {
}
