package dev.cse4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AzuriteTest {

    /** One server's whole life (each start costs a Node.js process, so the lifecycle is checked on one). */
    @Test
    void start_servesBlobQueueAndTableOverHttp_namesItsEndpointsAndLog_andClose_freesThePorts_twiceHarmlessly()
        throws Exception {
        Azurite azurite = Azurite.start();
        int[] ports = {azurite.blobPort(), azurite.queuePort(), azurite.tablePort()};
        try {
            assertThat(azurite.isRunning()).isTrue();
            assertThat(Http.get(ports[0]).server()).startsWith("Azurite-Blob/");
            assertThat(Http.get(ports[1]).server()).startsWith("Azurite-Queue/");
            assertThat(Http.get(ports[2]).server()).startsWith("Azurite-Table/");
            assertThat(Http.get(ports[0]).status()).isBetween(100, 599);

            assertThat(azurite.accountName()).isEqualTo("devstoreaccount1");
            assertThat(azurite.blobEndpoint()).isEqualTo("http://127.0.0.1:" + ports[0] + "/devstoreaccount1");
            assertThat(azurite.connectionString()).isEqualTo("DefaultEndpointsProtocol=http;"
                + "AccountName=devstoreaccount1;"
                + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
                + "BlobEndpoint=http://127.0.0.1:" + ports[0] + "/devstoreaccount1;"
                + "QueueEndpoint=http://127.0.0.1:" + ports[1] + "/devstoreaccount1;"
                + "TableEndpoint=http://127.0.0.1:" + ports[2] + "/devstoreaccount1;");
            assertThat(azurite.accountKey()).isEqualTo(Azurite.ACCOUNT_KEY);

            assertThat(azurite.logFile().toString()).contains("target");
            assertThat(Files.readString(azurite.logFile()))
                .contains("Azurite Table service is successfully listening at http://127.0.0.1:" + ports[2]);
        } finally {
            azurite.close();
        }
        assertThat(azurite.isRunning()).isFalse();
        for (int port : ports) {
            assertThat(Http.refusesConnections(port)).as("port %d after close", port).isTrue();
        }
        azurite.close();
        assertThat(azurite.isRunning()).isFalse();
        assertThat(azurite.toString()).endsWith(", stopped]");
    }

    @Test
    void start_whenAzuriteExitsDuringStartup_failsWithExitCodeAndLogTail() {
        AzuriteOptions badCertificate = AzuriteOptions.defaults()
            .withExtraArguments("--cert", "/nonexistent/cse4j-test.pem", "--key", "/nonexistent/cse4j-test.key");

        assertThatThrownBy(() -> Azurite.start(badCertificate))
            .isInstanceOf(AzuriteException.class)
            .hasMessageContaining("Azurite exited with code 1 during startup")
            .hasMessageContaining("Log: ")
            .hasMessageContaining("/nonexistent/cse4j-test.pem");
    }

    @Test
    void start_whenNotAnsweringInTime_stopsAzuriteAndNamesTheTimeoutOption() {
        AzuriteOptions impatient = AzuriteOptions.defaults().withStartupTimeout(Duration.ofMillis(1));

        assertThatThrownBy(() -> Azurite.start(impatient))
            .isInstanceOf(AzuriteException.class)
            .hasMessageContaining("did not answer on 127.0.0.1 ports")
            .hasMessageContaining("AzuriteOptions.startupTimeout");
    }
}
