package dev.cse4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AzuriteRestartTest {

    @TempDir
    Path data;

    @Test
    void kill_endsTheServerAtOnce_andStartAgain_listensOnTheSamePorts_withTheSameData(@TempDir Path logs)
        throws Exception {
        AzuriteOptions options = AzuriteOptions.defaults().withPersistenceDirectory(data).withLogDirectory(logs);
        Azurite first = Azurite.start(options);
        int[] ports = {first.blobPort(), first.queuePort(), first.tablePort()};
        first.kill();
        first.kill();

        assertThat(first.isRunning()).isFalse();
        for (int port : ports) {
            assertThat(Http.refusesConnections(port)).as("port %d after kill", port).isTrue();
        }
        try (Azurite second = first.startAgain()) {
            assertThat(new int[] {second.blobPort(), second.queuePort(), second.tablePort()}).containsExactly(ports);
            assertThat(Http.get(ports[0]).server()).startsWith("Azurite-Blob/");
            assertThat(Http.get(ports[2]).server()).startsWith("Azurite-Table/");
            assertThat(second.connectionString()).isEqualTo(first.connectionString());
        }
        try (Stream<Path> files = Files.list(data)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                .as("Azurite's data on disk, not in memory").contains("__azurite_db_blob__.json");
        }
    }

    @Test
    void startAgain_whileRunning_isRefused() {
        try (Azurite azurite = Azurite.start()) {
            assertThatThrownBy(azurite::startAgain)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("close() or kill() it first");
        }
    }
}
