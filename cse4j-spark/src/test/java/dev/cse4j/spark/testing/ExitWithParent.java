package dev.cse4j.spark.testing;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Main class of every JVM that {@link StandaloneCluster} starts: runs the Spark daemon named by the first argument
 * and exits when the test JVM goes away, even by a SIGKILL that skips its shutdown hooks. The test JVM holds the
 * write end of this process's stdin; the OS closes it when the test JVM dies, and the end-of-file makes this JVM
 * exit through {@link System#exit} (so a worker's shutdown hook still stops the executors it started).
 */
public final class ExitWithParent {

    private ExitWithParent() {
    }

    /**
     * @param args the daemon's main class, then its arguments
     * @throws Exception whatever the daemon's main throws
     */
    public static void main(String[] args) throws Exception {
        Thread watcher = new Thread(ExitWithParent::exitAtEndOfInput, "cse4j-exit-with-parent");
        watcher.setDaemon(true);
        watcher.start();
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }

    private static void exitAtEndOfInput() {
        try (InputStream in = System.in) {
            while (in.read() >= 0) {
                // the parent never writes; keep reading until it goes away
            }
        } catch (IOException ignored) {
            // a broken pipe means the same: the parent is gone
        }
        System.exit(3);
    }
}
