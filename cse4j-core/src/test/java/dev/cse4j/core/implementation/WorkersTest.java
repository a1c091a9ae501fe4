package dev.cse4j.core.implementation;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkersTest {
    @Test
    void run_neverHasMoreThanMaxInFlight_andRunsEveryItemOnce() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        List<Integer> results = new ArrayList<>();

        long count = Workers.run(IntStream.range(0, 200).iterator(), 3, i -> {
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            Thread.onSpinWait();
            inFlight.decrementAndGet();
            return i;
        }, results::add);

        assertThat(count).isEqualTo(200);
        assertThat(results).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 200).boxed().toList());
        assertThat(peak.get()).isBetween(1, 3);
    }

    @Test
    void run_handsResultsToTheSinkOnTheCallingThread_inCompletionOrder() throws InterruptedException {
        CountDownLatch secondDelivered = new CountDownLatch(1);
        List<String> order = new ArrayList<>();
        List<Thread> sinkThreads = new ArrayList<>();

        Workers.run(List.of("slow", "fast").iterator(), 2, item -> {
            if (item.equals("slow")) {
                await(secondDelivered);
            }
            return item;
        }, item -> {
            order.add(item);
            sinkThreads.add(Thread.currentThread());
            secondDelivered.countDown();
        });

        assertThat(order).containsExactly("fast", "slow");
        assertThat(sinkThreads).containsOnly(Thread.currentThread());
    }

    @Test
    void run_takesItemsOnlyAsSlotsFreeUp() {
        AtomicInteger taken = new AtomicInteger();
        AtomicInteger maxAhead = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Iterator<Integer> source = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return taken.get() < 50;
            }

            @Override
            public Integer next() {
                maxAhead.accumulateAndGet(taken.incrementAndGet() - done.get(), Math::max);
                return taken.get();
            }
        };

        Workers.run(source, 4, i -> i, i -> done.incrementAndGet());

        assertThat(done.get()).isEqualTo(50);
        assertThat(maxAhead.get()).isLessThanOrEqualTo(4);
    }

    @Test
    void run_emptySource_returnsZeroWithoutCallingTheSink() {
        AtomicBoolean called = new AtomicBoolean();
        assertThat(Workers.run(List.<Integer>of().iterator(), 2, i -> i, i -> called.set(true))).isZero();
        assertThat(called).isFalse();
    }

    @Test
    void run_taskFails_cancelsTheOthersAndRethrowsItsException() {
        CountDownLatch blockerStarted = new CountDownLatch(1);
        AtomicBoolean blockerInterrupted = new AtomicBoolean();
        AtomicInteger taken = new AtomicInteger();
        Iterator<Integer> source = IntStream.range(0, 100).peek(i -> taken.incrementAndGet()).iterator();

        assertThatThrownBy(() -> Workers.run(source, 2, i -> {
            if (i == 0) {
                blockerStarted.countDown();
                try {
                    Thread.sleep(TimeUnit.MINUTES.toMillis(1));
                } catch (InterruptedException e) {
                    blockerInterrupted.set(true);
                }
                return i;
            }
            await(blockerStarted);
            throw new UncheckedIOException(new IOException("boom " + i));
        }, i -> { })).isInstanceOf(UncheckedIOException.class).hasMessageContaining("boom 1");

        assertThat(taken.get()).isLessThan(100);
        awaitTrue(blockerInterrupted);
    }

    @Test
    void run_sinkFails_stopsTheRun() {
        AtomicInteger taken = new AtomicInteger();
        Iterator<Integer> source = IntStream.range(0, 1000).peek(i -> taken.incrementAndGet()).iterator();

        assertThatThrownBy(() -> Workers.run(source, 2, i -> i, i -> {
            throw new IllegalStateException("sink says no");
        })).isInstanceOf(IllegalStateException.class).hasMessage("sink says no");
        assertThat(taken.get()).isLessThan(1000);
    }

    @Test
    void run_maxInFlightBelowOne_isRefused() {
        assertThatThrownBy(() -> Workers.run(List.of(1).iterator(), 0, i -> i, i -> { }))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitTrue(AtomicBoolean flag) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!flag.get() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(flag).isTrue();
    }
}
