package dev.cse4j.core.implementation;

import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import com.azure.core.cryptography.AsyncKeyEncryptionKeyResolver;
import com.azure.core.cryptography.KeyEncryptionKey;
import com.azure.core.cryptography.KeyEncryptionKeyResolver;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.KeyResolutionException;
import dev.cse4j.core.KeyWrapException;
import dev.cse4j.keys.AesKeyWrapKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The envelope operations in both modes ({@link Blocking}), as the clients run them: a synchronous client calls its
 * keys on its own thread; an asynchronous one calls asynchronous keys and resolvers asynchronously, and synchronous
 * ones on {@code boundedElastic}, never on the thread it was subscribed on; a resolver with both interfaces is called
 * through the one that suits the caller. Selection, checks and failures are the same either way
 * ({@link ContentKeyResolver}'s two forms; {@code ContentKeyResolverFormsTest} checks them one by one).
 */
class AsyncKeyPathTest {
    private static final int MIB4 = 4 * 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Records, for every key operation, the interface called and the thread it ran on. */
    private final List<String> calls = new CopyOnWriteArrayList<>();

    private KeyEncryptionKey sync(AesKeyWrapKey key) {
        return new KeyEncryptionKey() {
            @Override
            public String getKeyId() {
                return key.getKeyId();
            }

            @Override
            public byte[] wrapKey(String algorithm, byte[] plaintextKey) {
                calls.add("sync wrap on " + Thread.currentThread().getName());
                return key.wrapKey(algorithm, plaintextKey);
            }

            @Override
            public byte[] unwrapKey(String algorithm, byte[] encryptedKey) {
                calls.add("sync unwrap on " + Thread.currentThread().getName());
                return key.unwrapKey(algorithm, encryptedKey);
            }
        };
    }

    private AsyncKeyEncryptionKey async(AesKeyWrapKey key) {
        return new AsyncKeyEncryptionKey() {
            @Override
            public Mono<String> getKeyId() {
                return Mono.just(key.getKeyId());
            }

            @Override
            public Mono<byte[]> wrapKey(String algorithm, byte[] plaintextKey) {
                return Mono.fromCallable(() -> {
                    calls.add("async wrap on " + Thread.currentThread().getName());
                    return key.wrapKey(algorithm, plaintextKey);
                });
            }

            @Override
            public Mono<byte[]> unwrapKey(String algorithm, byte[] encryptedKey) {
                return Mono.fromCallable(() -> {
                    calls.add("async unwrap on " + Thread.currentThread().getName());
                    return key.unwrapKey(algorithm, encryptedKey);
                });
            }
        };
    }

    /** A resolver with both interfaces, as Key Vault's {@code KeyEncryptionKeyClientBuilder} has. */
    private final class BothResolver implements KeyEncryptionKeyResolver, AsyncKeyEncryptionKeyResolver {
        private final AesKeyWrapKey key;

        BothResolver(AesKeyWrapKey key) {
            this.key = key;
        }

        @Override
        public KeyEncryptionKey buildKeyEncryptionKey(String keyId) {
            return keyId.equals(key.getKeyId()) ? sync(key) : null;
        }

        @Override
        public Mono<? extends AsyncKeyEncryptionKey> buildAsyncKeyEncryptionKey(String keyId) {
            return keyId.equals(key.getKeyId()) ? Mono.just(async(key)) : Mono.empty();
        }
    }

    private static EncryptionData written() {
        return Envelope.seal(TestKeys.settings(), EncryptionProtocol.V2_0, MIB4, null).data();
    }

    /** Opens {@code data} as a client of the given mode would: async subscribed on a parallel worker. */
    private static Envelope open(EncryptionSettings settings, EncryptionData data, Blocking blocking) {
        return blocking == Blocking.ALLOWED ? Envelope.open(settings, data, "x")
            : Envelope.open(settings, data, "x", blocking).subscribeOn(Schedulers.parallel()).block(TIMEOUT);
    }

    @Test
    void asyncClient_callsASynchronousKeyOnBoundedElastic_neverOnTheSubscribersThread() {
        EncryptionSettings settings = EncryptionSettings.of(ClientSideEncryptionOptions.builder()
            .key(sync(TestKeys.kek()), "A256KW").build());

        EncryptionData data = Envelope.seal(settings, EncryptionProtocol.V2_0, MIB4, null, Blocking.OFFLOADED)
            .subscribeOn(Schedulers.parallel()).block(TIMEOUT).data();
        assertThat(open(settings, data, Blocking.OFFLOADED).key()).isNotNull();

        assertThat(calls).hasSize(2).allSatisfy(call -> assertThat(call).startsWith("sync")
            .contains("boundedElastic"));
    }

    @Test
    void asyncKey_isCalledAsynchronouslyByAsyncClients_andWaitedForOnTheCallingThreadBySyncOnes() {
        EncryptionSettings settings = EncryptionSettings.of(ClientSideEncryptionOptions.builder()
            .key(async(TestKeys.kek()), "A256KW").build());

        EncryptionData data = Envelope.seal(settings, EncryptionProtocol.V2_0, MIB4, null, Blocking.OFFLOADED)
            .subscribeOn(Schedulers.parallel()).block(TIMEOUT).data();
        open(settings, data, Blocking.OFFLOADED);
        open(settings, data, Blocking.ALLOWED);

        assertThat(calls).hasSize(3);
        assertThat(calls.get(0)).as("after the content key was drawn there").startsWith("async wrap on boundedElastic");
        assertThat(calls.get(1)).startsWith("async unwrap on parallel");
        assertThat(calls.get(2)).isEqualTo("async unwrap on " + Thread.currentThread().getName());
    }

    @Test
    void resolverWithBothInterfaces_isCalledThroughTheOneThatSuitsTheCaller() {
        EncryptionSettings settings = EncryptionSettings.of(ClientSideEncryptionOptions.builder()
            .keyResolver(new BothResolver(TestKeys.kek())).build());
        EncryptionData data = written();

        open(settings, data, Blocking.OFFLOADED);
        open(settings, data, Blocking.ALLOWED);

        assertThat(calls).hasSize(2);
        assertThat(calls.get(0)).startsWith("async unwrap on parallel");
        assertThat(calls.get(1)).isEqualTo("sync unwrap on " + Thread.currentThread().getName());
    }

    @ParameterizedTest
    @EnumSource(Blocking.class)
    void failures_areTheSameInBothModes(Blocking blocking) {
        EncryptionData data = written();
        EncryptionSettings unknown = EncryptionSettings.of(ClientSideEncryptionOptions.builder()
            .asyncKeyResolver(id -> Mono.empty()).build());
        assertThatThrownBy(() -> open(unknown, data, blocking)).isInstanceOfSatisfying(KeyResolutionException.class,
            e -> assertThat(e.getReason()).isEqualTo(KeyResolutionException.Reason.KEY_NOT_FOUND));

        EncryptionSettings failing = EncryptionSettings.of(ClientSideEncryptionOptions.builder()
            .asyncKeyResolver(id -> Mono.error(new IllegalStateException("vault unreachable"))).build());
        assertThatThrownBy(() -> open(failing, data, blocking)).isInstanceOf(KeyResolutionException.class)
            .hasMessageContaining("vault unreachable").hasCauseInstanceOf(IllegalStateException.class);

        AesKeyWrapKey other = AesKeyWrapKey.of(TestKeys.KEK_ID, new byte[32]);
        EncryptionSettings wrongKey = EncryptionSettings.of(ClientSideEncryptionOptions.builder()
            .key(async(other), "A256KW").build());
        assertThatThrownBy(() -> open(wrongKey, data, blocking)).isInstanceOf(KeyWrapException.class)
            .hasMessageContaining("not the one that wrapped");

        AsyncKeyEncryptionKey impostor = async(AesKeyWrapKey.of("impostor", TestKeys.kekBytes()));
        EncryptionSettings mismatch = EncryptionSettings.of(ClientSideEncryptionOptions.builder()
            .asyncKeyResolver(id -> Mono.just(impostor)).build());
        assertThatThrownBy(() -> open(mismatch, data, blocking)).isInstanceOfSatisfying(
            KeyResolutionException.class,
            e -> assertThat(e.getReason()).isEqualTo(KeyResolutionException.Reason.KEY_ID_MISMATCH));
    }
}
