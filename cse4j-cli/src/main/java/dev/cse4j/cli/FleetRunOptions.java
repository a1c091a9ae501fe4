package dev.cse4j.cli;

import dev.cse4j.fleet.FleetOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code [--concurrency N] [--json]}: how a fleet command runs and reports. */
final class FleetRunOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "" + FleetOptions.DEFAULT_CONCURRENCY,
        description = "Blobs processed at once, 1 to " + FleetOptions.MAX_CONCURRENCY + " (default "
            + "${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--json",
        description = "One JSON object per line per blob, printed as soon as the blob is done, and nothing else: "
            + "{\"name\":…,\"result\":…,\"from\":{\"protocol\":…,\"keyId\":…},\"to\":{…},\"reason\":…}.")
    boolean json;

    /** {@code builder} with the concurrency; an out-of-range value is a usage error. */
    FleetOptions.Builder apply(FleetOptions.Builder builder) {
        if (concurrency < 1 || concurrency > FleetOptions.MAX_CONCURRENCY) {
            throw new ParameterException(spec.commandLine(), "--concurrency must be 1 to "
                + FleetOptions.MAX_CONCURRENCY + ", not " + concurrency + ".");
        }
        return builder.concurrency(concurrency);
    }
}
