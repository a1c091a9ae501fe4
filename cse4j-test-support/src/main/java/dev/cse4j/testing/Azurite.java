package dev.cse4j.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running Azurite storage emulator (blob, queue and table services) on free loopback ports, with in-memory
 * storage (or on disk: {@link AzuriteOptions#withPersistenceDirectory(Path)}) and the well-known development account.
 * A private server can be {@linkplain #kill() killed} and {@linkplain #startAgain() started again} on the same
 * ports, as a crashing and restarting service would be.
 *
 * <p>Most tests get the one shared instance of their JVM from {@link AzuriteExtension}. A test that needs its own
 * server starts one and closes it:
 * <pre>{@code
 * try (Azurite azurite = Azurite.start()) {
 *     BlobServiceClient blobs = new BlobServiceClientBuilder()
 *         .connectionString(azurite.connectionString()).buildClient();
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link #start()} installs Azurite with {@code npm ci} first when the repository's {@code node_modules} lacks
 * it, and fails (never skips) with an {@link AzuriteException} saying what to install when it cannot. A JVM
 * shutdown hook stops the server if the handle is never closed, and the server also stops by itself when the JVM
 * dies without running hooks (see {@link JvmExitWatchdog}). Instances are thread-safe.
 */
public final class Azurite implements AutoCloseable {

    /** The well-known development storage account name. */
    public static final String ACCOUNT_NAME = "devstoreaccount1";
    /** The well-known (public, documented) development storage account key. */
    public static final String ACCOUNT_KEY =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Process process;
    private final int blobPort;
    private final int queuePort;
    private final int tablePort;
    private final Path logFile;
    private final boolean shared;
    private final AzuriteOptions options;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Thread shutdownHook;

    Azurite(Process process, int[] ports, Path logFile, boolean shared, AzuriteOptions options) {
        this.process = process;
        this.blobPort = ports[0];
        this.queuePort = ports[1];
        this.tablePort = ports[2];
        this.logFile = logFile;
        this.shared = shared;
        this.options = options;
        this.shutdownHook = new Thread(this::stop, "cse4j-azurite-stop-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a new Azurite with {@link AzuriteOptions#defaults()} and waits until all three services answer.
     *
     * @return the running server; close it when done
     * @throws AzuriteException if Node.js or npm is missing, the install fails, or Azurite does not start
     */
    public static Azurite start() {
        return start(AzuriteOptions.defaults());
    }

    /**
     * Starts a new Azurite and waits until all three services answer.
     *
     * @param options startup timeout, extra flags, log directory
     * @return the running server; close it when done
     * @throws AzuriteException if Node.js or npm is missing, the install fails, or Azurite does not start
     */
    public static Azurite start(AzuriteOptions options) {
        return AzuriteLauncher.launch(options, false);
    }

    /** @return a connection string with explicit, path-style endpoints for all three services */
    public String connectionString() {
        return connectionStringThrough();
    }

    /**
     * A connection string whose endpoints lead through fault proxies: each proxy takes the place of the service whose
     * port it {@linkplain FaultProxy#targetPort() targets}; services without a proxy stay direct.
     *
     * @param proxies proxies started with {@link FaultProxy#start(int)} on this server's ports
     * @return the connection string
     * @throws IllegalArgumentException if a proxy targets none of this server's ports
     */
    public String connectionStringThrough(FaultProxy... proxies) {
        int[] direct = {blobPort, queuePort, tablePort};
        int[] ports = direct.clone();
        for (FaultProxy proxy : proxies) {
            boolean placed = false;
            for (int i = 0; i < ports.length; i++) {
                if (proxy.targetPort() == direct[i]) {
                    ports[i] = proxy.port();
                    placed = true;
                }
            }
            if (!placed) {
                throw new IllegalArgumentException(proxy + " targets none of this Azurite's ports (" + this + ")");
            }
        }
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT_NAME + ";AccountKey=" + ACCOUNT_KEY
            + ";BlobEndpoint=" + endpoint(ports[0]) + ";QueueEndpoint=" + endpoint(ports[1])
            + ";TableEndpoint=" + endpoint(ports[2]) + ";";
    }

    /** @return {@code http://127.0.0.1:<blobPort>/devstoreaccount1} */
    public String blobEndpoint() {
        return endpoint(blobPort);
    }

    /** @return {@code http://127.0.0.1:<queuePort>/devstoreaccount1} */
    public String queueEndpoint() {
        return endpoint(queuePort);
    }

    /** @return {@code http://127.0.0.1:<tablePort>/devstoreaccount1} */
    public String tableEndpoint() {
        return endpoint(tablePort);
    }

    /** @return the blob service's port on 127.0.0.1 */
    public int blobPort() {
        return blobPort;
    }

    /** @return the queue service's port on 127.0.0.1 */
    public int queuePort() {
        return queuePort;
    }

    /** @return the table service's port on 127.0.0.1 */
    public int tablePort() {
        return tablePort;
    }

    /** @return {@value #ACCOUNT_NAME} */
    public String accountName() {
        return ACCOUNT_NAME;
    }

    /** @return the well-known development account key, {@link #ACCOUNT_KEY} */
    public String accountKey() {
        return ACCOUNT_KEY;
    }

    /** @return the file holding Azurite's stdout and stderr */
    public Path logFile() {
        return logFile;
    }

    /** @return whether the server process is still running */
    public boolean isRunning() {
        return !stopped.get() && process.isAlive();
    }

    /**
     * Stops the server and waits for its process to exit (SIGTERM, then a kill after 10 s). Idempotent.
     *
     * @throws UnsupportedOperationException if this is the instance {@link AzuriteExtension} shares among all
     *     tests of the JVM: the extension stops it after the last test
     * @throws AzuriteException if the process does not exit even when killed
     */
    @Override
    public void close() {
        if (shared) {
            throw new UnsupportedOperationException("This Azurite is shared by every test in the JVM and "
                + "AzuriteExtension stops it after the last test; do not close it. A test that needs a private "
                + "server can use Azurite.start() and close that one.");
        }
        stop();
    }

    /**
     * Kills the server at once (SIGKILL), as a crash or {@code kill -9} would: connections are reset, requests in
     * flight get no answer, and with a {@linkplain AzuriteOptions#persistenceDirectory() persistence directory} the
     * changes of its last seconds are lost (Azurite writes its metadata every 5 s). Idempotent.
     *
     * @throws UnsupportedOperationException if this is the instance {@link AzuriteExtension} shares
     * @throws AzuriteException if the process does not exit
     */
    public void kill() {
        if (shared) {
            throw new UnsupportedOperationException("This Azurite is shared by every test in the JVM; do not kill "
                + "it. Start a private one with Azurite.start(options) and kill that one.");
        }
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        removeShutdownHook();
        if (!ChildProcesses.kill(process, STOP_GRACE)) {
            throw new AzuriteException("Azurite (pid " + process.pid() + ") did not exit after being killed; stop it "
                + "by hand." + LogTail.describe(logFile));
        }
    }

    /**
     * Starts a new server with this one's options on this one's ports, once this one is stopped ({@link #close()})
     * or {@linkplain #kill() killed}, so that clients and {@link FaultProxy}s made for this one reach the new one.
     * With a {@linkplain AzuriteOptions#persistenceDirectory() persistence directory} the new server has the data
     * this one saved; in memory it starts empty.
     *
     * @return the new server; close it when done
     * @throws IllegalStateException if this server is still running
     * @throws AzuriteException if it does not start (a port stays taken, for example)
     */
    public Azurite startAgain() {
        if (isRunning()) {
            throw new IllegalStateException("This Azurite is still running; close() or kill() it first: " + this);
        }
        return AzuriteLauncher.launch(options, false, new int[] {blobPort, queuePort, tablePort});
    }

    /** Waits up to {@code timeout} for the process to exit; returns early if it does. */
    boolean awaitExit(Duration timeout) {
        return ChildProcesses.awaitExit(process, timeout);
    }

    /** @return the exit code of the process, which must have exited */
    int exitValue() {
        return process.exitValue();
    }

    /** Stops the server whoever owns it; used by {@link #close()}, the extension and the shutdown hook. */
    void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        removeShutdownHook();
        if (!ChildProcesses.stop(process, STOP_GRACE)) {
            throw new AzuriteException("Azurite (pid " + process.pid() + ") did not exit even after being "
                + "killed; stop it by hand." + LogTail.describe(logFile));
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException jvmShuttingDown) {
            // the hook is running or about to run stop(); it will find stopped == true
        }
    }

    @Override
    public String toString() {
        return "Azurite[pid=" + process.pid() + ", blob=" + blobPort + ", queue=" + queuePort + ", table="
            + tablePort + (isRunning() ? "" : ", stopped") + "]";
    }

    private static String endpoint(int port) {
        return "http://" + LoopbackPorts.HOST + ":" + port + "/" + ACCOUNT_NAME;
    }
}
