package dev.cse4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {

    @Test
    void pickFree_returnsDistinctPortsThatCanBeBoundOnLoopback() throws Exception {
        int[] ports = LoopbackPorts.pickFree(3);

        assertThat(ports).hasSize(3).doesNotHaveDuplicates();
        for (int port : ports) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                assertThat(socket.getLocalPort()).isEqualTo(port);
            }
        }
    }
}
