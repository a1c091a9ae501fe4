package dev.cse4j.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Picks free TCP ports on the loopback address by binding port 0. */
public final class LoopbackPorts {

    /** The only address cse4j's tests use. */
    public static final String HOST = "127.0.0.1";

    private LoopbackPorts() {
    }

    /**
     * Finds distinct ports that are free right now. Another process may still take one before the server binds
     * it; the server's launcher retries with new ports on that (as {@link AzuriteLauncher} does).
     *
     * @param count how many ports
     * @return the port numbers
     */
    public static int[] pickFree(int count) {
        List<ServerSocket> sockets = new ArrayList<>(count);
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not bind a free port on " + HOST + ": " + e.getMessage(), e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a bound, never-accepted socket does not fail in practice; nothing to do
                }
            }
        }
    }
}
