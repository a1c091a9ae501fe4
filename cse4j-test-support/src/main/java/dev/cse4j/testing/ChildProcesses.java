package dev.cse4j.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Waits for and stops child processes (Azurite, npm) with deadlines, never leaving them running. */
final class ChildProcesses {

    private static final Duration KILL_GRACE = Duration.ofSeconds(5);

    private ChildProcesses() {
    }

    /**
     * Waits until the process exits or the timeout passes.
     *
     * @return whether the process exited in time
     * @throws AzuriteException if the waiting thread is interrupted (the process is killed and the thread's
     *     interrupt flag restored)
     */
    static boolean awaitExit(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killTree(process);
            throw new AzuriteException("Interrupted while waiting for process " + process.pid()
                + "; it was killed.", e);
        }
    }

    /**
     * Asks the process and its descendants to terminate, waits up to {@code grace}, then kills whatever is left.
     *
     * @return whether the process has exited
     */
    static boolean stop(Process process, Duration grace) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        boolean exited = awaitExit(process, grace);
        if (!exited) {
            killTree(process);
            exited = awaitExit(process, KILL_GRACE);
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
        return exited;
    }

    /**
     * Kills the process and its descendants at once (SIGKILL) and waits up to {@code timeout} for it to exit.
     *
     * @return whether the process has exited
     */
    static boolean kill(Process process, Duration timeout) {
        killTree(process);
        return awaitExit(process, timeout);
    }

    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
