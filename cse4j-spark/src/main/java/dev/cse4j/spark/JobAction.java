package dev.cse4j.spark;

import dev.cse4j.fleet.FleetAction;
import java.util.Locale;

/** What a {@link FleetJob} does to each object: a fleet operation of the library, or the inventory (listing only). */
enum JobAction {
    REWRAP(FleetAction.REWRAP),
    MIGRATE(FleetAction.MIGRATE),
    VERIFY(FleetAction.VERIFY),
    /** Which protocols and key ids are in use, from the listing alone: the {@code cse4j blob list --json} fields. */
    INVENTORY(null);

    private final FleetAction fleetAction;

    JobAction(FleetAction fleetAction) {
        this.fleetAction = fleetAction;
    }

    /** @return the library's action, or {@code null} for {@link #INVENTORY} */
    FleetAction fleetAction() {
        return fleetAction;
    }

    /** @return the command's spelling: {@code rewrap}, {@code migrate}, {@code verify}, {@code inventory} */
    String commandName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException naming the accepted values
     */
    static JobAction parse(String name) {
        for (JobAction action : values()) {
            if (action.commandName().equals(name)) {
                return action;
            }
        }
        throw new IllegalArgumentException("Unknown operation '" + name + "': use rewrap, migrate, verify or "
            + "inventory.");
    }
}
