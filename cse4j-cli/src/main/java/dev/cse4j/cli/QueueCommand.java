package dev.cse4j.cli;

import picocli.CommandLine.Command;

@Command(name = "queue", mixinStandardHelpOptions = true,
    description = "Send and receive client-side encrypted queue messages (protocol 2.0, AES-256-GCM).",
    subcommands = {QueueSendCommand.class, QueueReceiveCommand.class})
final class QueueCommand extends CommandGroup {
}
