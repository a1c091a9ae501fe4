package dev.cse4j.cli;

import picocli.CommandLine.Command;

@Command(name = "blob", mixinStandardHelpOptions = true,
    description = "Upload, download and inspect client-side encrypted block blobs (protocol 2.0/2.1, AES-256-GCM).",
    subcommands = {BlobUploadCommand.class, BlobDownloadCommand.class, BlobInspectCommand.class})
final class BlobCommand extends CommandGroup {
}
