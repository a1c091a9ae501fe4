package dev.cse4j.fleet;

import java.util.Objects;

/**
 * Which object a fleet result is about: a blob (container and name) or a table entity (table, PartitionKey and
 * RowKey). Immutable. Names are as stored: escape them before printing them to a terminal.
 */
public final class FleetObject {
    private final String target;
    private final String name;
    private final String partitionKey;
    private final String rowKey;

    private FleetObject(String target, String name, String partitionKey, String rowKey) {
        this.target = Objects.requireNonNull(target, "target");
        this.name = name;
        this.partitionKey = partitionKey;
        this.rowKey = rowKey;
    }

    /** The blob {@code name} in {@code container}. */
    public static FleetObject blob(String container, String name) {
        return new FleetObject(container, Objects.requireNonNull(name, "name"), null, null);
    }

    /** The entity ({@code partitionKey}, {@code rowKey}) of {@code table}. */
    public static FleetObject entity(String table, String partitionKey, String rowKey) {
        return new FleetObject(table, null, Objects.requireNonNull(partitionKey, "partitionKey"),
            Objects.requireNonNull(rowKey, "rowKey"));
    }

    /** The container or table. */
    public String target() {
        return target;
    }

    /** Whether this is a table entity (else a blob). */
    public boolean isEntity() {
        return name == null;
    }

    /** The blob's name, or {@code null} for an entity. */
    public String name() {
        return name;
    }

    /** The entity's PartitionKey, or {@code null} for a blob. */
    public String partitionKey() {
        return partitionKey;
    }

    /** The entity's RowKey, or {@code null} for a blob. */
    public String rowKey() {
        return rowKey;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FleetObject other && target.equals(other.target) && Objects.equals(name, other.name)
            && Objects.equals(partitionKey, other.partitionKey) && Objects.equals(rowKey, other.rowKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(target, name, partitionKey, rowKey);
    }

    /** {@code container/name} or {@code table(PartitionKey, RowKey)}, unescaped. */
    @Override
    public String toString() {
        return isEntity() ? target + "(" + partitionKey + ", " + rowKey + ")" : target + "/" + name;
    }
}
