package dev.cse4j.fleet;

import java.util.Objects;

/**
 * What a fleet operation does and how: the {@link FleetAction}, a dry run, whether a migration also encrypts
 * unencrypted objects, and how many objects are processed at once. Plain values only (no keys, no clients), so a
 * distributed job can carry them to its workers and build the operation there. Immutable; keys are given to the
 * operation separately, as {@code ClientSideEncryptionOptions}.
 *
 * <pre>{@code
 * FleetOptions options = FleetOptions.builder(FleetAction.MIGRATE).includeUnencrypted(true).concurrency(4).build();
 * }</pre>
 */
public final class FleetOptions {
    /** The default number of objects in flight: 8. */
    public static final int DEFAULT_CONCURRENCY = 8;
    /** The most objects in flight one operation allows: 256. */
    public static final int MAX_CONCURRENCY = 256;

    private final FleetAction action;
    private final boolean dryRun;
    private final boolean includeUnencrypted;
    private final int concurrency;

    private FleetOptions(Builder builder) {
        this.action = builder.action;
        this.dryRun = builder.dryRun;
        this.includeUnencrypted = builder.includeUnencrypted;
        this.concurrency = builder.concurrency;
    }

    /** A builder for {@code action} with the defaults: no dry run, unencrypted objects skipped, 8 in flight. */
    public static Builder builder(FleetAction action) {
        return new Builder(Objects.requireNonNull(action, "action"));
    }

    /** Options for {@code action} with the defaults. */
    public static FleetOptions of(FleetAction action) {
        return builder(action).build();
    }

    public FleetAction action() {
        return action;
    }

    /**
     * Whether nothing is written: each object that would be re-wrapped or migrated is reported as
     * {@link FleetOutcome#WOULD_REWRAP} or {@link FleetOutcome#WOULD_MIGRATE} with the state it would get, from its
     * listing alone (no key is used and nothing is read beyond the listing).
     */
    public boolean isDryRun() {
        return dryRun;
    }

    /** Whether a migration also encrypts objects that are not encrypted at all (otherwise they are skipped). */
    public boolean isIncludeUnencrypted() {
        return includeUnencrypted;
    }

    /** How many objects are processed at once (1 to {@value #MAX_CONCURRENCY}). */
    public int concurrency() {
        return concurrency;
    }

    static int checkConcurrency(int concurrency) {
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("concurrency must be 1 to " + MAX_CONCURRENCY + ", not " + concurrency
                + ".");
        }
        return concurrency;
    }

    @Override
    public String toString() {
        return "FleetOptions[" + action + (dryRun ? ", dry run" : "") + (includeUnencrypted ? ", include unencrypted"
            : "") + ", concurrency=" + concurrency + "]";
    }

    /** Collects the options; {@link #build()} checks that they fit together. Not thread-safe. */
    public static final class Builder {
        private final FleetAction action;
        private boolean dryRun;
        private boolean includeUnencrypted;
        private int concurrency = DEFAULT_CONCURRENCY;

        private Builder(FleetAction action) {
            this.action = action;
        }

        /** Report what would be written without writing anything (rewrap and migrate). */
        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /** Migrate also encrypts objects that are not encrypted at all (it needs a key encryption key to write). */
        public Builder includeUnencrypted(boolean includeUnencrypted) {
            this.includeUnencrypted = includeUnencrypted;
            return this;
        }

        /**
         * Objects processed at once, 1 to {@value #MAX_CONCURRENCY} (default {@value #DEFAULT_CONCURRENCY}).
         *
         * @throws IllegalArgumentException outside that range
         */
        public Builder concurrency(int concurrency) {
            this.concurrency = checkConcurrency(concurrency);
            return this;
        }

        /**
         * @throws IllegalStateException if a dry run is asked of {@code verify} (which writes nothing anyway) or
         *     unencrypted objects are included in anything but {@code migrate}
         */
        public FleetOptions build() {
            if (dryRun && action == FleetAction.VERIFY) {
                throw new IllegalStateException("verify writes nothing; a dry run applies to rewrap and migrate. "
                    + "Remove dryRun(true).");
            }
            if (includeUnencrypted && action != FleetAction.MIGRATE) {
                throw new IllegalStateException("includeUnencrypted(true) applies to migrate only (it encrypts what "
                    + "is not encrypted); remove it for " + action + ".");
            }
            return new FleetOptions(this);
        }
    }
}
