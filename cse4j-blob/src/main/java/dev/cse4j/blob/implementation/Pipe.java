package dev.cse4j.blob.implementation;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Arrays;

/**
 * A bounded byte pipe between a writing thread and a reading thread (the uploader behind an output stream). Unlike
 * {@link java.io.PipedInputStream} it does not depend on which threads are alive; either side ends it explicitly:
 * the writer with {@link #finish()} (end of data) or {@link #abort(String)} (the reader fails, so nothing is
 * committed), the reader with {@link #readerFailed(Throwable)} (the writer's next write fails with it). Memory is the
 * ring buffer; {@link #wipe()} zeroes it.
 */
final class Pipe {
    private final byte[] ring;
    private int start;
    private int size;
    private boolean finished;
    private String aborted;
    private Throwable readerFailure;

    Pipe(int capacity) {
        this.ring = new byte[capacity];
    }

    /** Copies {@code len} bytes in, waiting for room. */
    synchronized void write(byte[] b, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            while (size == ring.length && readerFailure == null) {
                await();
            }
            if (readerFailure != null) {
                throw new IOException("The upload failed: " + readerFailure.getMessage(), readerFailure);
            }
            if (finished || aborted != null) {
                throw new IOException("The stream was closed");
            }
            int end = (start + size) % ring.length;
            int n = Math.min(len - done, Math.min(ring.length - size, ring.length - end));
            System.arraycopy(b, off + done, ring, end, n);
            size += n;
            done += n;
            notifyAll();
        }
    }

    /** The end of the data: the reader sees end of stream once it has read everything. */
    synchronized void finish() {
        finished = true;
        notifyAll();
    }

    /** The reader's next read fails: it must not take what it read as complete data. */
    synchronized void abort(String why) {
        aborted = why;
        notifyAll();
    }

    /** The reader gave up: the writer's next write fails with {@code failure}. */
    synchronized void readerFailed(Throwable failure) {
        readerFailure = failure;
        notifyAll();
    }

    synchronized void wipe() {
        Arrays.fill(ring, (byte) 0);
        size = 0;
    }

    private synchronized int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (size == 0 && !finished && aborted == null) {
            await();
        }
        if (aborted != null) {
            throw new IOException(aborted);
        }
        if (size == 0) {
            return -1;
        }
        int n = Math.min(len, Math.min(size, ring.length - start));
        System.arraycopy(ring, start, b, off, n);
        Arrays.fill(ring, start, start + n, (byte) 0);
        start = (start + n) % ring.length;
        size -= n;
        notifyAll();
        return n;
    }

    private void await() throws InterruptedIOException {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting on the upload");
        }
    }

    /** The reading end. */
    InputStream source() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return Pipe.this.read(b, off, len);
            }
        };
    }
}
