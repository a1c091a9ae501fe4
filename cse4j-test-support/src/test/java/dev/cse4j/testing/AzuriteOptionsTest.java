package dev.cse4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AzuriteOptionsTest {

    @Test
    void defaults_waitAMinuteAndLogUnderTarget() {
        AzuriteOptions defaults = AzuriteOptions.defaults();

        assertThat(defaults.startupTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.extraArguments()).isEmpty();
        assertThat(defaults.logDirectory()).isEqualTo(Path.of("target", "azurite"));
        assertThat(defaults.persistenceDirectory()).as("in memory").isNull();
    }

    @Test
    void withPersistenceDirectory_keepsTheOtherOptions() {
        AzuriteOptions options = AzuriteOptions.defaults().withStartupTimeout(Duration.ofSeconds(5))
            .withPersistenceDirectory(Path.of("data"));

        assertThat(options.persistenceDirectory()).isEqualTo(Path.of("data"));
        assertThat(options.startupTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.withExtraArguments("--loose").persistenceDirectory()).isEqualTo(Path.of("data"));
    }

    @Test
    void withers_changeOnlyTheirOwnOption() {
        AzuriteOptions options = AzuriteOptions.defaults()
            .withExtraArguments("--skipApiVersionCheck")
            .withStartupTimeout(Duration.ofSeconds(5));

        assertThat(options.extraArguments()).containsExactly("--skipApiVersionCheck");
        assertThat(options.startupTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.logDirectory()).isEqualTo(AzuriteOptions.defaults().logDirectory());
    }

    @Test
    void extraArguments_withLocation_areRejectedBecauseAzuriteWouldExit() {
        assertThatThrownBy(() -> AzuriteOptions.defaults().withExtraArguments("--location", "/tmp/x"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("--inMemoryPersistence").hasMessageContaining("withPersistenceDirectory");
    }

    @Test
    void startupTimeout_zero_isRejected() {
        assertThatThrownBy(() -> AzuriteOptions.defaults().withStartupTimeout(Duration.ZERO))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("startupTimeout must be positive");
    }
}
