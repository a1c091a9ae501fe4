package dev.cse4j.bench.crypto;

import dev.cse4j.core.implementation.ContentKey;
import dev.cse4j.core.implementation.CryptoProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmarks measure real work: every implementation yields cse4j's bytes and the plaintext back. */
class RegionWorkTest {
    private static final int LENGTH = 3 * RegionWork.SLICE + 5;

    static List<Arguments> work() {
        List<Arguments> all = new ArrayList<>();
        List<String> providers = CryptoProvider.corretto().isPresent() ? List.of("jdk", "corretto") : List.of("jdk");
        for (String provider : providers) {
            for (RegionWork.Impl impl : RegionWork.Impl.values()) {
                all.add(Arguments.of(provider, impl));
            }
        }
        all.add(Arguments.of("auto", RegionWork.Impl.CSE4J));
        return all;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("work")
    void encrypt_firstRegion_isCse4jRegionZero(String provider, RegionWork.Impl impl) {
        ContentKey key = ContentKey.generate();
        RegionWork work = new RegionWork(provider, impl, RegionWork.Op.ENCRYPT, key, null, LENGTH);

        int written = work.run();

        byte[] expected = RegionWork.sealRegionZero(key, LENGTH);
        int nonce = impl == RegionWork.Impl.CSE4J ? 0 : 12;
        assertThat(written).isEqualTo(expected.length - nonce);
        assertThat(Arrays.copyOf(work.output(), written)).isEqualTo(Arrays.copyOfRange(expected, nonce,
            expected.length));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("work")
    void decrypt_everyRun_yieldsThePlaintext(String provider, RegionWork.Impl impl) {
        ContentKey key = ContentKey.generate();
        RegionWork work = new RegionWork(provider, impl, RegionWork.Op.DECRYPT, key,
            RegionWork.sealRegionZero(key, LENGTH), LENGTH);

        for (int run = 0; run < 2; run++) {
            assertThat(work.run()).isEqualTo(LENGTH);
            assertThat(Arrays.copyOf(work.output(), LENGTH)).isEqualTo(RegionWork.plaintext(LENGTH));
        }
    }
}
