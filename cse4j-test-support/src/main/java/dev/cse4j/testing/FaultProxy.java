package dev.cse4j.testing;

import dev.cse4j.testing.FaultRule.Direction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy that injects network faults between a client and a server (usually one Azurite service),
 * scripted per test with {@link FaultRule}s: reset, truncate, stall or slow a connection after N bytes in either
 * direction, or act on HTTP requests (answer 500/503 for N requests, reset or stall a matching one).
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(azurite.blobPort())) {
 *     BlobServiceClient blobs = new BlobServiceClientBuilder()
 *         .connectionString(azurite.connectionStringThrough(proxy)).buildClient();
 *     FaultRule cut = proxy.add(FaultRule.upstream().afterBytes(4_000).reset());
 *     ... // the upload's bytes past 4,000 meet a reset connection
 *     assertThat(cut.firings()).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>Without rules it forwards every byte unchanged. Each accepted client connection gets its own connection to
 * the target; if the target does not accept (it is down), the client's connection is reset. Rules can be added,
 * and removed with {@link #clear()}, at any time, from any thread; byte counts are exact across connections. The
 * proxy frames client bytes into HTTP/1.1 requests to count and match them (any stream that is not HTTP passes
 * through as raw bytes). {@link #close()} stops accepting, releases stalls, closes every connection and its threads.
 */
public final class FaultProxy implements AutoCloseable {

    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int CLOSE_WAIT_SECONDS = 10;

    private final ServerSocket listener;
    private final int targetPort;
    private final RuleBook rules = new RuleBook();
    private final Set<ProxyConnection> connections = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    private FaultProxy(ServerSocket listener, int targetPort) {
        this.listener = listener;
        this.targetPort = targetPort;
        this.threads = Executors.newCachedThreadPool(daemonThreads(
            "cse4j-fault-proxy-" + INSTANCES.incrementAndGet() + "-" + listener.getLocalPort() + "-"));
    }

    /**
     * Starts a proxy on a free port of 127.0.0.1 in front of {@code 127.0.0.1:targetPort}.
     *
     * @param targetPort the server's port, e.g. {@link Azurite#blobPort()}
     * @return the running proxy; close it when done
     */
    public static FaultProxy start(int targetPort) {
        if (targetPort < 1 || targetPort > 65_535) {
            throw new IllegalArgumentException("targetPort must be a TCP port (1-65535), was " + targetPort);
        }
        ServerSocket listener;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getByName(LoopbackPorts.HOST));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not bind a free port on " + LoopbackPorts.HOST + " for the fault "
                + "proxy: " + e.getMessage(), e);
        }
        FaultProxy proxy = new FaultProxy(listener, targetPort);
        proxy.threads.execute(proxy::accept);
        return proxy;
    }

    /** @return the proxy's own port on 127.0.0.1, where clients connect */
    public int port() {
        return listener.getLocalPort();
    }

    /** @return the port on 127.0.0.1 the proxy forwards to */
    public int targetPort() {
        return targetPort;
    }

    /**
     * Adds a rule; it counts traffic from now on.
     *
     * @return the same rule, to read its {@link FaultRule#firings()} later
     * @throws IllegalStateException if the rule was added to a proxy before
     */
    public FaultRule add(FaultRule rule) {
        rules.add(rule);
        return rule;
    }

    /** Removes every rule and releases every stall; traffic flows unchanged from now on. */
    public void clear() {
        rules.clear();
    }

    /** Lets every stalled connection go on (a stall rule with times left stalls again when it fires again). */
    public void releaseStalls() {
        rules.releaseStalls();
    }

    /** Resets every open connection now (TCP RST both ways), as a crashing server or a broken network would. */
    public void resetConnections() {
        connections.forEach(ProxyConnection::reset);
    }

    /** @return the bytes forwarded so far in that direction, over all connections (bytes held back do not count) */
    public long forwarded(Direction direction) {
        return rules.forwarded(direction);
    }

    /**
     * @return the request lines ({@code METHOD target}) the clients sent so far, oldest first, including requests
     *     the rules answered or cut off (at most the last {@value RuleBook#MAX_RECORDED_REQUESTS})
     */
    public List<String> requests() {
        return rules.requests();
    }

    /** @return how many client connections the proxy has accepted so far */
    public int connectionsAccepted() {
        return accepted.get();
    }

    /** @return how many of them are open now */
    public int connectionsOpen() {
        return connections.size();
    }

    /** Stops accepting, releases stalls, closes every connection and waits for the proxy's threads. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            listener.close();
        } catch (IOException ignored) {
            // the accept loop ends either way
        }
        connections.forEach(ProxyConnection::close);
        rules.close();
        threads.shutdownNow();
        try {
            if (!threads.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("The fault proxy's threads did not end within " + CLOSE_WAIT_SECONDS
                    + " s of closing it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "FaultProxy[127.0.0.1:" + port() + " -> 127.0.0.1:" + targetPort + (closed.get() ? ", closed" : "")
            + "]";
    }

    private void accept() {
        while (!closed.get()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            try {
                threads.execute(() -> connect(client));
            } catch (RejectedExecutionException closing) {
                closeQuietly(client);
            }
        }
    }

    private void connect(Socket client) {
        Socket server = new Socket();
        try {
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            server.connect(new InetSocketAddress(LoopbackPorts.HOST, targetPort), CONNECT_TIMEOUT_MILLIS);
        } catch (IOException targetDown) {
            try {
                client.setSoLinger(true, 0);
            } catch (IOException ignored) {
                // reset or not, the client's connection ends here
            }
            closeQuietly(client);
            closeQuietly(server);
            return;
        }
        ProxyConnection connection = new ProxyConnection(client, server, rules);
        connections.add(connection);
        if (closed.get()) {
            connection.close();
        }
        try {
            threads.execute(() -> {
                try {
                    connection.pumpDownstream();
                } finally {
                    if (!connection.isOpen()) {
                        connections.remove(connection);
                    }
                }
            });
        } catch (RejectedExecutionException closing) {
            connection.close();
            connections.remove(connection);
            return;
        }
        try {
            connection.pumpUpstream();
        } finally {
            if (!connection.isOpen()) {
                connections.remove(connection);
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
