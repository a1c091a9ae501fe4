package dev.cse4j.cli;

import picocli.CommandLine.Option;

/** {@code --container C --name N}: the blob. */
final class BlobOptions {
    @Option(names = "--container", required = true, paramLabel = "C", converter = Names.Container.class,
        description = "Container name.")
    String container;

    @Option(names = "--name", required = true, paramLabel = "N", converter = Names.Blob.class,
        description = "Blob name (1 to 1024 characters).")
    String name;
}
