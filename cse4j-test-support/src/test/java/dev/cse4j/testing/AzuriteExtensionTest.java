package dev.cse4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AzuriteExtension.class)
class AzuriteExtensionTest {

    private static Azurite fromBeforeAll;
    private final Azurite fromConstructor;

    AzuriteExtensionTest(Azurite azurite) {
        this.fromConstructor = azurite;
    }

    @BeforeAll
    static void rememberTheServer(Azurite azurite) {
        fromBeforeAll = azurite;
    }

    @Test
    void injectsOneRunningServer_intoBeforeAllConstructorAndMethod(Azurite azurite) throws Exception {
        assertThat(azurite).isSameAs(fromBeforeAll).isSameAs(fromConstructor);
        assertThat(azurite.isRunning()).isTrue();
        assertThat(Http.get(azurite.blobPort()).server()).startsWith("Azurite-Blob/");
    }

    @Test
    void twoTestsOfOneClass_shareTheServer(Azurite azurite) {
        assertThat(azurite).isSameAs(fromBeforeAll);
    }

    @Test
    void testClassesOfOneJvm_shareTheServer(Azurite azurite) {
        assertThat(SharedAzuriteWitness.firstSeen(azurite)).isSameAs(azurite);
    }

    @Test
    void close_onTheSharedServer_isRefusedAndLeavesItRunning(Azurite azurite) {
        assertThatThrownBy(azurite::close)
            .isInstanceOf(UnsupportedOperationException.class)
            .hasMessageContaining("AzuriteExtension stops it");
        assertThat(azurite.isRunning()).isTrue();
    }
}
