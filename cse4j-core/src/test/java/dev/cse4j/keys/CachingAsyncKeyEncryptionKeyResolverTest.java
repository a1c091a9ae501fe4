package dev.cse4j.keys;

import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import com.azure.core.cryptography.AsyncKeyEncryptionKeyResolver;
import dev.cse4j.testing.CountingKeys;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachingAsyncKeyEncryptionKeyResolverTest {
    private static final byte[] KEK = "a 256-bit key encryption key....".getBytes(StandardCharsets.US_ASCII);
    private static final AsyncKeyEncryptionKey KEY_A = AesKeyWrapKey.of("a", KEK).asAsync();
    private final AtomicLong clock = new AtomicLong();
    private final CountingKeys counting = new CountingKeys();

    private CachingAsyncKeyEncryptionKeyResolver cache(AsyncKeyEncryptionKeyResolver resolver,
        KeyCacheOptions options) {
        return new CachingAsyncKeyEncryptionKeyResolver(counting.asyncResolver(resolver), options, clock::get);
    }

    private static AsyncKeyEncryptionKeyResolver keyA() {
        return keyId -> keyId.equals("a") ? Mono.just(KEY_A) : Mono.empty();
    }

    @Test
    void manyLookupsOfOneKeyId_resolveOnce() {
        CachingAsyncKeyEncryptionKeyResolver cache = cache(keyA(), new KeyCacheOptions());

        AsyncKeyEncryptionKey first = cache.buildAsyncKeyEncryptionKey("a").block();
        for (int i = 0; i < 100; i++) {
            assertThat(cache.buildAsyncKeyEncryptionKey("a").block()).isSameAs(first);
        }

        assertThat(first.getKeyId().block()).isEqualTo("a");
        assertThat(counting.resolutions("a")).isEqualTo(1);
    }

    @Test
    void aLookup_resolvesWhenSubscribed_notWhenMade() {
        CachingAsyncKeyEncryptionKeyResolver cache = cache(keyA(), new KeyCacheOptions());

        Mono<? extends AsyncKeyEncryptionKey> lookup = cache.buildAsyncKeyEncryptionKey("a");

        assertThat(counting.resolutions()).isZero();
        assertThat(cache.size()).isZero();
        lookup.block();
        assertThat(counting.resolutions("a")).isEqualTo(1);
    }

    @Test
    void concurrentSubscribers_shareOneResolution_andHearWhenItCompletes() {
        Sinks.One<AsyncKeyEncryptionKey> vault = Sinks.one();
        CachingAsyncKeyEncryptionKeyResolver cache = cache(keyId -> vault.asMono(), new KeyCacheOptions());
        List<CompletableFuture<? extends AsyncKeyEncryptionKey>> lookups = new ArrayList<>();

        for (int i = 0; i < 5; i++) {
            lookups.add(cache.buildAsyncKeyEncryptionKey("a").toFuture());
        }
        assertThat(lookups).noneMatch(CompletableFuture::isDone);
        vault.tryEmitValue(KEY_A).orThrow();

        AsyncKeyEncryptionKey first = lookups.get(0).join();
        assertThat(lookups).allSatisfy(lookup -> assertThat(lookup.join()).isSameAs(first));
        assertThat(counting.resolutions("a")).isEqualTo(1);
    }

    @Test
    void cancelledFirstSubscriber_doesNotCancelTheResolution_whichIsKept() {
        Sinks.One<AsyncKeyEncryptionKey> vault = Sinks.one();
        CachingAsyncKeyEncryptionKeyResolver cache = cache(keyId -> vault.asMono(), new KeyCacheOptions());
        CompletableFuture<? extends AsyncKeyEncryptionKey> waiting = cache.buildAsyncKeyEncryptionKey("a").toFuture();

        Disposable first = cache.buildAsyncKeyEncryptionKey("a").subscribe();
        first.dispose();
        vault.tryEmitValue(KEY_A).orThrow();

        assertThat(waiting.join().getKeyId().block()).isEqualTo("a");
        assertThat(cache.buildAsyncKeyEncryptionKey("a").toFuture()).isCompleted();
        assertThat(counting.resolutions("a")).isEqualTo(1);
    }

    @Test
    void failure_reachesEverySubscriberWaiting_andIsNotKept() {
        Sinks.One<AsyncKeyEncryptionKey> vault = Sinks.one();
        IllegalStateException throttled = new IllegalStateException("429 Too Many Requests");
        CachingAsyncKeyEncryptionKeyResolver cache = cache(
            keyId -> counting.resolutions() == 1 ? vault.asMono() : Mono.just(KEY_A), new KeyCacheOptions());
        CompletableFuture<? extends AsyncKeyEncryptionKey> one = cache.buildAsyncKeyEncryptionKey("a").toFuture();
        CompletableFuture<? extends AsyncKeyEncryptionKey> two = cache.buildAsyncKeyEncryptionKey("a").toFuture();

        vault.tryEmitError(throttled).orThrow();

        assertThatThrownBy(one::join).hasCause(throttled);
        assertThatThrownBy(two::join).hasCause(throttled);
        assertThat(cache.size()).isZero();
        assertThat(cache.buildAsyncKeyEncryptionKey("a").block().getKeyId().block()).isEqualTo("a");
        assertThat(counting.resolutions("a")).isEqualTo(2);
    }

    @Test
    void resolverThrowingInsteadOfSignalling_givesAnErrorSignal_notKept() {
        IllegalArgumentException bad = new IllegalArgumentException("bad key id");
        CachingAsyncKeyEncryptionKeyResolver cache = cache(keyId -> {
            throw bad;
        }, new KeyCacheOptions());

        Mono<? extends AsyncKeyEncryptionKey> lookup = cache.buildAsyncKeyEncryptionKey("a");

        assertThatThrownBy(lookup::block).isSameAs(bad);
        assertThatThrownBy(lookup::block).isSameAs(bad);
        assertThat(counting.resolutions("a")).isEqualTo(2);
    }

    @Test
    void unknownKeyId_isEmpty_andAskedAgainNextTime() {
        CachingAsyncKeyEncryptionKeyResolver cache = cache(keyA(), new KeyCacheOptions());

        assertThat(cache.buildAsyncKeyEncryptionKey("b").blockOptional()).isEmpty();
        assertThat(cache.buildAsyncKeyEncryptionKey("b").blockOptional()).isEmpty();

        assertThat(counting.resolutions("b")).isEqualTo(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void aKey_isKeptForItsTimeToLive_andTheCacheIsBounded() {
        CachingAsyncKeyEncryptionKeyResolver cache = cache(keyId -> Mono.just(AesKeyWrapKey.of(keyId, KEK).asAsync()),
            new KeyCacheOptions().setTimeToLive(Duration.ofMillis(5)).setMaximumSize(1));
        cache.buildAsyncKeyEncryptionKey("a").block();
        clock.addAndGet(Duration.ofMillis(5).toNanos() - 1);
        cache.buildAsyncKeyEncryptionKey("a").block();
        assertThat(counting.resolutions("a")).isEqualTo(1);

        clock.addAndGet(1);
        cache.buildAsyncKeyEncryptionKey("a").block();
        assertThat(counting.resolutions("a")).isEqualTo(2);

        cache.buildAsyncKeyEncryptionKey("b").block();
        cache.buildAsyncKeyEncryptionKey("a").block();
        assertThat(counting.resolutions("a")).isEqualTo(3);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.toString()).isEqualTo(
            "CachingAsyncKeyEncryptionKeyResolver[timeToLive=PT0.005S, maximumSize=1, size=1]");
    }
}
