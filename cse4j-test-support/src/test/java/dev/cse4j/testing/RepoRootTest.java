package dev.cse4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

@Isolated("it sets the system property that every test reads to find the checkout")
class RepoRootTest {

    @Test
    void findFrom_moduleDirectory_findsTheDirectoryPinningAzurite() {
        Path root = RepoRoot.findFrom(Path.of("src", "test")).orElseThrow();

        assertThat(root.resolve("package.json")).isRegularFile();
        assertThat(AzuritePin.pinnedVersion(root)).contains("3.37.0");
    }

    @Test
    void findFrom_outsideAnyCheckout_findsNothing(@TempDir Path outside) {
        assertThat(RepoRoot.findFrom(outside)).isEmpty();
    }

    @Test
    void pinnedVersion_ignoresALockfileWithoutAzurite(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("package-lock.json"), "{\"packages\":{\"node_modules/other\":{\"version\":\"1\"}}}");

        assertThat(AzuritePin.pinnedVersion(dir)).isEmpty();
    }

    @Test
    void locate_withPropertyNamingAnotherDirectory_failsNamingTheProperty(@TempDir Path notARoot) {
        String before = System.getProperty(RepoRoot.PROPERTY);
        System.setProperty(RepoRoot.PROPERTY, notARoot.toString());
        try {
            assertThatThrownBy(RepoRoot::locate)
                .isInstanceOf(AzuriteException.class)
                .hasMessageContaining("-Dcse4j.repo.root=" + notARoot)
                .hasMessageContaining("pins no azurite");
        } finally {
            if (before == null) {
                System.clearProperty(RepoRoot.PROPERTY);
            } else {
                System.setProperty(RepoRoot.PROPERTY, before);
            }
        }
    }

    @Test
    void isInstalled_inADirectoryWithoutNodeModules_isFalse(@TempDir Path empty) {
        assertThat(AzuriteInstallation.isInstalled(empty, "3.37.0")).isFalse();
    }
}
