package dev.cse4j.blob;

import java.util.Objects;

/**
 * A part of a container's listing that can be listed on its own ({@link BlobListing#list(
 * com.azure.storage.blob.BlobContainerClient, ListingUnit)}): every blob whose name starts with {@link #getPrefix()},
 * or, with {@link #isDirectChildrenOnly()}, only those with no {@code /} after the prefix (the files of a virtual
 * directory, not its subdirectories). {@link BlobListing#split} cuts a listing into units that cover it exactly once.
 * A plain immutable value.
 */
public final class ListingUnit {
    private final String prefix;
    private final boolean directChildrenOnly;

    /**
     * @param prefix the names' prefix ({@code ""} for all)
     * @param directChildrenOnly only names without a {@code /} after the prefix
     */
    public ListingUnit(String prefix, boolean directChildrenOnly) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.directChildrenOnly = directChildrenOnly;
    }

    public String getPrefix() {
        return prefix;
    }

    public boolean isDirectChildrenOnly() {
        return directChildrenOnly;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ListingUnit other && prefix.equals(other.prefix)
            && directChildrenOnly == other.directChildrenOnly;
    }

    @Override
    public int hashCode() {
        return Objects.hash(prefix, directChildrenOnly);
    }

    @Override
    public String toString() {
        return "ListingUnit['" + prefix + "'" + (directChildrenOnly ? ", direct children only" : "") + "]";
    }
}
