package dev.cse4j.cli;

import picocli.CommandLine.Option;

/** {@code --quiet}: no progress bar. */
final class TransferOptions {
    @Option(names = {"-q", "--quiet"},
        description = "No progress bar (one is shown on stderr for transfers over 4 MiB when stderr is a terminal).")
    boolean quiet;
}
