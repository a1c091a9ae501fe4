package dev.cse4j.core.implementation;

import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.IntegrityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CbcV1Test {
    private static final EncryptionSettings V1_ALLOWED = EncryptionSettings.of(TestKeys.builder().allowUnauthenticatedV1Reads(true).build());

    /**
     * What a blob client does for a 1.0 range (cse4j-blob's CbcDownloadPlan): plan, fetch (as the service would,
     * clipped), take the IV from the fetched block before the range or from the metadata, decrypt, cut.
     */
    static byte[] decryptRange(CbcV1 cbc, byte[] stored, long offset, long count, boolean padded) {
        CbcV1.Range range = CbcV1.Range.plan(offset, count, stored.length, padded);
        if (range.fetchCount() == 0) {
            return new byte[0];
        }
        int from = (int) range.fetchOffset();
        int to = (int) Math.min(stored.length, range.fetchOffset() + range.fetchCount());
        byte[] iv = range.ivFromData() ? Arrays.copyOfRange(stored, from, from + CbcV1.BLOCK) : cbc.iv();
        int start = range.ivFromData() ? from + CbcV1.BLOCK : from;
        byte[] plain = cbc.decrypt(stored, start, to - start, iv, range.removePadding());
        int skip = (int) Math.min(range.skip(), plain.length);
        return Arrays.copyOfRange(plain, skip, skip + (int) Math.min(plain.length - skip, range.take()));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 16, 17, 31, 32, 33, 100})
    void encryptLegacy_isPkcs7Cbc_andEveryRangeDecrypts(int n) {
        Envelope envelope = Envelope.sealLegacyV1(TestKeys.settings(), null);
        byte[] plaintext = RegionCryptoTest.random(n, n);
        byte[] stored = envelope.cbc().encryptLegacy(plaintext);
        assertThat(stored).hasSize(16 * (n / 16 + 1));
        assertThat(stored).isEqualTo(jdkCbc(envelope, plaintext));

        Envelope opened = Envelope.open(V1_ALLOWED, envelope.data(), "x");
        assertThat(opened.cbc().decrypt(stored, true)).isEqualTo(plaintext);
        for (int offset = 0; offset <= n + 1; offset++) {
            for (int count = 0; count <= n + 17 - offset; count++) {
                assertThat(decryptRange(opened.cbc(), stored, offset, count, true))
                    .as("n=%d offset=%d count=%d", n, offset, count)
                    .isEqualTo(Arrays.copyOfRange(plaintext, Math.min(offset, n), Math.min(offset + count, n)));
            }
        }
        int tailLength = stored.length == 16 ? 16 : 32;
        assertThat(opened.cbc().plaintextLength(stored.length,
            Arrays.copyOfRange(stored, stored.length - tailLength, stored.length))).isEqualTo(n);
    }

    @Test
    void pageBlobRanges_haveNoPadding() {
        Envelope envelope = Envelope.sealLegacyV1(TestKeys.settings(), null);
        byte[] plaintext = RegionCryptoTest.random(1024, 5);
        byte[] stored = Arrays.copyOf(jdkCbc(envelope, plaintext), 1024); // page blobs: NoPadding, whole pages
        for (int offset = 0; offset < 1024; offset += 37) {
            for (int count : new int[] {1, 15, 16, 17, 512, 2000}) {
                assertThat(decryptRange(envelope.cbc(), stored, offset, count, false))
                    .isEqualTo(Arrays.copyOfRange(plaintext, offset, Math.min(offset + count, 1024)));
            }
        }
        assertThat(envelope.cbc().decrypt(stored, false)).isEqualTo(plaintext);
    }

    @Test
    void rangePlan_fetchesThePrecedingBlockAsIv() {
        CbcV1.Range range = CbcV1.Range.plan(20, 10, 64, true);
        assertThat(range.fetchOffset()).isZero();
        assertThat(range.ivFromData()).isTrue();
        assertThat(range.fetchCount()).isEqualTo(32);
        assertThat(range.skip()).isEqualTo(4);
        assertThat(range.removePadding()).isFalse();

        CbcV1.Range first = CbcV1.Range.plan(3, 5, 64, true);
        assertThat(first.ivFromData()).isFalse();
        assertThat(first.fetchCount()).isEqualTo(16);

        CbcV1.Range tail = CbcV1.Range.plan(40, 100, 64, true);
        assertThat(tail.fetchOffset()).isEqualTo(16);
        assertThat(tail.fetchCount()).isEqualTo(48);
        assertThat(tail.removePadding()).isTrue();
    }

    @Test
    void open_v1WithoutOptIn_isRefusedByPolicy() {
        Envelope envelope = Envelope.sealLegacyV1(TestKeys.settings(), null);
        assertThatThrownBy(() -> Envelope.open(TestKeys.settings(), envelope.data(), "Blob 'c/b'"))
            .isInstanceOfSatisfying(EncryptionPolicyException.class, e -> assertThat(e.getReason())
                .isEqualTo(EncryptionPolicyException.Reason.UNAUTHENTICATED_V1))
            .hasMessageContaining("Blob 'c/b'")
            .hasMessageContaining("allowUnauthenticatedV1Reads(true)")
            .hasMessageNotContaining("--allow-v1").hasMessageNotContaining("CLI"); // core gives library advice only
    }

    @Test
    void decrypt_truncatedOrBadPadding_throwsIntegrityException() {
        Envelope envelope = Envelope.sealLegacyV1(TestKeys.settings(), null);
        byte[] stored = envelope.cbc().encryptLegacy(RegionCryptoTest.random(40, 1));
        assertThatThrownBy(() -> envelope.cbc().decrypt(Arrays.copyOf(stored, 40), true))
            .isInstanceOf(IntegrityException.class).hasMessageContaining("16-byte blocks");
        byte[] badPad = stored.clone();
        badPad[badPad.length - 17] ^= 0x7f; // flips the last plaintext byte (the padding) through CBC
        assertThatThrownBy(() -> envelope.cbc().decrypt(badPad, true))
            .isInstanceOf(IntegrityException.class).hasMessageContaining("padding");
    }

    @Test
    void decrypt_emptyPaddedCiphertext_throwsIntegrityException() {
        // The JDK decrypts zero bytes with PKCS#7 padding to zero bytes, but no encryptor produces an empty padded
        // ciphertext (found by fuzzing a legacy table entity whose encrypted property was stored empty)
        Envelope envelope = Envelope.sealLegacyV1(TestKeys.settings(), null);
        assertThatThrownBy(() -> envelope.cbc().decrypt(new byte[0], true))
            .isInstanceOf(IntegrityException.class).hasMessageContaining("empty");
        assertThat(envelope.cbc().decrypt(new byte[0], false)).isEmpty(); // a page blob's empty range
    }

    private static byte[] jdkCbc(Envelope envelope, byte[] plaintext) {
        try {
            Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
            c.init(Cipher.ENCRYPT_MODE, envelope.key().secretKey(), new IvParameterSpec(envelope.cbc().iv()));
            return c.doFinal(plaintext);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
