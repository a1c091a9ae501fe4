package dev.cse4j.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A connection string the Azure SDK refuses fails the driver or task with a message naming where it came from and
 * quoting none of it: Spark writes task failures, with their causes, to its logs and event log (no Spark here).
 */
class StorageSpecTest {
    private static final String SAS_SIGNATURE = "U0VDUkVUU0FT";
    private static final String ACCOUNT_KEY = "U0VDUkVUS0VZ";

    @TempDir
    Path folder;

    @Test
    void connectionStringWithAnEndpointThatIsNotAUrl_failsNamingTheFile_quotingNeitherItsSasNorItsKey()
        throws IOException {
        String endpoint = "http://127.0.0.1:1/devstoreaccount1/not a url?sv=2021-08-06&sig=" + SAS_SIGNATURE;
        Path file = Files.writeString(folder.resolve("storage.txt"), "DefaultEndpointsProtocol=http;"
            + "AccountName=devstoreaccount1;AccountKey=" + ACCOUNT_KEY + ";BlobEndpoint=" + endpoint
            + ";TableEndpoint=" + endpoint + "\n");
        StorageSpec spec = new StorageSpec("storage.txt", StorageSpec.DEFAULT_VARIABLE);

        for (Runnable build : List.<Runnable>of(() -> spec.blobService(name -> file),
            () -> spec.tableService(name -> file))) {
            IllegalArgumentException e = catchThrowableOfType(build::run, IllegalArgumentException.class);

            // refused by cse4j before the Azure SDK's builder saw it (the SDK logs what it refuses, SAS and all)
            assertThat(e).hasMessageStartingWith("The storage connection string is not valid (the connection string's "
                + "BlobEndpoint is not a valid URL: Illegal character in path at character 39;")
                .hasMessageContaining("check the file storage.txt");
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertThat(t.toString()).doesNotContain(SAS_SIGNATURE, ACCOUNT_KEY);
            }
        }
    }
}
