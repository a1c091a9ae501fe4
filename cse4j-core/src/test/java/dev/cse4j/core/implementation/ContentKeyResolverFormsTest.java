package dev.cse4j.core.implementation;

import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import com.azure.core.cryptography.AsyncKeyEncryptionKeyResolver;
import com.azure.core.cryptography.KeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKeyResolver;
import com.azure.core.exception.ResourceNotFoundException;
import dev.cse4j.core.EncryptedRegionInfo;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.IntegrityException;
import dev.cse4j.core.KeyResolutionException;
import dev.cse4j.core.KeyWrapException;
import dev.cse4j.core.WrappedKey;
import dev.cse4j.keys.AesKeyWrapKey;
import dev.cse4j.keys.JsonWebKey;
import dev.cse4j.keys.JsonWebKeySet;
import dev.cse4j.keys.KeyWrapAlgorithm;
import dev.cse4j.testing.CountingKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ContentKeyResolver}'s two forms, blocking and {@link Mono}, give the same content keys and the same
 * exceptions (class, reason and message) for every way of configuring keys and every failure; the {@code Mono} form
 * never blocks a Reactor thread.
 */
class ContentKeyResolverFormsTest {
    private static final AesKeyWrapKey KEK = TestKeys.kek();

    /** The two forms; {@link #unwrap} and {@link #wrap} run each on a non-blocking Reactor thread. */
    enum Form {
        BLOCKING {
            @Override
            ContentKey unwrap(ContentKeyResolver resolver, EncryptionData data) {
                return resolver.unwrap(data);
            }

            @Override
            WrappedKey wrap(ContentKeyResolver resolver, ContentKey key, EncryptionProtocol protocol) {
                return resolver.wrap(key, protocol);
            }
        },
        ASYNC {
            @Override
            ContentKey unwrap(ContentKeyResolver resolver, EncryptionData data) {
                return onParallelThread(Mono.defer(() -> resolver.unwrapAsync(data)));
            }

            @Override
            WrappedKey wrap(ContentKeyResolver resolver, ContentKey key, EncryptionProtocol protocol) {
                return onParallelThread(Mono.defer(() -> resolver.wrapAsync(key, protocol)));
            }
        };

        abstract ContentKey unwrap(ContentKeyResolver resolver, EncryptionData data);

        abstract WrappedKey wrap(ContentKeyResolver resolver, ContentKey key, EncryptionProtocol protocol);

        /**
         * Subscribes on Reactor's parallel scheduler, whose threads refuse {@code block()} (so a blocking view on the
         * path fails the test), and waits here (a minute at most, so that a lost signal fails instead of hanging).
         */
        private static <T> T onParallelThread(Mono<T> mono) {
            return mono.subscribeOn(Schedulers.parallel()).block(java.time.Duration.ofMinutes(1));
        }
    }

