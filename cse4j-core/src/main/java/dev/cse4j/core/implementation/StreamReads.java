package dev.cse4j.core.implementation;

import java.io.IOException;
import java.io.InputStream;

/** Reading whole regions from streams that return fewer bytes than asked (network streams do). */
final class StreamReads {
    private StreamReads() {
    }

    /**
     * Reads until {@code len} bytes are read or the stream ends, calling only {@link InputStream#read(byte[], int,
     * int)} (some streams override {@code readNBytes} as a single read).
     *
     * @return bytes read; fewer than {@code len} only at the end of the stream
     */
    static int readFully(InputStream in, byte[] b, int off, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int n = in.read(b, off + total, len - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /** Reads and drops up to {@code n} bytes, fewer if the stream ends first. */
    static void skipUpTo(InputStream in, long n) throws IOException {
        byte[] scrap = new byte[(int) Math.min(n, 8192)];
        while (n > 0) {
            int k = in.read(scrap, 0, (int) Math.min(n, scrap.length));
            if (k < 0) {
                return;
            }
            n -= k;
        }
    }

    /** A view of {@code in} that ends after {@code limit} bytes; closing it closes {@code in}. */
    static InputStream limit(InputStream in, long limit) {
        return new java.io.FilterInputStream(in) {
            private long remaining = limit;

            @Override
            public int read() throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int b = super.read();
                if (b >= 0) {
                    remaining--;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining <= 0) {
                    return len == 0 ? 0 : -1;
                }
                int n = super.read(b, off, (int) Math.min(len, remaining));
                if (n > 0) {
                    remaining -= n;
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long skipped = super.skip(Math.min(n, remaining));
                remaining -= skipped;
                return skipped;
            }

            @Override
            public int available() throws IOException {
                return (int) Math.min(super.available(), remaining);
            }

            @Override
            public boolean markSupported() {
                return false;
            }
        };
    }
}
