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
}
