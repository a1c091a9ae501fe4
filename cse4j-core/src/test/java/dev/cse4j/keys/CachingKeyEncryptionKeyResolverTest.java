package dev.cse4j.keys;

import com.azure.core.cryptography.KeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKeyResolver;
import dev.cse4j.testing.CountingKeys;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachingKeyEncryptionKeyResolverTest {
    private static final byte[] KEK = "a 256-bit key encryption key....".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private final AtomicLong clock = new AtomicLong(42);
    private final CountingKeys counting = new CountingKeys();
    private final Map<String, KeyEncryptionKey> keys = Map.of("a", AesKeyWrapKey.of("a", KEK),
        "b", AesKeyWrapKey.of("b", KEK), "c", AesKeyWrapKey.of("c", KEK));

    private CachingKeyEncryptionKeyResolver cache(KeyEncryptionKeyResolver resolver, KeyCacheOptions options) {
        return new CachingKeyEncryptionKeyResolver(counting.resolver(resolver), options, clock::get);
    }

    private CachingKeyEncryptionKeyResolver cache() {
        return cache(keys::get, new KeyCacheOptions());
    }

    @Test
    void manyLookupsOfOneKeyId_resolveOnce_andReturnTheSameKey() {
        CachingKeyEncryptionKeyResolver cache = cache();

        KeyEncryptionKey first = cache.buildKeyEncryptionKey("a");
        for (int i = 0; i < 1_000; i++) {
            assertThat(cache.buildKeyEncryptionKey("a")).isSameAs(first);
        }
        cache.buildKeyEncryptionKey("b");

        assertThat(first.getKeyId()).isEqualTo("a");
        assertThat(counting.resolutions("a")).isEqualTo(1);
        assertThat(counting.resolutions("b")).isEqualTo(1);
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void concurrentLookupsOfOneKeyId_shareOneResolution() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CachingKeyEncryptionKeyResolver cache = cache(keyId -> {
            await(release);
            return keys.get(keyId);
        }, new KeyCacheOptions());
        int threads = 8;
        List<Thread> started = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService pool = trackedPool(threads, started);
        try {
            List<Future<KeyEncryptionKey>> lookups = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                lookups.add(pool.submit(() -> cache.buildKeyEncryptionKey("a")));
            }
            awaitAllWaiting(started, threads);
            release.countDown();
            KeyEncryptionKey first = lookups.get(0).get(30, TimeUnit.SECONDS);
            assertThat(first.getKeyId()).isEqualTo("a");
            for (Future<KeyEncryptionKey> lookup : lookups) {
                assertThat(lookup.get(30, TimeUnit.SECONDS)).isSameAs(first);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(counting.resolutions("a")).isEqualTo(1);
    }

    @Test
    void concurrentLookups_shareAFailure_whichIsNotKept() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        IllegalStateException throttled = new IllegalStateException("429 Too Many Requests");
        CachingKeyEncryptionKeyResolver cache = cache(keyId -> {
            if (attempts.incrementAndGet() == 1) {
                await(release);
                throw throttled;
            }
            return keys.get(keyId);
        }, new KeyCacheOptions());
        List<Thread> started = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService pool = trackedPool(4, started);
        try {
            List<Future<KeyEncryptionKey>> lookups = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                lookups.add(pool.submit(() -> cache.buildKeyEncryptionKey("a")));
            }
            awaitAllWaiting(started, 4);
            release.countDown();
            for (Future<KeyEncryptionKey> lookup : lookups) {
                assertThatThrownBy(() -> lookup.get(30, TimeUnit.SECONDS)).hasCause(throttled);
            }
        } finally {
            pool.shutdownNow();
        }

        KeyEncryptionKey resolved = cache.buildKeyEncryptionKey("a");
        assertThat(resolved.getKeyId()).isEqualTo("a");
        assertThat(counting.resolutions("a")).isEqualTo(2);
        assertThat(cache.buildKeyEncryptionKey("a")).isSameAs(resolved);
        assertThat(counting.resolutions("a")).isEqualTo(2);
    }

    @Test
    void unknownKeyId_isNull_andAskedAgainNextTime() {
        Map<String, KeyEncryptionKey> growing = new java.util.concurrent.ConcurrentHashMap<>();
        CachingKeyEncryptionKeyResolver cache = cache(growing::get, new KeyCacheOptions());

        assertThat(cache.buildKeyEncryptionKey("a")).isNull();
        growing.put("a", keys.get("a"));

        assertThat(cache.buildKeyEncryptionKey("a").getKeyId()).isEqualTo("a");
        assertThat(counting.resolutions("a")).isEqualTo(2);
    }

    @Test
    void aKey_isKeptForItsTimeToLive_thenResolvedAgain() {
        CachingKeyEncryptionKeyResolver cache = cache(keys::get,
            new KeyCacheOptions().setTimeToLive(Duration.ofSeconds(60)));
        cache.buildKeyEncryptionKey("a");

        clock.addAndGet(Duration.ofSeconds(60).toNanos() - 1);
        cache.buildKeyEncryptionKey("a");
        assertThat(counting.resolutions("a")).isEqualTo(1);

        clock.addAndGet(1);
        cache.buildKeyEncryptionKey("a");
        assertThat(counting.resolutions("a")).isEqualTo(2);
        cache.buildKeyEncryptionKey("a");
        assertThat(counting.resolutions("a")).isEqualTo(2);
    }

    @Test
    void full_dropsTheLeastRecentlyUsedKey() {
        CachingKeyEncryptionKeyResolver cache = cache(keys::get, new KeyCacheOptions().setMaximumSize(2));
        cache.buildKeyEncryptionKey("a");
        cache.buildKeyEncryptionKey("b");
        cache.buildKeyEncryptionKey("a");

        cache.buildKeyEncryptionKey("c");
        assertThat(cache.size()).isEqualTo(2);
        cache.buildKeyEncryptionKey("a");
        cache.buildKeyEncryptionKey("b");

        assertThat(counting.resolutions("a")).isEqualTo(1);
        assertThat(counting.resolutions("b")).as("b was the least recently used when c came").isEqualTo(2);
    }

    @Test
    void hugeTimeToLive_keepsTheKey() {
        CachingKeyEncryptionKeyResolver cache = cache(keys::get,
            new KeyCacheOptions().setTimeToLive(Duration.ofSeconds(Long.MAX_VALUE)));
        clock.set(Long.MAX_VALUE - 5);
        cache.buildKeyEncryptionKey("a");
        clock.addAndGet(Duration.ofDays(365).toNanos());

        cache.buildKeyEncryptionKey("a");

        assertThat(counting.resolutions("a")).isEqualTo(1);
    }

    @Test
    void options_refuseNonsense_andDefaultToTenMinutesAndAThousandKeys() {
        assertThat(new KeyCacheOptions().getTimeToLive()).isEqualTo(Duration.ofMinutes(10));
        assertThat(new KeyCacheOptions().getMaximumSize()).isEqualTo(1_000);
        assertThatThrownBy(() -> new KeyCacheOptions().setTimeToLive(Duration.ZERO))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> new KeyCacheOptions().setTimeToLive(Duration.ofSeconds(-1)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KeyCacheOptions().setMaximumSize(0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new CachingKeyEncryptionKeyResolver(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void optionsChangedLater_doNotChangeTheCache() {
        KeyCacheOptions options = new KeyCacheOptions().setMaximumSize(5);
        CachingKeyEncryptionKeyResolver cache = cache(keys::get, options);

        options.setMaximumSize(1);
        cache.buildKeyEncryptionKey("a");
        cache.buildKeyEncryptionKey("b");

        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void toString_showsNeitherKeysNorKeyIds() {
        CachingKeyEncryptionKeyResolver cache = cache();
        cache.buildKeyEncryptionKey("a");

        assertThat(cache.toString()).isEqualTo(
            "CachingKeyEncryptionKeyResolver[timeToLive=PT10M, maximumSize=1000, size=1]");
        KeyMaterial.of(KEK).assertNotInToString(cache);
    }

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static ExecutorService trackedPool(int threads, List<Thread> started) {
        return Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task);
            started.add(thread);
            return thread;
        });
    }

    /**
     * Waits until {@code count} threads have started and are all parked: one in the resolver, the others waiting
     * for its outcome.
     */
    static void awaitAllWaiting(List<Thread> threads, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (threads.size() < count || !threads.stream().allMatch(CachingKeyEncryptionKeyResolverTest::parked)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the lookups did not all wait within 30 s");
            }
            Thread.sleep(1);
        }
    }

    private static boolean parked(Thread thread) {
        Thread.State state = thread.getState();
        return (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
            && java.util.Arrays.stream(thread.getStackTrace()).anyMatch(frame ->
                frame.getClassName().equals(CountDownLatch.class.getName())
                    || frame.getClassName().equals(java.util.concurrent.CompletableFuture.class.getName()));
    }
}
