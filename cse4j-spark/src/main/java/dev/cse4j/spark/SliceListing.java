package dev.cse4j.spark;

import com.azure.core.http.rest.PagedIterable;
import com.azure.core.http.rest.PagedResponse;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import dev.cse4j.blob.BlobListing;
import dev.cse4j.blob.BlobRef;
import dev.cse4j.blob.ListingUnit;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * Cuts listing units into {@link Slice}s of about one listing page each, and lists a slice, with metadata, on an
 * executor. A slice starts at the continuation token of its first page and ends before the first blob of the next
 * slice, so the slices cover the unit exactly once, whatever changed in between; each task lists only its own
 * pages (one request per page), so listing itself is spread over the executors.
 */
final class SliceListing {
    private static final String DELIMITER = "/";

    private SliceListing() {
    }

    /**
     * Lists {@code unit} by names only, a page of {@code pageSize} at a time, and cuts it into one slice per page
     * that holds a blob.
     *
     * @return the slices, in listing order; none if the unit holds no blob
     */
    static List<Slice> cut(BlobContainerClient container, ListingUnit unit, int pageSize) {
        List<Slice> slices = new ArrayList<>();
        String token = null;
        for (PagedResponse<BlobItem> page : items(container, unit.getPrefix(), unit.isDirectChildrenOnly(), false,
            pageSize).iterableByPage()) {
            String first = page.getValue().stream().filter(item -> !Boolean.TRUE.equals(item.isPrefix()))
                .map(BlobItem::getName).findFirst().orElse(null);
            if (first != null) {
                // the first slice starts at the unit's start, so a blob added before its first page is in it too
                String start = slices.isEmpty() ? null : token;
                if (!slices.isEmpty()) {
                    slices.set(slices.size() - 1, slices.get(slices.size() - 1).endingBefore(first));
                }
                slices.add(new Slice(container.getBlobContainerName(), unit.getPrefix(),
                    unit.isDirectChildrenOnly(), null, start, null));
            }
            token = page.getContinuationToken();
        }
        return slices;
    }

    /** The blobs of {@code slice} as the listing shows them, with metadata, in name order, a page at a time. */
    static Iterator<BlobRef> list(BlobContainerClient container, Slice slice, int pageSize) {
        if (slice.name() != null) {
            return BlobListing.named(container, slice.name());
        }
        byte[] end = slice.endBefore() == null ? null : slice.endBefore().getBytes(StandardCharsets.UTF_8);
        return StreamSupport.stream(items(container, slice.prefix(), slice.directChildrenOnly(), true, pageSize)
                .iterableByPage(slice.startToken()).spliterator(), false)
            .flatMap(page -> page.getValue().stream())
            .filter(item -> !Boolean.TRUE.equals(item.isPrefix()))
            .takeWhile(item -> end == null
                || Arrays.compareUnsigned(item.getName().getBytes(StandardCharsets.UTF_8), end) < 0)
            .map(BlobRef::of).iterator();
    }

    private static PagedIterable<BlobItem> items(BlobContainerClient container, String prefix,
        boolean directChildrenOnly, boolean metadata, int pageSize) {
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix.isEmpty() ? null : prefix)
            .setMaxResultsPerPage(pageSize);
        if (metadata) {
            options.setDetails(new BlobListDetails().setRetrieveMetadata(true));
        }
        return directChildrenOnly ? container.listBlobsByHierarchy(DELIMITER, options, null)
            : container.listBlobs(options, null);
    }
}
