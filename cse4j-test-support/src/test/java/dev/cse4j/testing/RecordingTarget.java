package dev.cse4j.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP server for the proxy's tests that records every byte each connection receives until the
 * connection ends, and answers nothing.
 */
final class RecordingTarget implements AutoCloseable {

    private final ServerSocket listener;
    private final List<ByteArrayOutputStream> received = new ArrayList<>();
    private final List<CountDownLatch> ended = new ArrayList<>();
    private final Thread acceptor;

    RecordingTarget() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        acceptor = new Thread(this::accept, "recording-target");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Waits for connection {@code index} (0-based) to end and returns what it received. */
    byte[] receivedBy(int index) throws InterruptedException {
        CountDownLatch latch;
        while (true) {
            synchronized (this) {
                if (ended.size() > index) {
                    latch = ended.get(index);
                    break;
                }
                wait(10_000);
            }
        }
        if (!latch.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("connection " + index + " to the target did not end");
        }
        synchronized (this) {
            return received.get(index).toByteArray();
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                CountDownLatch latch = new CountDownLatch(1);
                synchronized (this) {
                    received.add(bytes);
                    ended.add(latch);
                    notifyAll();
                }
                Thread reader = new Thread(() -> record(socket, bytes, latch), "recording-target-reader");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void record(Socket socket, ByteArrayOutputStream bytes, CountDownLatch latch) {
        try (socket; InputStream in = socket.getInputStream()) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (this) {
                    bytes.write(buffer, 0, n);
                }
            }
        } catch (IOException resetOrClosed) {
            // the connection ended; what arrived before is recorded
        } finally {
            latch.countDown();
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
