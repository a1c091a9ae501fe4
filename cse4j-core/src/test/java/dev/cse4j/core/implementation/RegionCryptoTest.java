package dev.cse4j.core.implementation;

import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class RegionCryptoTest {
    private static final int MIB4 = 4 * 1024 * 1024;

    static Stream<Arguments> sizes() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (int r : new int[] {16, MIB4}) {
            EncryptionProtocol protocol = r == MIB4 ? EncryptionProtocol.V2_0 : EncryptionProtocol.V2_1;
            java.util.Set<Long> distinct = new java.util.TreeSet<>(
                java.util.List.of(0L, 1L, 15L, 16L, 17L, r - 1L, (long) r, r + 1L, 2L * r, 5L * r + 3));
            for (long n : distinct) {
                b.add(Arguments.of(protocol, r, (int) n));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} R={1} n={2}")
    @MethodSource("sizes")
    void encryptAll_hasDocumentedLayout_andRoundTrips(EncryptionProtocol protocol, int r, int n) throws Exception {
        byte[] plaintext = random(n, n);
        Envelope envelope = Envelope.seal(TestKeys.settings(), protocol, r, EncryptionData.FULL_BLOB);
        byte[] encrypted = envelope.regionEncryptor().encryptAll(plaintext, 0, n);

        long regions = (n + r - 1) / r;
        assertThat((long) encrypted.length).isEqualTo(n + regions * 28);
        for (long i = 0; i < regions; i++) {
            int start = (int) (i * (r + 28L));
            int len = (int) Math.min(r, n - i * r);
            byte[] nonce = Arrays.copyOfRange(encrypted, start, start + 12);
            byte[] expectedNonce = new byte[12];
            for (int k = 0; k < 8; k++) {
                expectedNonce[k] = (byte) (i >>> (56 - 8 * k));
            }
            assertThat(nonce).as("Java nonce of region %d", i).isEqualTo(expectedNonce);
            // Each region is plain AES-256-GCM (no AAD) under the content key: decrypt it independently with the JDK.
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, envelope.key().secretKey(), new GCMParameterSpec(128, nonce));
            byte[] region = gcm.doFinal(encrypted, start + 12, len + 16);
            assertThat(region).isEqualTo(Arrays.copyOfRange(plaintext, (int) (i * r), (int) (i * r) + len));
        }

        Envelope opened = Envelope.open(TestKeys.settings(), EncryptionData.parse(envelope.data().toJsonString()), "x");
        assertThat(opened.regionDecryptor().decryptAll(encrypted, 0, encrypted.length)).isEqualTo(plaintext);
    }

    @ParameterizedTest(name = "{0} R={1} n={2}")
    @MethodSource("sizes")
    void streams_roundTripInEveryCombination(EncryptionProtocol protocol, int r, int n) throws IOException {
        byte[] plaintext = random(n, 31 * n + 7);
        Envelope envelope = Envelope.seal(TestKeys.settings(), protocol, r, EncryptionData.FULL_BLOB);
        byte[] viaArray = envelope.regionEncryptor().encryptAll(plaintext, 0, n);

        // Encryption is deterministic given key and nonce, so all three paths must agree byte for byte. Each path runs
        // on its own thread: a thread's cipher refuses (rightly) to encrypt twice in a row with one key and nonce.
        byte[] viaInputStream = onNewThread(() -> {
            try (InputStream in = new EncryptingInputStream(new TrickleInputStream(plaintext),
                envelope.regionEncryptor())) {
                return in.readAllBytes();
            }
        });
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        onNewThread(() -> {
            try (EncryptingOutputStream out = new EncryptingOutputStream(sink, envelope.regionEncryptor())) {
                writeInOddChunks(out, plaintext);
            }
            return null;
        });
        assertThat(viaInputStream).isEqualTo(viaArray);
        assertThat(sink.toByteArray()).isEqualTo(viaArray);

        try (InputStream in = new DecryptingInputStream(new TrickleInputStream(viaArray), envelope.regionDecryptor())) {
            assertThat(in.readAllBytes()).isEqualTo(plaintext);
        }
        ByteArrayOutputStream plainSink = new ByteArrayOutputStream();
        try (DecryptingOutputStream out = new DecryptingOutputStream(plainSink, envelope.regionDecryptor())) {
            writeInOddChunks(out, viaArray);
        }
        assertThat(plainSink.toByteArray()).isEqualTo(plaintext);
    }

    @Test
    void emptyPlaintext_isAnEmptyBody_andTheJavaSdkSingleEmptyRegionAlsoReads() throws IOException {
        Envelope envelope = Envelope.seal(TestKeys.settings(), EncryptionProtocol.V2_0, MIB4, null);
        assertThat(envelope.regionEncryptor().encryptAll(new byte[0], 0, 0)).isEmpty();

        byte[] oneEmptyRegion = new byte[28];
        envelope.regionEncryptor().encryptRegion(0, new byte[0], 0, 0, oneEmptyRegion, 0);
        assertThat(envelope.regionDecryptor().decryptAll(oneEmptyRegion, 0, 28)).isEmpty();
        try (InputStream in = new DecryptingInputStream(new ByteArrayInputStream(oneEmptyRegion),
            envelope.regionDecryptor())) {
            assertThat(in.readAllBytes()).isEmpty();
        }
        try (InputStream in = new DecryptingInputStream(new ByteArrayInputStream(new byte[0]),
            envelope.regionDecryptor())) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    @Test
    void everyByteRange_ofSmallBlob_decryptsExactly() throws IOException {
        int r = 16;
        int n = 100;
        byte[] plaintext = random(n, 99);
        Envelope envelope = Envelope.seal(TestKeys.settings(), EncryptionProtocol.V2_1, r, EncryptionData.FULL_BLOB);
        byte[] encrypted = envelope.regionEncryptor().encryptAll(plaintext, 0, n);
        RegionLayout layout = envelope.layout();
        for (int offset = 0; offset <= n + 2; offset++) {
            for (int count = 0; count <= n + 2 - offset; count++) {
                RegionLayout.RegionRange range = layout.rangeFor(offset, count, n);
                byte[] expected = Arrays.copyOfRange(plaintext, Math.min(offset, n), Math.min(offset + count, n));
                if (range.isEmpty()) {
                    assertThat(expected).isEmpty();
                    continue;
                }
                // What the service returns for the request: clipped at the end of the blob.
                int from = (int) range.encryptedOffset();
                int to = (int) Math.min(encrypted.length, range.encryptedOffset() + range.encryptedCount());
                byte[] fetched = Arrays.copyOfRange(encrypted, from, to);
                try (InputStream in = new DecryptingInputStream(new ByteArrayInputStream(fetched),
                    envelope.regionDecryptor(), range.firstRegion(), range.skip(), range.length())) {
                    assertThat(in.readAllBytes()).as("offset %d count %d", offset, count).isEqualTo(expected);
                }
                ByteArrayOutputStream sink = new ByteArrayOutputStream();
                try (DecryptingOutputStream out = new DecryptingOutputStream(sink, envelope.regionDecryptor(),
                    range.firstRegion(), range.skip(), range.length())) {
                    out.write(fetched);
                }
                assertThat(sink.toByteArray()).as("offset %d count %d", offset, count).isEqualTo(expected);
            }
        }
    }

    @Test
    void largeStream_ofManyRegions_roundTripsWithBoundedBuffers() throws IOException {
        int r = 4 * 1024 * 1024;
        long n = 64L * 1024 * 1024 + 12345;
        Envelope envelope = Envelope.seal(TestKeys.settings(), EncryptionProtocol.V2_0, r, EncryptionData.FULL_BLOB);
        PatternInputStream source = new PatternInputStream(n);
        InputStream encrypted = new EncryptingInputStream(source, envelope.regionEncryptor());
        InputStream decrypted = new DecryptingInputStream(encrypted, envelope.regionDecryptor());
        byte[] buf = new byte[1 << 16];
        long total = 0;
        byte[] expected = new byte[buf.length];
        for (int k; (k = decrypted.read(buf)) >= 0; ) {
            for (int i = 0; i < k; i++) {
                expected[i] = PatternInputStream.byteAt(total + i);
            }
            if (!Arrays.equals(buf, 0, k, expected, 0, k)) {
                throw new AssertionError("plaintext differs in the " + k + " bytes at " + total);
            }
            total += k;
        }
        assertThat(total).isEqualTo(n);
    }

    @Test
    void wrappedKey_unwrapsToVersionPrefixAndKey() {
        for (EncryptionProtocol protocol : new EncryptionProtocol[] {EncryptionProtocol.V2_0, EncryptionProtocol.V2_1}) {
            Envelope envelope = Envelope.seal(TestKeys.settings(), protocol,
                protocol == EncryptionProtocol.V2_0 ? MIB4 : 64, null);
            byte[] unwrapped = TestKeys.kek().unwrapKey("A256KW", envelope.data().wrappedContentKey().encryptedKey());
            assertThat(unwrapped).hasSize(40);
            assertThat(new String(unwrapped, 0, 3, StandardCharsets.US_ASCII)).isEqualTo(protocol.wireValue());
            assertThat(Arrays.copyOfRange(unwrapped, 3, 8)).containsOnly(0);
            assertThat(Arrays.copyOfRange(unwrapped, 8, 40)).isEqualTo(envelope.key().bytes());
            assertThat(envelope.data().encryptionLibrary()).startsWith("cse4j ").doesNotContain("Java");
        }
    }

    @Test
    void freshEnvelopes_haveDistinctContentKeys() {
        Envelope a = Envelope.seal(TestKeys.settings(), EncryptionProtocol.V2_0, MIB4, null);
        Envelope b = Envelope.seal(TestKeys.settings(), EncryptionProtocol.V2_0, MIB4, null);
        assertThat(a.key().bytes()).isNotEqualTo(b.key().bytes());
        assertThat(a.data().wrappedContentKey()).isNotEqualTo(b.data().wrappedContentKey());
        assertThat(a.key().toString()).doesNotContain(hex(a.key().bytes()));
    }

    static <T> T onNewThread(java.util.concurrent.Callable<T> task) {
        java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            return executor.submit(task).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            executor.shutdownNow();
        }
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }

    private static void writeInOddChunks(java.io.OutputStream out, byte[] data) throws IOException {
        int[] chunks = {1, 7, 3, 100, 4096, 65537};
        int pos = 0;
        for (int i = 0; pos < data.length; i++) {
            int k = Math.min(chunks[i % chunks.length], data.length - pos);
            if (k == 1) {
                out.write(data[pos]);
            } else {
                out.write(data, pos, k);
            }
            pos += k;
        }
    }

    /** Returns at most 1000 bytes per read, like a network stream. */
    static final class TrickleInputStream extends ByteArrayInputStream {
        TrickleInputStream(byte[] data) {
            super(data);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 1000));
        }
    }

    /** {@code n} bytes of a position-derived pattern, without holding them in memory. */
    static final class PatternInputStream extends InputStream {
        private final long length;
        private long position;

        PatternInputStream(long length) {
            this.length = length;
        }

        static byte byteAt(long position) {
            return (byte) (position * 31 + (position >>> 11));
        }

        @Override
        public int read() {
            return position < length ? byteAt(position++) & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= length) {
                return -1;
            }
            int n = (int) Math.min(len, length - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = byteAt(position++);
            }
            return n;
        }
    }
}
