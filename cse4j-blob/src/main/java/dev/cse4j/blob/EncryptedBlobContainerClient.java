package dev.cse4j.blob;

import com.azure.core.annotation.ServiceClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.rest.PagedIterable;
import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceVersion;
import com.azure.storage.blob.models.BlobContainerProperties;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.models.PublicAccessType;
import com.azure.storage.blob.options.BlobContainerCreateOptions;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.implementation.EncryptionSettings;
import dev.cse4j.fleet.FleetAction;
import dev.cse4j.fleet.FleetOptions;
import dev.cse4j.fleet.FleetResult;
import dev.cse4j.fleet.FleetSummary;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A container whose blobs are encrypted on the client: hands its {@link ClientSideEncryptionOptions} down to every
 * {@link EncryptedBlobClient} it gives ({@link #getEncryptedBlobClient(String)}), all on its one HTTP pipeline (no
 * connection pool per blob), and lists its blobs with how each is encrypted. Wraps (never extends) an
 * azure-storage-blob {@link BlobContainerClient}. Get one from an {@link EncryptedBlobServiceClient} or build one
 * with {@link EncryptedBlobContainerClientBuilder}. Thread-safe.
 *
 * <p>Container operations ({@code create}, {@code exists}, {@code delete}, ...) are the Azure SDK's, passed through.
 * Listings always retrieve each blob's metadata, from which each {@link EncryptedBlobItem} tells, with no key and no
 * further request, whether and how the blob is encrypted; invalid encryption metadata is reported on its item,
 * never thrown for the page.
 */
@ServiceClient(builder = EncryptedBlobContainerClientBuilder.class)
public final class EncryptedBlobContainerClient {
    private final BlobContainerClient container;
    private final EncryptionSettings settings;
    private final ParallelTransferOptions transferDefaults;

    EncryptedBlobContainerClient(BlobContainerClient container, EncryptionSettings settings,
        ParallelTransferOptions transferDefaults) {
        this.container = container;
        this.settings = settings;
        this.transferDefaults = transferDefaults;
    }

    // ------------------------------------------------------------------ identity

    public String getBlobContainerName() {
        return container.getBlobContainerName();
    }

    public String getBlobContainerUrl() {
        return container.getBlobContainerUrl();
    }

    public String getAccountName() {
        return container.getAccountName();
    }

    public String getAccountUrl() {
        return container.getAccountUrl();
    }

    public BlobServiceVersion getServiceVersion() {
        return container.getServiceVersion();
    }

    /** The HTTP pipeline this client and every client it gives send through. */
    public HttpPipeline getHttpPipeline() {
        return container.getHttpPipeline();
    }

    /** The key, format and policy settings handed down to the blob clients this client gives. */
    public ClientSideEncryptionOptions getClientSideEncryptionOptions() {
        return settings.options();
    }

    /** The wrapped Azure SDK client (for {@link BlobFleetOperation}; never handed to users, who could write with it). */
    BlobContainerClient blobContainerClient() {
        return container;
    }

    // ------------------------------------------------------------------ blobs

    /** A client for the blob {@code blobName} in this container, with this container's options and pipeline. */
    public EncryptedBlobClient getEncryptedBlobClient(String blobName) {
        return new EncryptedBlobClient(container.getBlobClient(Objects.requireNonNull(blobName, "blobName")),
            settings, transferDefaults);
    }

    /**
     * A client for the snapshot {@code snapshot} of the blob {@code blobName}, with this container's options and
     * pipeline (as {@code getSnapshotClient} on the blob's client).
     */
    public EncryptedBlobClient getEncryptedBlobClient(String blobName, String snapshot) {
        return new EncryptedBlobClient(container.getBlobClient(Objects.requireNonNull(blobName, "blobName"), snapshot), settings,
            transferDefaults);
    }

    /**
     * A client for the blob {@code blobName} with other options (e.g. another key, or protocol 2.1), on this
     * container's pipeline; this container's options do not change.
     */
    public EncryptedBlobClient getEncryptedBlobClient(String blobName, ClientSideEncryptionOptions options) {
        return new EncryptedBlobClient(container.getBlobClient(Objects.requireNonNull(blobName, "blobName")),
            EncryptionSettings.of(Objects.requireNonNull(options, "options")), transferDefaults);
    }

    /** Every blob of the container, each with its encryption info (metadata always retrieved). */
    public PagedIterable<EncryptedBlobItem> listBlobs() {
        return listBlobs(null, null, null);
    }

    /**
     * The blobs the options select (prefix, page size, details), each with its encryption info; metadata is always
     * retrieved, whatever the options' details say (the options are not changed).
     *
     * @param timeout of each page's request
     */
    public PagedIterable<EncryptedBlobItem> listBlobs(ListBlobsOptions options, Duration timeout) {
        return listBlobs(options, null, timeout);
    }

    /**
     * As {@link #listBlobs(ListBlobsOptions, Duration)}, starting at a continuation token a previous listing's page
     * gave ({@code null}: from the start), to resume a listing.
     */
    public PagedIterable<EncryptedBlobItem> listBlobs(ListBlobsOptions options, String continuationToken,
        Duration timeout) {
        return container.listBlobs(withMetadata(options), continuationToken, timeout).mapPage(EncryptedBlobItem::of);
    }

    /**
     * The blobs and virtual directories directly under {@code directory} (delimiter {@code /}), each blob with its
     * encryption info.
     */
    public PagedIterable<EncryptedBlobItem> listBlobsByHierarchy(String directory) {
        return listBlobsByHierarchy("/", new ListBlobsOptions().setPrefix(directory), null);
    }

    /**
     * The blobs and virtual directories (items whose name ends at the next {@code delimiter} after the options'
     * prefix) that the options select, each blob with its encryption info; metadata is always retrieved.
     */
    public PagedIterable<EncryptedBlobItem> listBlobsByHierarchy(String delimiter, ListBlobsOptions options,
        Duration timeout) {
        return container.listBlobsByHierarchy(delimiter, withMetadata(options), timeout)
            .mapPage(EncryptedBlobItem::of);
    }

    /**
     * Rotates the key encryption key of every blob whose name starts with {@code prefix} ({@code null}: every blob):
     * each content key is re-wrapped with this client's key encryption key, found through this client's key
     * resolver, and written back conditioned on the ETag listed; the data is not touched. Blobs already wrapped by
     * this key are skipped, so an interrupted rotation finishes when run again. See {@link BlobFleetOperation} (its
     * rewrap) for what is done to each blob, and {@link EncryptedBlobClient#rotateClientSideEncryptionKey()} for
     * one blob.
     *
     * @param onEach receives each blob's result as soon as it is done, on the calling thread
     * @return the counts of the results
     * @throws IllegalStateException if this client has no key encryption key
     */
    public FleetSummary rotateClientSideEncryptionKeys(String prefix, Consumer<? super FleetResult> onEach) {
        return BlobFleetOperation.create(this, FleetOptions.of(FleetAction.REWRAP)).run(prefix, onEach);
    }

    /** A copy of {@code options} (or new options) that also retrieves metadata. */
    static ListBlobsOptions withMetadata(ListBlobsOptions options) {
        ListBlobsOptions copy = new ListBlobsOptions();
        BlobListDetails details = new BlobListDetails().setRetrieveMetadata(true);
        if (options != null) {
            copy.setPrefix(options.getPrefix()).setMaxResultsPerPage(options.getMaxResultsPerPage())
                .setStartFrom(options.getStartFrom());
            BlobListDetails asked = options.getDetails();
            details.setRetrieveCopy(asked.getRetrieveCopy()).setRetrieveTags(asked.getRetrieveTags())
                .setRetrieveSnapshots(asked.getRetrieveSnapshots()).setRetrieveVersions(asked.getRetrieveVersions())
                .setRetrieveUncommittedBlobs(asked.getRetrieveUncommittedBlobs())
                .setRetrieveDeletedBlobs(asked.getRetrieveDeletedBlobs())
                .setRetrieveDeletedBlobsWithVersions(asked.getRetrieveDeletedBlobsWithVersions())
                .setRetrieveImmutabilityPolicy(asked.getRetrieveImmutabilityPolicy())
                .setRetrieveLegalHold(asked.getRetrieveLegalHold());
        }
        return copy.setDetails(details);
    }

    // ------------------------------------------------------------------ the container, passed through

    public boolean exists() {
        return Boolean.TRUE.equals(container.exists());
    }

    public Response<Boolean> existsWithResponse(Duration timeout, Context context) {
        return container.existsWithResponse(timeout, context);
    }

    /** Creates the container; fails if it exists. */
    public void create() {
        container.create();
    }

    public Response<Void> createWithResponse(Map<String, String> metadata, PublicAccessType accessType,
        Duration timeout, Context context) {
        return container.createWithResponse(metadata, accessType, timeout, context);
    }

    /** Creates the container if it does not exist; whether it created it. */
    public boolean createIfNotExists() {
        return container.createIfNotExists();
    }

    public Response<Boolean> createIfNotExistsWithResponse(BlobContainerCreateOptions options, Duration timeout,
        Context context) {
        return container.createIfNotExistsWithResponse(options, timeout, context);
    }

    /** Deletes the container and every blob in it; fails if it does not exist. */
    public void delete() {
        container.delete();
    }

    public Response<Void> deleteWithResponse(BlobRequestConditions requestConditions, Duration timeout,
        Context context) {
        return container.deleteWithResponse(requestConditions, timeout, context);
    }

    /** Deletes the container and every blob in it if it exists; whether it deleted it. */
    public boolean deleteIfExists() {
        return container.deleteIfExists();
    }

    public Response<Boolean> deleteIfExistsWithResponse(BlobRequestConditions requestConditions, Duration timeout,
        Context context) {
        return container.deleteIfExistsWithResponse(requestConditions, timeout, context);
    }

    /** The container's properties (its metadata is not encrypted). */
    public BlobContainerProperties getProperties() {
        return container.getProperties();
    }

    public Response<BlobContainerProperties> getPropertiesWithResponse(String leaseId, Duration timeout,
        Context context) {
        return container.getPropertiesWithResponse(leaseId, timeout, context);
    }

    @Override
    public String toString() {
        return "EncryptedBlobContainerClient[" + getBlobContainerUrl() + ", writes "
            + settings.options().getBlobProtocol().wireValue() + "]";
    }
}
