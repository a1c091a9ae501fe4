package dev.cse4j.spark.testing;

import dev.cse4j.testing.LogTail;
import dev.cse4j.testing.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Spark standalone cluster on this machine: a master and N workers, each a separate JVM started from the
 * Spark jars ({@link SparkInstallation}) with Spark's Java 17 module options, all bound to 127.0.0.1 on free
 * ports (RPC and web UI; {@code SPARK_LOCAL_IP=127.0.0.1} keeps every server of the daemons and of the executors
 * they start on loopback). Each worker offers one core and 1 GiB, so an application gets one single-core executor
 * per worker and every task runs in an executor JVM.
 *
 * <pre>{@code
 * try (StandaloneCluster cluster = StandaloneCluster.start("my-test", 2, Map.of())) {
 *     SparkSession spark = TestSpark.onCluster(cluster, "my-test").getOrCreate();
 *     ...
 *     cluster.killWorker(1);   // SIGKILL: its executor exits with it
 * }
 * }</pre>
 *
 * <p>Logs and the workers' directories (executor stdout/stderr, fetched jars) stay under
 * {@code target/spark/<name>/} for inspection. Every JVM exits when the test JVM dies ({@link ExitWithParent}),
 * and {@link #close()} stops them all.
 */
public final class StandaloneCluster implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final int ATTEMPTS = 3;
    private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final SparkInstallation spark;
    private final Path directory;
    private final Map<String, String> executorEnvironment;
    private final List<Daemon> workers = new ArrayList<>();
    private final List<Daemon> drivers = new ArrayList<>();
    private Daemon master;
    private long startedNanos;

    private StandaloneCluster(SparkInstallation spark, Path directory, Map<String, String> executorEnvironment) {
        this.spark = spark;
        this.directory = directory;
        this.executorEnvironment = executorEnvironment;
    }

    /**
     * Starts a master and {@code workers} workers and waits until the master counts them all alive.
     *
     * @param name a directory name under {@code target/spark/} for logs and work directories
     * @param workers how many workers (each one core, 1 GiB)
     * @param executorEnvironment environment variables of the worker JVMs, which the executors they start inherit:
     *     how a test gives executors something from "their own environment" (as a cluster node's identity would)
     * @return the running cluster; close it when done
     */
    public static StandaloneCluster start(String name, int workers, Map<String, String> executorEnvironment) {
        SparkInstallation spark = SparkInstallation.local();
        Path directory = SparkInstallation.workDirectory().resolve(name + "-" + System.currentTimeMillis());
        StandaloneCluster cluster = new StandaloneCluster(spark, directory, Map.copyOf(executorEnvironment));
        try {
            Files.createDirectories(directory);
            cluster.startedNanos = System.nanoTime();
            cluster.startMaster();
            for (int i = 0; i < workers; i++) {
                cluster.startWorker();
            }
            cluster.awaitAliveWorkers(workers);
            return cluster;
        } catch (IOException e) {
            cluster.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** @return {@code spark://127.0.0.1:<port>} */
    public String masterUrl() {
        return "spark://" + LoopbackPorts.HOST + ":" + master.ports[0];
    }

    /** @return the directory holding the logs and the workers' work directories */
    public Path directory() {
        return directory;
    }

    /** @return how long {@link #start} took from the first JVM launched to all workers registered */
    public Duration startupTime() {
        return startupTime;
    }

    private Duration startupTime = Duration.ZERO;

    /** @return how many workers this cluster started (alive or killed) */
    public int workerCount() {
        return workers.size();
    }

    /** @return the process of worker {@code index} */
    public ProcessHandle worker(int index) {
        return workers.get(index).process.toHandle();
    }

    /** @return every process of the cluster: master, workers and the executors the workers started */
    public List<ProcessHandle> processes() {
        List<ProcessHandle> all = new ArrayList<>();
        for (Daemon daemon : daemons()) {
            all.add(daemon.process.toHandle());
            daemon.process.descendants().forEach(all::add);
        }
        return all;
    }

    /**
     * Kills worker {@code index} with SIGKILL, as a machine failure would, and waits for its JVM to be gone. Its
     * executors exit by themselves when they lose the worker.
     */
    public void killWorker(int index) {
        Process process = workers.get(index).process;
        process.destroyForcibly();
        try {
            if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("Worker " + index + " (pid " + process.pid() + ") survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while killing worker " + index, e);
        }
    }

    /** Waits until the master counts exactly {@code count} alive workers (fails after a minute). */
    public void awaitAliveWorkers(int count) {
        await(() -> aliveWorkers() == count, "the master to count " + count + " alive workers", master);
        if (startupTime.isZero()) {
            startupTime = Duration.ofNanos(System.nanoTime() - startedNanos);
        }
    }

    /** @return the number of alive workers the master reports (its {@code /json} page), -1 if it does not answer */
    public int aliveWorkers() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://" + LoopbackPorts.HOST + ":" + master.ports[1] + "/json/"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher matcher = ALIVE_WORKERS.matcher(response.body());
            return response.statusCode() == 200 && matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Starts a driver process as users do: {@code spark-submit --master <this cluster> --deploy-mode client ...}
     * ({@code org.apache.spark.deploy.SparkSubmit} from the Spark jars), on loopback, without a web UI.
     *
     * @param name the log file's name
     * @param submitArguments what follows the master on a {@code spark-submit} line ({@code --class}, {@code --files},
     *     {@code --jars}, the application jar and its arguments)
     * @param environment the driver's environment variables
     * @return the driver process, whose output goes to {@code <name>.log} ({@link #log}); stopped by {@link #close}
     */
    public Process submit(String name, List<String> submitArguments, Map<String, String> environment) {
        Path log = directory.resolve(name + ".log");
        List<String> command = new ArrayList<>(java());
        command.addAll(List.of("-Xmx512m", "-Djdk.httpclient.allowRestrictedHeaders=content-length",
            "-cp", spark.classPath(), "org.apache.spark.deploy.SparkSubmit",
            "--master", masterUrl(), "--deploy-mode", "client",
            "--conf", "spark.driver.host=" + LoopbackPorts.HOST,
            "--conf", "spark.driver.bindAddress=" + LoopbackPorts.HOST,
            "--conf", "spark.ui.enabled=false",
            "--conf", "spark.executor.memory=512m",
            "--conf", "spark.cores.max=" + workers.size(),
            "--conf", "spark.executor.extraJavaOptions=" + TestSpark.EXECUTOR_JAVA_OPTIONS));
        command.addAll(submitArguments);
        Daemon driver = new Daemon(name, start(command, log, environment), new int[0], log);
        drivers.add(driver);
        return driver.process;
    }

    /** @return the log file of a process started by {@link #submit} with this name */
    public Path log(String name) {
        return directory.resolve(name + ".log");
    }

    /** Stops the workers (their shutdown hooks stop their executors), then the master; kills what lingers. */
    @Override
    public void close() {
        drivers.forEach(Daemon::stop);
        for (int i = workers.size() - 1; i >= 0; i--) {
            workers.get(i).stop();
        }
        if (master != null) {
            master.stop();
        }
    }

    private List<Daemon> daemons() {
        List<Daemon> all = new ArrayList<>();
        if (master != null) {
            all.add(master);
        }
        all.addAll(workers);
        return all;
    }

    private void startMaster() {
        master = launch("master", ports -> List.of("org.apache.spark.deploy.master.Master",
            "--host", LoopbackPorts.HOST, "--port", Integer.toString(ports[0]),
            "--webui-port", Integer.toString(ports[1])), Map.of());
        await(() -> aliveWorkers() >= 0, "the master's web UI to answer", master);
    }

    private void startWorker() throws IOException {
        int index = workers.size();
        Path workDirectory = Files.createDirectories(directory.resolve("worker-" + index));
        workers.add(launch("worker-" + index, ports -> List.of("org.apache.spark.deploy.worker.Worker",
            "--host", LoopbackPorts.HOST, "--port", Integer.toString(ports[0]),
            "--webui-port", Integer.toString(ports[1]), "--cores", "1", "--memory", "1g",
            "--work-dir", workDirectory.toString(), masterUrl()), executorEnvironment));
    }

    /** Starts a daemon on two fresh loopback ports, again on new ports if it exits because one was taken. */
    private Daemon launch(String name, PortsToArguments arguments, Map<String, String> extraEnvironment) {
        for (int attempt = 1; ; attempt++) {
            int[] ports = LoopbackPorts.pickFree(2);
            Path log = directory.resolve(name + (attempt == 1 ? "" : "-attempt" + attempt) + ".log");
            List<String> command = new ArrayList<>(java());
            command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                // fail on a taken port instead of silently moving to the next one
                "-Dspark.port.maxRetries=0",
                "-cp", spark.classPath(testClassesLocation()), ExitWithParent.class.getName()));
            command.addAll(arguments.apply(ports));
            Daemon daemon = new Daemon(name, start(command, log, extraEnvironment), ports, log);
            if (attempt < ATTEMPTS && exitedOnTakenPort(daemon)) {
                continue;
            }
            return daemon;
        }
    }

    private Process start(List<String> command, Path log, Map<String, String> extraEnvironment) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(Redirect.to(log.toFile())).directory(directory.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(key -> key.startsWith("SPARK_") || key.startsWith("AZURE_"));
        environment.putAll(daemonEnvironment());
        environment.putAll(extraEnvironment);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + String.join(" ", command), e);
        }
    }

    private static List<String> java() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(SparkInstallation.jvmOptions());
        return command;
    }

    private Map<String, String> daemonEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("SPARK_HOME", spark.home().toString());
        environment.put("SPARK_SCALA_VERSION", "2.13");
        environment.put("SPARK_LOCAL_IP", LoopbackPorts.HOST);
        environment.put("SPARK_LOCAL_HOSTNAME", LoopbackPorts.HOST);
        environment.put("SPARK_LOCAL_DIRS", directory.resolve("local").toString());
        return environment;
    }

    private static boolean exitedOnTakenPort(Daemon daemon) {
        try {
            if (!daemon.process.waitFor(1500, TimeUnit.MILLISECONDS)) {
                return false;
            }
            String log = Files.readString(daemon.log);
            return log.contains("BindException") || log.contains("Address already in use");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void await(BooleanSupplier condition, String what, Daemon watched) {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (!watched.process.isAlive()) {
                throw new IllegalStateException(watched.name + " exited (code " + watched.process.exitValue()
                    + ") while waiting for " + what + "." + LogTail.describe(watched.log));
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("Timed out after " + STARTUP_TIMEOUT.toSeconds() + " s waiting for "
                    + what + "." + LogTail.describe(watched.log));
            }
            try {
                watched.process.waitFor(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + what, e);
            }
        }
    }

    /** Where {@link ExitWithParent} is: the test classes directory (or the test jar) of this module. */
    private static Path testClassesLocation() {
        try {
            return Path.of(ExitWithParent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface PortsToArguments {
        List<String> apply(int[] ports);
    }

    private record Daemon(String name, Process process, int[] ports, Path log) {
        void stop() {
            List<ProcessHandle> descendants = process.descendants().toList();
            process.destroy();
            try {
                if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            descendants.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
