package dev.cse4j.cli;

import picocli.CommandLine.Command;

@Command(name = "blob", mixinStandardHelpOptions = true,
    description = "Upload, download and inspect client-side encrypted block blobs (protocol 2.0/2.1, AES-256-GCM); "
        + "list, rewrap (rotate the key encryption key), migrate (to protocol 2.0) and verify whole containers.",
    subcommands = {BlobUploadCommand.class, BlobDownloadCommand.class, BlobInspectCommand.class,
        BlobListCommand.class, BlobRewrapCommand.class, BlobMigrateCommand.class, BlobVerifyCommand.class})
final class BlobCommand extends CommandGroup {
}
