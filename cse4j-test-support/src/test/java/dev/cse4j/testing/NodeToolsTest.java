package dev.cse4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NodeToolsTest {

    @Test
    void version_ofNode_isPrinted() {
        assertThat(NodeTools.version(NodeTools.node(), "Node.js")).startsWith("v");
    }

    @Test
    void version_ofAMissingExecutable_failsSayingWhatToInstall() {
        assertThatThrownBy(() -> NodeTools.version("cse4j-no-such-node", "Node.js"))
            .isInstanceOf(AzuriteException.class)
            .hasMessageContaining("Node.js was not found")
            .hasMessageContaining("apt-get install nodejs npm")
            .hasMessageContaining("-Dcse4j.node=");
    }
}
