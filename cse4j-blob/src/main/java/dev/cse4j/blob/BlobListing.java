package dev.cse4j.blob;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import dev.cse4j.fleet.FleetInventory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Lists blobs as {@link BlobRef}s, with their metadata, for fleet operations: a whole container or prefix, one
 * blob by name, or one {@link ListingUnit} of a listing {@link #split} into parts that can be listed on several
 * machines. Listing is lazy: a page (up to 5,000 blobs) is requested when the iterator needs it, so memory does not
 * grow with the container. Base blobs only: snapshots, versions and deleted blobs are not listed.
 */
public final class BlobListing {
    private static final String DELIMITER = "/";

    private BlobListing() {
    }

    /** Every blob whose name starts with {@code prefix} ({@code null} or empty: every blob), in name order. */
    public static Iterator<BlobRef> list(BlobContainerClient container, String prefix) {
        return refs(container, new ListBlobsOptions().setPrefix(prefix == null || prefix.isEmpty() ? null : prefix));
    }

    /** The blobs of one unit of a {@link #split} listing, in name order. */
    public static Iterator<BlobRef> list(BlobContainerClient container, ListingUnit unit) {
        Objects.requireNonNull(unit, "unit");
        if (!unit.isDirectChildrenOnly()) {
            return list(container, unit.getPrefix());
        }
        return container.listBlobsByHierarchy(DELIMITER, EncryptedBlobContainerClient.withMetadata(
                new ListBlobsOptions().setPrefix(unit.getPrefix().isEmpty() ? null : unit.getPrefix())), null)
            .stream().filter(item -> !Boolean.TRUE.equals(item.isPrefix())).map(BlobRef::of).iterator();
    }

    /**
     * The blob named {@code name}, if it exists, from a listing of that name as a prefix (one request: the name
     * itself sorts before every longer name it starts), so that it carries what a listing carries.
     */
    public static Iterator<BlobRef> named(BlobContainerClient container, String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("A blob name is not empty");
        }
        Iterator<BlobItem> page = container.listBlobs(EncryptedBlobContainerClient.withMetadata(
            new ListBlobsOptions().setPrefix(name).setMaxResultsPerPage(1)), null).iterableByPage().iterator()
            .next().getValue().iterator();
        Stream<BlobRef> found = page.hasNext() ? Stream.of(page.next()).filter(item -> item.getName().equals(name))
            .map(BlobRef::of) : Stream.empty();
        return found.iterator();
    }

    /**
     * Cuts the listing of {@code prefix} ({@code null}: the whole container) into units that together list every
     * blob under it exactly once, so that several machines can list it in parallel. Virtual directories (names up
     * to a {@code /}) are the cut points: starting at the prefix, one level at a time, each directory becomes a unit,
     * and the names directly in a level (no further {@code /}) a {@link ListingUnit#isDirectChildrenOnly()} unit;
     * a level is expanded only while there are fewer than {@code targetUnits} units and for at most
     * {@code maxDepth} levels. A container without {@code /} in its names stays one unit. Costs one listing by
     * hierarchy of each expanded level (its direct children).
     *
     * @param targetUnits how many units are enough (e.g. 4 × the cores that will list); at least 1
     * @param maxDepth how many directory levels may be expanded; 0 lists the prefix as one unit
     */
    public static List<ListingUnit> split(BlobContainerClient container, String prefix, int targetUnits,
        int maxDepth) {
        if (targetUnits < 1 || maxDepth < 0) {
            throw new IllegalArgumentException("targetUnits must be at least 1 and maxDepth at least 0, not "
                + targetUnits + " and " + maxDepth);
        }
        String root = prefix == null ? "" : prefix;
        List<ListingUnit> done = new ArrayList<>();
        List<String> frontier = List.of(root);
        for (int depth = 0; depth < maxDepth && done.size() + frontier.size() < targetUnits; depth++) {
            List<String> next = new ArrayList<>();
            List<ListingUnit> files = new ArrayList<>();
            for (String directory : frontier) {
                boolean hasFiles = false;
                for (BlobItem item : container.listBlobsByHierarchy(DELIMITER,
                    new ListBlobsOptions().setPrefix(directory.isEmpty() ? null : directory), null)) {
                    if (Boolean.TRUE.equals(item.isPrefix())) {
                        next.add(item.getName());
                    } else {
                        hasFiles = true;
                    }
                }
                if (hasFiles) {
                    files.add(new ListingUnit(directory, true));
                }
            }
            if (next.isEmpty()) {
                break; // nothing below this level: its units as they are
            }
            done.addAll(files);
            frontier = next;
        }
        for (String directory : frontier) {
            done.add(new ListingUnit(directory, false));
        }
        return done;
    }

    /**
     * Which protocols and key ids the blobs under {@code prefix} ({@code null}: the whole container) use, from one
     * listing with metadata: no blob is read and no key used (the inventory of issue 11).
     */
    public static FleetInventory inventory(BlobContainerClient container, String prefix) {
        FleetInventory inventory = new FleetInventory();
        list(container, prefix).forEachRemaining(blob -> count(inventory, blob));
        return inventory;
    }

    /** Counts {@code blob} in {@code inventory} as its listing shows it. */
    public static void count(FleetInventory inventory, BlobRef blob) {
        BlobEncryptionInfo info = blob.getEncryptionInfo();
        if (!info.isEncrypted()) {
            inventory.addUnencrypted();
        } else if (info.getEncryptionData() == null) {
            inventory.addMalformed();
        } else {
            inventory.addEncrypted(info.getProtocol().wireValue(), info.getKeyId());
        }
    }

    private static Iterator<BlobRef> refs(BlobContainerClient container, ListBlobsOptions options) {
        return container.listBlobs(EncryptedBlobContainerClient.withMetadata(options), null).stream()
            .map(BlobRef::of).iterator();
    }
}
