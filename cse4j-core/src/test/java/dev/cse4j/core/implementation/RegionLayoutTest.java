package dev.cse4j.core.implementation;

import dev.cse4j.core.IntegrityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegionLayoutTest {
    private static final int MIB4 = 4 * 1024 * 1024;

    @ParameterizedTest
    @CsvSource({
        "16, 0, 0", "16, 1, 29", "16, 15, 43", "16, 16, 44", "16, 17, 73", "16, 32, 88", "16, 83, 251", "16, 100, 296",
        "4194304, 0, 0", "4194304, 1, 29", "4194304, 4194303, 4194331", "4194304, 4194304, 4194332",
        "4194304, 4194305, 4194361", "4194304, 4194321, 4194377"})
    void encryptedLength_isPlaintextPlus28PerRegion(int regionLength, long plaintext, long encrypted) {
        RegionLayout layout = new RegionLayout(regionLength);
        assertThat(layout.encryptedLength(plaintext)).isEqualTo(encrypted);
        assertThat(layout.plaintextLength(encrypted)).isEqualTo(plaintext);
    }

    @Test
    void plaintextLength_ofSingleEmptyRegion_isZero() {
        assertThat(new RegionLayout(16).plaintextLength(28)).isZero();
        assertThat(new RegionLayout(MIB4).plaintextLength(28)).isZero();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 27, 44 + 1, 44 + 27, 44 + 28, 88 + 5})
    void plaintextLength_ofImpossibleLength_throwsIntegrityException(long encrypted) {
        assertThatThrownBy(() -> new RegionLayout(16).plaintextLength(encrypted))
            .isInstanceOf(IntegrityException.class)
            .hasMessageContaining("cut short");
    }

    @Test
    void plaintextLength_inverseOfEncryptedLength_forEverySmallSize() {
        RegionLayout layout = new RegionLayout(16);
        for (long n = 0; n < 500; n++) {
            assertThat(layout.plaintextLength(layout.encryptedLength(n))).isEqualTo(n);
        }
    }

    @Test
    void encryptedLength_ofHugeBlob_usesLongArithmetic() {
        RegionLayout layout = new RegionLayout(16);
        long n = 100L * 1024 * 1024 * 1024;
        assertThat(layout.encryptedLength(n)).isEqualTo(n + n / 16 * 28);
        assertThat(layout.regionCount(n)).isEqualTo(n / 16);
    }

    /** The inclusive-end arithmetic of Microsoft's current EncryptedBlobRangeTests (docs/formats.md §6.7). */
    @ParameterizedTest
    @CsvSource({"5, 10, 0, 43", "16, 16, 44, 87", "15, 35, 0, 175", "32, 15, 88, 131"})
    void rangeFor_matchesMicrosoftRangeArithmetic(long offset, long count, long firstByte, long lastByte) {
        RegionLayout layout = new RegionLayout(16);
        RegionLayout.RegionRange range = layout.rangeFor(offset, count, 1000);
        assertThat(layout.encryptedOffset(range.firstRegion())).isEqualTo(firstByte);
        assertThat(layout.encryptedOffset(range.firstRegion() + range.regionCount()) - 1).isEqualTo(lastByte);
        assertThat(range.skip()).isEqualTo(offset % 16);
        assertThat(range.length()).isEqualTo(count);
    }

    @Test
    void rangeFor_endingExactlyOnRegionEnd_fetchesNoExtraRegion() {
        RegionLayout.RegionRange range = new RegionLayout(16).rangeFor(0, 32, 100);
        assertThat(range.firstRegion()).isZero();
        assertThat(range.regionCount()).isEqualTo(2);
    }

    @Test
    void rangeFor_pastTheEnd_isClippedOrEmpty() {
        RegionLayout layout = new RegionLayout(16);
        RegionLayout.RegionRange clipped = layout.rangeFor(90, 50, 100);
        assertThat(clipped.firstRegion()).isEqualTo(5);
        assertThat(clipped.regionCount()).isEqualTo(2);
        assertThat(clipped.length()).isEqualTo(10);
        RegionLayout.RegionRange empty = new RegionLayout.RegionRange(0, 0, 0, 0);
        assertThat(layout.rangeFor(100, 5, 100)).isEqualTo(empty);
        assertThat(layout.rangeFor(150, 5, 100)).isEqualTo(empty);
        assertThat(layout.rangeFor(0, 0, 100)).isEqualTo(empty);
        assertThat(layout.rangeFor(0, 10, 0)).isEqualTo(empty);
    }

    @Test
    void rangeFor_lastByte_isOneRegion() {
        RegionLayout.RegionRange range = new RegionLayout(16).rangeFor(99, 1, 100);
        assertThat(range.firstRegion()).isEqualTo(6);
        assertThat(range.regionCount()).isEqualTo(1);
        assertThat(range.skip()).isEqualTo(3);
        assertThat(range.length()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 15, (1 << 30) + 1, -1})
    void constructor_regionLengthOutOfRange_throws(int regionLength) {
        assertThatThrownBy(() -> new RegionLayout(regionLength)).isInstanceOf(IllegalArgumentException.class);
    }
}
