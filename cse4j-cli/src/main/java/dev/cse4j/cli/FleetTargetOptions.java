package dev.cse4j.cli;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * {@code --container C [--name N | --prefix P]}: the blobs a fleet command works on (neither: the whole container).
 */
final class FleetTargetOptions {
    @Option(names = "--container", required = true, paramLabel = "C", converter = Names.Container.class,
        description = "Container name.")
    String container;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Selection selection;

    /** {@code --name} or {@code --prefix}, not both. */
    static final class Selection {
        @Option(names = "--name", paramLabel = "N", converter = Names.Blob.class,
            description = "Only the blob named N.")
        String name;

        @Option(names = "--prefix", paramLabel = "P",
            description = "Only the blobs whose names start with P (default: the whole container).")
        String prefix;
    }

    /** The one blob named, or {@code null}. */
    String name() {
        return selection == null ? null : selection.name;
    }

    /** The prefix, or {@code null} for the whole container (or one named blob). */
    String prefix() {
        return selection == null || selection.prefix == null || selection.prefix.isEmpty() ? null
            : selection.prefix;
    }
}
