package dev.cse4j.spark;

import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import dev.cse4j.core.implementation.ServiceConnection;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where the driver and the executors find the storage account's connection string, by name only: a file shipped
 * with the job, or an environment variable of each JVM (a cluster's executors inherit it from their node). Never
 * the connection string itself: Spark writes its configuration and the driver's command line to the event log and
 * shows them in its UI.
 *
 * @param connectionStringFile the file name of a file holding the connection string, or {@code null}
 * @param connectionStringVariable the environment variable holding it, used when there is no file
 */
record StorageSpec(String connectionStringFile, String connectionStringVariable) implements Serializable {
    /** The variable the {@code cse4j} command reads too. */
    static final String DEFAULT_VARIABLE = "AZURE_STORAGE_CONNECTION_STRING";

    /**
     * @param files the local path of a shipped file, by name
     * @return a client for the account (its HTTP client is the JDK's in the job jar)
     * @throws IllegalStateException if the variable is not set in this JVM
     */
    BlobServiceClient blobService(Function<String, Path> files) {
        return client(files, "blob", connectionString -> new BlobServiceClientBuilder()
            .connectionString(connectionString).buildClient());
    }

    /**
     * @param files the local path of a shipped file, by name
     * @return a client for the account's table service (the connection string's {@code TableEndpoint})
     * @throws IllegalStateException if the variable is not set in this JVM
     */
    TableServiceClient tableService(Function<String, Path> files) {
        return client(files, "table", connectionString -> new TableServiceClientBuilder()
            .connectionString(connectionString).buildClient());
    }

    /**
     * The Azure SDK's client of {@code service} built from the connection string by {@code build}, once cse4j checked
     * its URLs (so the SDK never gets, nor logs, one it cannot parse); a refusal of either as {@link #invalid}.
     */
    private <T> T client(Function<String, Path> files, String service, Function<String, T> build) {
        String connectionString = connectionString(files);
        try {
            ServiceConnection.checkConnectionString(service, connectionString);
            return build.apply(connectionString);
        } catch (RuntimeException e) {
            throw invalid(e, connectionString);
        }
    }

    /**
     * {@code e}, or for a connection string the Azure SDK refused, a failure that never quotes it (it holds the account
     * key or a SAS, and Spark writes task failures to its logs and event log).
     */
    private RuntimeException invalid(RuntimeException e, String connectionString) {
        if (!ServiceConnection.isInvalidSetting(e)) {
            return e;
        }
        String reason = ServiceConnection.reason(e, connectionString);
        return new IllegalArgumentException("The storage connection string is not valid (" + reason + "): check "
            + (connectionStringFile != null ? "the file " + connectionStringFile
            : "the environment variable " + connectionStringVariable) + " (" + ExecutorState.where() + ").",
            reason.equals(e.getMessage()) ? e : null);
    }

    private String connectionString(Function<String, Path> files) {
        if (connectionStringFile != null) {
            try {
                return Files.readString(files.apply(connectionStringFile), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read the connection string file " + connectionStringFile
                    + ": " + e.getMessage(), e);
            }
        }
        String value = System.getenv(connectionStringVariable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("Environment variable " + connectionStringVariable + " is not set in "
                + "this JVM (" + ExecutorState.where() + "): set it on the driver and every executor, or pass "
                + "--connection-string-file FILE.");
        }
        return value;
    }
}
