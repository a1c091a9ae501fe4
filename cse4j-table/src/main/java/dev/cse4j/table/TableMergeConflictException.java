package dev.cse4j.table;

import dev.cse4j.core.ClientSideEncryptionException;

/**
 * A merge (or a transaction holding merges) gave up because other writers kept changing the entity it merges into:
 * each attempt read the entity, and the conditional write that followed (If-Match on the ETag read, or a create for
 * an upsert of a missing entity) failed because the entity had changed, been deleted or been created in between.
 * After {@link #getAttempts()} attempts ({@link EncryptedTableClientBuilder#maxMergeRetries(int)} retries) the call
 * stops. <b>Nothing of the call was written</b>: every attempt's write was refused by the service as a whole, so the
 * stored entity holds exactly what the other writers wrote.
 *
 * <p>Each refused attempt means that another writer's write succeeded in between, so the table as a whole made
 * progress. Retry later, raise the bound, or spread the writes over more entities. The cause is the service's last
 * refusal (a {@link com.azure.data.tables.models.TableServiceException}, or a
 * {@link com.azure.data.tables.models.TableTransactionFailedException} for a transaction).
 */
public final class TableMergeConflictException extends ClientSideEncryptionException {
    private static final long serialVersionUID = 1L;

    private final String partitionKey;
    private final String rowKey;
    private final int attempts;

    TableMergeConflictException(String message, String partitionKey, String rowKey, int attempts, Throwable cause) {
        super(message, cause);
        this.partitionKey = partitionKey;
        this.rowKey = rowKey;
        this.attempts = attempts;
    }

    /** @return the PartitionKey of the entity that kept changing (for a transaction: the last one that did) */
    public String getPartitionKey() {
        return partitionKey;
    }

    /** @return the RowKey of the entity that kept changing (for a transaction: the last one that did) */
    public String getRowKey() {
        return rowKey;
    }

    /** @return how many times the merge was attempted (the retries plus one) */
    public int getAttempts() {
        return attempts;
    }
}
