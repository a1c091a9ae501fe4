package dev.cse4j.cli;

import com.azure.core.exception.HttpResponseException;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.data.tables.models.TableServiceException;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.implementation.ServiceConnection;
import dev.cse4j.table.EncryptedTableClientBuilder;

/** The plain table service (to create the table) and encrypted-client builders on the table. */
final class TableStorage {
    private final TableServiceClient service;
    private final TableClient table;

    TableStorage(String connectionString, String tableName) {
        try {
            ServiceConnection.checkConnectionString("table", connectionString);
            this.service = new TableServiceClientBuilder().connectionString(connectionString).buildClient();
            this.table = service.getTableClient(tableName);
        } catch (RuntimeException e) {
            throw ConnectionOptions.invalid(e, connectionString);
        }
    }

    String name() {
        return table.getTableName();
    }

    void createIfMissing() {
        service.createTableIfNotExists(table.getTableName());
    }

    /**
     * Runs {@code write}; if the table does not exist, creates it and runs {@code write} again. So a write the
     * library refuses before sending anything (a reserved property name) creates nothing.
     */
    void upsertCreatingTable(Runnable write) {
        try {
            write.run();
        } catch (TableServiceException e) {
            if (!isTableNotFound(e)) {
                throw e;
            }
            createIfMissing();
            write.run();
        }
    }

    /** The table's plain client: for listings and the library's fleet operations, never to write data. */
    TableClient plain() {
        return table;
    }

    EncryptedTableClientBuilder encrypted(ClientSideEncryptionOptions options) {
        return new EncryptedTableClientBuilder().tableClient(table).clientSideEncryptionOptions(options);
    }

    /** Turns "no such table or entity" into a clear exit-1 failure; other errors pass unchanged. */
    RuntimeException notFound(RuntimeException e, String partitionKey, String rowKey) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TableServiceException storage && storage.getResponse() != null
                && storage.getResponse().getStatusCode() == 404) {
                return new CliFailure(ExitCode.OTHER, (isTableNotFound(storage) ? "Table '" + name() + "' does not exist. Check "
                    + "--table" : "Table '" + name() + "' has no entity with PartitionKey '" + partitionKey
                    + "' and RowKey '" + rowKey + "'. Check --table, --partition-key and --row-key")
                    + " (and the connection string's account).", e);
            }
        }
        return e;
    }

    /** Turns "no such table" into a clear exit-1 failure; other errors pass unchanged. */
    RuntimeException notFound(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpResponseException storage && isTableNotFound(storage)) {
                return new CliFailure(ExitCode.OTHER, "Table '" + name() + "' does not exist. Check --table (and the "
                    + "connection string's account).", e);
            }
        }
        return e;
    }

    private static boolean isTableNotFound(HttpResponseException e) {
        return e.getResponse() != null && e.getResponse().getStatusCode() == 404
            && "TableNotFound".equals(Failures.serviceErrorCode(e));
    }
}
