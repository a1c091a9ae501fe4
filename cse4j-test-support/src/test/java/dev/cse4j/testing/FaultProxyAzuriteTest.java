package dev.cse4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AzuriteExtension.class)
class FaultProxyAzuriteTest {

    @Test
    void connectionStringThrough_leadsTheProxiedServiceThroughTheProxy_andLeavesTheOthersDirect(Azurite azurite)
        throws Exception {
        try (FaultProxy blob = FaultProxy.start(azurite.blobPort());
             FaultProxy table = FaultProxy.start(azurite.tablePort())) {
            assertThat(azurite.connectionStringThrough(blob, table))
                .contains("BlobEndpoint=http://127.0.0.1:" + blob.port() + "/devstoreaccount1;")
                .contains("QueueEndpoint=" + azurite.queueEndpoint() + ";")
                .contains("TableEndpoint=http://127.0.0.1:" + table.port() + "/devstoreaccount1;");
            assertThat(azurite.connectionStringThrough()).isEqualTo(azurite.connectionString());

            assertThat(Http.get(blob.port()).server()).startsWith("Azurite-Blob/");
            assertThat(blob.requests()).containsExactly("GET /");
        }
    }

    @Test
    void connectionStringThrough_aProxyForAnotherServer_isRefused(Azurite azurite) {
        try (FaultProxy elsewhere = FaultProxy.start(LoopbackPorts.pickFree(1)[0])) {
            assertThatThrownBy(() -> azurite.connectionStringThrough(elsewhere))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("targets none of this Azurite's ports");
        }
    }

    @Test
    void respond503_reachesTheClientAsAValidHttpAnswer(Azurite azurite) throws Exception {
        try (FaultProxy proxy = FaultProxy.start(azurite.queuePort())) {
            proxy.add(FaultRule.requests().respond(503));
            assertThat(Http.get(proxy.port()).status()).isEqualTo(503);
            assertThat(Http.get(proxy.port()).server()).startsWith("Azurite-Queue/");
        }
    }
}
