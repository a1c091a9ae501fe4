package dev.cse4j.bench.crypto;

import dev.cse4j.core.implementation.ContentKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.util.concurrent.TimeUnit;

/**
 * Warm region crypto: 4 MiB regions through cse4j ({@code CSE4J}) and through the provider's raw AES-GCM
 * ({@code RAW_ONE_CALL}, {@code RAW_SLICES}), for the JDK and the Amazon Corretto Crypto Provider. The score is in
 * MB/s (10^6 bytes per second: one operation per byte, per microsecond); with {@code -t 2} it is the sum over both
 * threads. Cold-JVM speed is {@link ColdStart}'s job. Commands: {@code cse4j-bench/README.md}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(RegionWork.REGION)
@Warmup(iterations = 6, time = 5)
@Measurement(iterations = 5, time = 4)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RegionCryptoBenchmark {
    @Param({"jdk", "corretto"})
    public String provider;

    @Param({"CSE4J", "RAW_ONE_CALL", "RAW_SLICES"})
    public RegionWork.Impl impl;

    private RegionWork work;

    /** Prepares only the measured direction, so the other one does not warm up this fork's JIT. */
    @Setup
    public void setUp(BenchmarkParams params) {
        ContentKey key = ContentKey.generate();
        work = params.getBenchmark().endsWith(".encrypt")
            ? new RegionWork(provider, impl, RegionWork.Op.ENCRYPT, key, null, RegionWork.REGION)
            : new RegionWork(provider, impl, RegionWork.Op.DECRYPT, key,
                RegionWork.sealRegionZero(key, RegionWork.REGION), RegionWork.REGION);
    }

    @Benchmark
    public int encrypt() {
        return work.run();
    }

    @Benchmark
    public int decrypt() {
        return work.run();
    }
}
