package dev.cse4j.cli;

import dev.cse4j.fleet.FleetAction;
import dev.cse4j.fleet.FleetOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Read and authenticate every region of the blobs of container C (all, --name N, or --prefix P) with the "
            + "keys of --key, discarding the plaintext: finds blobs whose data, metadata or integrity record was "
            + "modified (exit 3). Changes nothing.",
        "Unencrypted blobs fail by policy (exit 5), and so do legacy protocol 1.0 blobs unless --allow-v1 is given; "
            + "with it they are decrypted and reported verified with the caveat that nothing authenticates them. "
            + "Archived blobs are skipped.",
        "Output: a line per blob as soon as it is done and a summary; with --json one JSON object per line (result "
            + "verified, skipped or failed). Exit 0 if nothing failed, else that of the most serious failure: 3 "
            + "integrity, 4 key not found, 5 policy, 1 other."})
final class BlobVerifyCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    FleetTargetOptions target;

    @Mixin
    ReadKeyOptions key;

    @Option(names = "--allow-v1",
        description = "Also decrypt legacy protocol 1.0 blobs (AES-CBC: unauthenticated, modifiable undetectably).")
    boolean allowV1;

    @Mixin
    FleetRunOptions run;

    @Mixin
    ConnectionOptions connection;

    BlobVerifyCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        FleetOptions options = run.apply(FleetOptions.builder(FleetAction.VERIFY)).build();
        CryptoChoice.announce(context, context.debugRequested(spec));
        return FleetRun.run(context, target, connection, options, key.options(context)
            .allowUnauthenticatedV1Reads(allowV1).build(), run.json);
    }
}
