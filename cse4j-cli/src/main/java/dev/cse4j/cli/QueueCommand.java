package dev.cse4j.cli;

import picocli.CommandLine.Command;

@Command(name = "queue", mixinStandardHelpOptions = true,
    description = "Send, receive and peek at client-side encrypted queue messages (protocol 2.0, AES-256-GCM).",
    subcommands = {QueueSendCommand.class, QueueReceiveCommand.class, QueuePeekCommand.class})
final class QueueCommand extends CommandGroup {
}