    private static final ContentKey CONTENT_KEY = ContentKey.of(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
        30, 31, 32});

    private static EncryptionData data(WrappedKey wrapped, EncryptionProtocol protocol) {
        return EncryptionData.forV2(protocol, wrapped, EncryptedRegionInfo.ofDataLength(
            protocol == EncryptionProtocol.V2_0 ? EncryptedRegionInfo.V2_0_DATA_LENGTH
                : EncryptedRegionInfo.MIN_DATA_LENGTH), Agent.keyWrappingMetadata(), null);
    }

    /** Data whose content key {@link #KEK} wrapped for 2.0. */
    private static EncryptionData written() {
        return data(new ContentKeyResolver(KEK, KeyWrapAlgorithm.A256KW, null).wrap(CONTENT_KEY,
            EncryptionProtocol.V2_0), EncryptionProtocol.V2_0);
    }

    private static ContentKeyResolver configured(KeyEncryptionKey key) {
        return new ContentKeyResolver(key, KeyWrapAlgorithm.A256KW, null);
    }

    private static ContentKeyResolver resolving(KeyEncryptionKeyResolver resolver) {
        return new ContentKeyResolver(null, null, resolver);
    }

    private static AsyncKeyEncryptionKeyResolver asyncResolver(AsyncKeyEncryptionKey key) {
        return id -> Mono.just(key);
    }

    /** A key encryption key whose every call fails or answers as given. */
    private static KeyEncryptionKey key(String keyId, RuntimeException failure, byte[] answer) {
        return new KeyEncryptionKey() {
            @Override
            public String getKeyId() {
                return keyId;
            }

            @Override
            public byte[] wrapKey(String algorithm, byte[] key) {
                if (failure != null) {
                    throw failure;
                }
                return answer;
            }

            @Override
            public byte[] unwrapKey(String algorithm, byte[] encryptedKey) {
                if (failure != null) {
                    throw failure;
                }
                return answer;
            }
        };
    }

    private static void assertUnwrapsTheContentKey(Form form, ContentKeyResolver resolver) {
        assertThat(form.unwrap(resolver, written()).bytes()).isEqualTo(CONTENT_KEY.bytes());
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void configuredKey_syncLocalAsyncOrForeign_unwraps(Form form) {
        assertUnwrapsTheContentKey(form, configured(KEK));
        assertUnwrapsTheContentKey(form, configured(AsyncKeyEncryptionKeyAdapter.of(KEK.asAsync())));
        assertUnwrapsTheContentKey(form, configured(new CountingKeys().key(KEK)));
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void resolver_syncAsyncOrBoth_unwraps(Form form) {
        assertUnwrapsTheContentKey(form, resolving(id -> KEK));
        assertUnwrapsTheContentKey(form, resolving(AsyncKeyEncryptionKeyAdapter.resolver(asyncResolver(
            KEK.asAsync()))));
        assertUnwrapsTheContentKey(form, resolving(JsonWebKeySet.of(List.of(JsonWebKey.generateAes(256, "other"),
            JsonWebKey.parse(TestKeys.kekJwk()))).resolver()));
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void wrap_roundTripsThroughEitherForm(Form form) {
        ContentKeyResolver resolver = configured(AsyncKeyEncryptionKeyAdapter.of(KEK.asAsync()));

        WrappedKey wrapped = form.wrap(resolver, CONTENT_KEY, EncryptionProtocol.V2_1);

        assertThat(wrapped.keyId()).isEqualTo(TestKeys.KEK_ID);
        assertThat(wrapped.algorithm()).isEqualTo(KeyWrapAlgorithm.A256KW);
        for (Form other : Form.values()) {
            assertThat(other.unwrap(resolver, data(wrapped, EncryptionProtocol.V2_1)).bytes())
                .isEqualTo(CONTENT_KEY.bytes());
        }
    }

    /** Both forms fail alike: same class, message and reason; returns the blocking form's failure. */
    private static Throwable assertBothFormsFail(java.util.function.Function<Form, Object> call) {
        Throwable blocking = catchFailure(() -> call.apply(Form.BLOCKING));
        Throwable async = catchFailure(() -> call.apply(Form.ASYNC));
        assertThat(async).isExactlyInstanceOf(blocking.getClass()).hasMessage(blocking.getMessage());
        if (blocking instanceof KeyResolutionException resolution) {
            assertThat(((KeyResolutionException) async).getReason()).isEqualTo(resolution.getReason());
            assertThat(((KeyResolutionException) async).getKeyId()).isEqualTo(resolution.getKeyId());
        }
        if (blocking.getCause() != null) {
            assertThat(async.getCause()).isSameAs(blocking.getCause());
        }
        return blocking;
    }

    private static Throwable catchFailure(Runnable call) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try {
            call.run();
        } catch (RuntimeException e) {
            failure.set(e);
        }
        assertThat(failure.get()).as("the call must fail").isNotNull();
        return failure.get();
    }

    @Test
    void resolverWithoutTheKey_keyNotFound() {
        assertThat(assertBothFormsFail(form -> form.unwrap(resolving(id -> null), written())))
            .isInstanceOfSatisfying(KeyResolutionException.class,
                e -> assertThat(e.getReason()).isEqualTo(KeyResolutionException.Reason.KEY_NOT_FOUND))
            .hasMessageContaining(TestKeys.KEK_ID);
        assertBothFormsFail(form -> form.unwrap(resolving(AsyncKeyEncryptionKeyAdapter.resolver(id -> Mono.empty())),
            written()));
        assertBothFormsFail(form -> form.unwrap(new ContentKeyResolver(AesKeyWrapKey.of("other", TestKeys.kekBytes()),
            KeyWrapAlgorithm.A256KW, id -> null), written()));
    }

    @Test
    void resolverReturningAnotherKey_keyIdMismatch() {
        KeyEncryptionKey impostor = AesKeyWrapKey.of("impostor", TestKeys.kekBytes());

        assertThat(assertBothFormsFail(form -> form.unwrap(resolving(id -> impostor), written())))
            .hasMessageContaining("impostor");
        assertBothFormsFail(form -> form.unwrap(resolving(AsyncKeyEncryptionKeyAdapter.resolver(
            asyncResolver(impostor instanceof AesKeyWrapKey aes ? aes.asAsync() : null))), written()));
    }

    @Test
    void resolverFailing_keyResolutionExceptionWithTheCause() {
        IllegalStateException unreachable = new IllegalStateException("vault unreachable");

        assertThat(assertBothFormsFail(form -> form.unwrap(resolving(id -> {
            throw unreachable;
        }), written()))).isInstanceOf(KeyResolutionException.class).hasCause(unreachable);
        assertBothFormsFail(form -> form.unwrap(resolving(AsyncKeyEncryptionKeyAdapter.resolver(
            id -> Mono.error(unreachable))), written()));
    }

    @Test
    void noUsableKey_mismatchOrNothingConfigured() {
        assertThat(assertBothFormsFail(form -> form.unwrap(configured(AesKeyWrapKey.of("other",
            TestKeys.kekBytes())), written()))).isInstanceOfSatisfying(KeyResolutionException.class,
                e -> assertThat(e.getReason()).isEqualTo(KeyResolutionException.Reason.KEY_ID_MISMATCH));
        assertThat(assertBothFormsFail(form -> form.unwrap(new ContentKeyResolver(null, null, null), written())))
            .isInstanceOfSatisfying(KeyResolutionException.class,
                e -> assertThat(e.getReason()).isEqualTo(KeyResolutionException.Reason.NO_KEY_CONFIGURED));
    }

    @Test
    void keyFailingOrAnsweringNothing_keyWrapException() {
        IllegalArgumentException hsm = new IllegalArgumentException("HSM says no");

        assertThat(assertBothFormsFail(form -> form.unwrap(configured(key(TestKeys.KEK_ID, hsm, null)), written())))
            .isInstanceOf(KeyWrapException.class).hasCause(hsm).hasMessageContaining("HSM says no");
        assertThat(assertBothFormsFail(form -> form.unwrap(configured(key(TestKeys.KEK_ID, null, null)), written())))
            .isInstanceOf(KeyWrapException.class).hasMessageContaining("returned no content key");
        assertThat(assertBothFormsFail(form -> form.wrap(configured(key(TestKeys.KEK_ID, hsm, null)), CONTENT_KEY,
            EncryptionProtocol.V2_0))).isInstanceOf(KeyWrapException.class).hasMessageContaining("failed to wrap");
        assertThat(assertBothFormsFail(form -> form.wrap(configured(key(TestKeys.KEK_ID, null, new byte[0])),
            CONTENT_KEY, EncryptionProtocol.V2_0))).hasMessageContaining("returned no wrapped key");
    }

    @Test
    void keyServiceWithoutTheKey_404_isKeyNotFound() {
        ResourceNotFoundException gone = new ResourceNotFoundException("KeyNotFound: no key 'kek' in this vault",
            null);

        assertThat(assertBothFormsFail(form -> form.unwrap(configured(key(TestKeys.KEK_ID, gone, null)), written())))
            .isInstanceOfSatisfying(KeyResolutionException.class, e -> {
                assertThat(e.getReason()).isEqualTo(KeyResolutionException.Reason.KEY_NOT_FOUND);
                assertThat(e.getKeyId()).isEqualTo(TestKeys.KEK_ID);
            }).hasMessageContaining("deleted").hasCause(gone);
    }

    @Test
    void keyWrappedForAnotherProtocol_integrityException() {
        WrappedKey forV21 = configured(KEK).wrap(CONTENT_KEY, EncryptionProtocol.V2_1);

        assertThat(assertBothFormsFail(form -> form.unwrap(configured(KEK), data(forV21, EncryptionProtocol.V2_0))))
            .isInstanceOf(IntegrityException.class);
    }

    @Test
    void wrapWithoutAKeyOrKeyId_refused() {
        assertThat(assertBothFormsFail(form -> form.wrap(resolving(id -> KEK), CONTENT_KEY,
            EncryptionProtocol.V2_0))).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("key(keyEncryptionKey, keyWrapAlgorithm)");
        assertThat(assertBothFormsFail(form -> form.wrap(configured(key("", null, new byte[40])), CONTENT_KEY,
            EncryptionProtocol.V2_0))).isInstanceOf(KeyWrapException.class).hasMessageContaining("no key id");
    }

    @Test
    void asyncForm_runsAForeignSyncKeyOnTheBoundedElasticScheduler_andOurLocalKeysInPlace() {
        AtomicReference<String> unwrapThread = new AtomicReference<>();
        KeyEncryptionKey foreign = new CountingKeys().key(new KeyEncryptionKey() {
            @Override
            public String getKeyId() {
                return KEK.getKeyId();
            }

            @Override
            public byte[] wrapKey(String algorithm, byte[] key) {
                return KEK.wrapKey(algorithm, key);
            }

            @Override
            public byte[] unwrapKey(String algorithm, byte[] encryptedKey) {
                unwrapThread.set(Thread.currentThread().getName());
                return KEK.unwrapKey(algorithm, encryptedKey);
            }
        });

        assertUnwrapsTheContentKey(Form.ASYNC, configured(foreign));

        assertThat(unwrapThread.get()).startsWith("boundedElastic-");
        assertThat(KeyViews.async(KEK)).as("a local key's own asynchronous view, no thread hop")
            .isNotNull().extracting(Object::toString).asString().startsWith("Async");
    }

    @Test
    void asyncForm_usesWhatWasConfiguredAsynchronouslyAsItIs() {
        AsyncKeyEncryptionKey asyncKey = KEK.asAsync();
        AsyncKeyEncryptionKeyResolver asyncResolver = asyncResolver(asyncKey);
        var both = JsonWebKeySet.of(List.of(JsonWebKey.parse(TestKeys.kekJwk()))).resolver();

        assertThat(KeyViews.async(AsyncKeyEncryptionKeyAdapter.of(asyncKey))).isSameAs(asyncKey);
        assertThat(KeyViews.async(AsyncKeyEncryptionKeyAdapter.resolver(asyncResolver))).isSameAs(asyncResolver);
        assertThat(KeyViews.async((KeyEncryptionKeyResolver) both)).isSameAs(both);
        assertThat(KeyViews.async((KeyEncryptionKey) null)).isNull();
        assertThat(KeyViews.async((KeyEncryptionKeyResolver) null)).isNull();
    }
}
