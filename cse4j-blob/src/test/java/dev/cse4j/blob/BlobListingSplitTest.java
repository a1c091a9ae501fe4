package dev.cse4j.blob;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Listing for fleet operations: whole, by name, and split into units that cover the listing exactly once. */
@ExtendWith(AzuriteExtension.class)
class BlobListingSplitTest {
    private static final List<String> NAMES = List.of("a/b/y1", "a/b/y2", "a/c/z1", "a/x1", "a/x2", "d/e/f", "top1",
        "top10", "top2");
    private static BlobContainerClient container;

    @BeforeAll
    static void setUp(Azurite azurite) {
        container = Fixtures.container(azurite, "split");
        NAMES.forEach(name -> container.getBlobClient(name).upload(BinaryData.fromString(name)));
    }

    @Test
    void split_anyTargetAndDepth_unitsListEveryBlobExactlyOnce() {
        for (int target = 1; target <= 12; target++) {
            for (int depth = 0; depth <= 3; depth++) {
                List<ListingUnit> units = BlobListing.split(container, null, target, depth);
                List<String> listed = new ArrayList<>();
                units.forEach(unit -> names(BlobListing.list(container, unit)).forEach(listed::add));
                assertThat(listed).as("target %d depth %d: %s", target, depth, units)
                    .containsExactlyInAnyOrderElementsOf(NAMES);
            }
        }
    }

    @Test
    void split_expandsDirectoriesWhileUnitsAreFewerThanTheTarget() {
        assertThat(BlobListing.split(container, null, 1, 3)).containsExactly(new ListingUnit("", false));
        assertThat(BlobListing.split(container, null, 100, 0)).containsExactly(new ListingUnit("", false));
        assertThat(BlobListing.split(container, null, 3, 3)).containsExactly(new ListingUnit("", true),
            new ListingUnit("a/", false), new ListingUnit("d/", false));
        assertThat(BlobListing.split(container, "a/", 100, 3)).containsExactly(new ListingUnit("a/", true),
            new ListingUnit("a/b/", false), new ListingUnit("a/c/", false));
    }

    @Test
    void named_findsTheBlobItself_notOneThatOnlyStartsWithIt() {
        assertThat(names(BlobListing.named(container, "top1"))).containsExactly("top1");
        assertThat(names(BlobListing.named(container, "a"))).isEmpty();
        assertThat(names(BlobListing.named(container, "top3"))).isEmpty();
        BlobRef ref = BlobListing.named(container, "a/x1").next();
        assertThat(ref.getETag()).isEqualTo(container.getBlobClient("a/x1").getProperties().getETag());
        assertThat(ref.getBlobType()).isEqualTo("BlockBlob");
        assertThat(ref.getContentLength()).isEqualTo(4);
    }

    @Test
    void list_prefix_listsThoseBlobsInNameOrder() {
        assertThat(names(BlobListing.list(container, "a/"))).containsExactly("a/b/y1", "a/b/y2", "a/c/z1", "a/x1",
            "a/x2");
        assertThat(names(BlobListing.list(container, ""))).containsExactlyElementsOf(NAMES);
    }

    private static List<String> names(Iterator<BlobRef> refs) {
        List<String> names = new ArrayList<>();
        refs.forEachRemaining(ref -> names.add(ref.getName()));
        return names;
    }
}
