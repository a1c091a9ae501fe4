package dev.cse4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TestDataTest {

    @Test
    void recipe_ofTheLargeVectorLength_hasTheDocumentedSha256() {
        assertThat(TestData.sha256Hex(TestData.recipe(4_194_321)))
            .isEqualTo("7d48509b288c19c1bebe7f29796374ed0212ce1d6e5f0d9b71b35188837218eb");
    }

    @Test
    void recipe_isAPrefixOfEveryLongerRecipe() {
        byte[] longer = TestData.recipe(100);

        assertThat(TestData.recipe(33)).isEqualTo(Arrays.copyOf(longer, 33));
        assertThat(TestData.recipe(0)).isEmpty();
    }

    @Test
    void random_withTheSameSeed_repeats_andWithAnotherSeed_differs() {
        assertThat(TestData.random(64, 42)).isEqualTo(TestData.random(64, 42)).isNotEqualTo(TestData.random(64, 43));
    }

    @Test
    void sha256Hex_ofNothing_isTheWellKnownEmptyDigest() {
        assertThat(TestData.sha256Hex(new byte[0]))
            .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
