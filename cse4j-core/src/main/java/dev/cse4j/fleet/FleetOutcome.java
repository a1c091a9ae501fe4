package dev.cse4j.fleet;

/**
 * What a fleet operation did with one object: the {@code "result"} of its report line, spelled as
 * {@link #wireValue()}.
 */
public enum FleetOutcome {
    /** The content key was re-wrapped with the new key encryption key ({@code to} is the new state). */
    REWRAPPED("rewrapped", true),
    /** The object was re-encrypted in the current format, read back and compared ({@code to} is the new state). */
    MIGRATED("migrated", true),
    /** Every byte was read and authenticated. */
    VERIFIED("verified", false),
    /** Nothing was done, for the reason given (already done, not encrypted, archived, ...). */
    SKIPPED("skipped", false),
    /** The object could not be processed, for the reason given; it was left as it was. */
    FAILED("failed", false),
    /** Dry run: the object would be re-wrapped ({@code to} is the state it would get). */
    WOULD_REWRAP("would-rewrap", true),
    /** Dry run: the object would be migrated ({@code to} is the state it would get). */
    WOULD_MIGRATE("would-migrate", true);

    private final String wireValue;
    private final boolean writes;

    FleetOutcome(String wireValue, boolean writes) {
        this.wireValue = wireValue;
        this.writes = writes;
    }

    /** The spelling in report lines: {@code rewrapped}, {@code would-migrate}, ... */
    public String wireValue() {
        return wireValue;
    }

    /** Whether something was or would be written, so that the result has a {@code to} state. */
    public boolean writes() {
        return writes;
    }

    /**
     * The outcome spelled {@code wireValue}.
     *
     * @throws IllegalArgumentException for any other spelling
     */
    public static FleetOutcome fromWireValue(String wireValue) {
        for (FleetOutcome outcome : values()) {
            if (outcome.wireValue.equals(wireValue)) {
                return outcome;
            }
        }
        throw new IllegalArgumentException("Unknown fleet result '" + wireValue + "'");
    }

    @Override
    public String toString() {
        return wireValue;
    }
}
