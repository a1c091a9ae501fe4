package dev.cse4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A second class using the extension, to show that classes share one server. */
@ExtendWith(AzuriteExtension.class)
class AzuriteExtensionSecondClassTest {

    @Test
    void testClassesOfOneJvm_shareTheServer(Azurite azurite) throws Exception {
        assertThat(SharedAzuriteWitness.firstSeen(azurite)).isSameAs(azurite);
        assertThat(Http.get(azurite.queuePort()).server()).startsWith("Azurite-Queue/");
    }
}
