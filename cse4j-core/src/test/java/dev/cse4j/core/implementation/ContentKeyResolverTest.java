package dev.cse4j.core.implementation;

import com.azure.core.cryptography.AsyncKeyEncryptionKeyResolver;
import com.azure.core.cryptography.KeyEncryptionKey;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.KeyResolutionException;
import dev.cse4j.core.KeyWrapException;
import dev.cse4j.keys.AesKeyWrapKey;
import dev.cse4j.keys.JsonWebKey;
import dev.cse4j.keys.JsonWebKeySet;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Key selection on read (configured key first, then the resolver) and its failures. */
class ContentKeyResolverTest {
    private static final int MIB4 = 4 * 1024 * 1024;

    private static EncryptionData written() {
        return Envelope.seal(TestKeys.settings(), EncryptionProtocol.V2_0, MIB4, null).data();
    }

    @Test
    void configuredKeyWithMatchingId_isUsedWithoutAskingTheResolver() {
        AtomicInteger resolverCalls = new AtomicInteger();
        EncryptionSettings settings = EncryptionSettings.of(TestKeys.builder().keyResolver(id -> {
            resolverCalls.incrementAndGet();
            return null;
        }).build());
        Envelope.open(settings, written(), "x");
        assertThat(resolverCalls).hasValue(0);
    }

    @Test
    void resolver_findsKeyById() {
        JsonWebKeySet keys = JsonWebKeySet.of(List.of(JsonWebKey.generateAes(256, "other"),
            JsonWebKey.parse(TestKeys.kekJwk())));
        EncryptionSettings settings = EncryptionSettings.of(ClientSideEncryptionOptions.builder().keyResolver(keys.resolver()).build());
        assertThat(Envelope.open(settings, written(), "x").key()).isNotNull();
    }

    @Test
    void asyncKeyAndAsyncResolver_work() {
        AesKeyWrapKey kek = TestKeys.kek();
        EncryptionSettings writer = EncryptionSettings.of(ClientSideEncryptionOptions.builder().key(kek.asAsync(), "A256KW").build());
        EncryptionData data = Envelope.seal(writer, EncryptionProtocol.V2_0, MIB4, null).data();
        AsyncKeyEncryptionKeyResolver asyncResolver = id -> Mono.just(kek.asAsync());
        EncryptionSettings reader = EncryptionSettings.of(ClientSideEncryptionOptions.builder().asyncKeyResolver(asyncResolver).build());
        assertThat(Envelope.open(reader, data, "x").key()).isNotNull();
    }

    @Test
    void resolverWithoutTheKey_throwsKeyNotFound() {
        EncryptionSettings settings = EncryptionSettings.of(ClientSideEncryptionOptions.builder().keyResolver(id -> null).build());
        assertThatThrownBy(() -> Envelope.open(settings, written(), "x"))
            .isInstanceOfSatisfying(KeyResolutionException.class, e -> {
                assertThat(e.getReason()).isEqualTo(KeyResolutionException.Reason.KEY_NOT_FOUND);
                assertThat(e.getKeyId()).isEqualTo(TestKeys.KEK_ID);
            })
            .hasMessageContaining("local:kek1");
    }

    @Test
    void resolverReturningKeyWithAnotherId_throwsKeyIdMismatch() {
        KeyEncryptionKey impostor = AesKeyWrapKey.of("impostor", TestKeys.kekBytes());
        EncryptionSettings settings = EncryptionSettings.of(ClientSideEncryptionOptions.builder().keyResolver(id -> impostor).build());
        assertThatThrownBy(() -> Envelope.open(settings, written(), "x"))
            .isInstanceOfSatisfying(KeyResolutionException.class,
                e -> assertThat(e.getReason()).isEqualTo(KeyResolutionException.Reason.KEY_ID_MISMATCH))
            .hasMessageContaining("impostor");
    }

    @Test
    void resolverThrowing_throwsKeyResolutionWithCause() {
        IllegalStateException boom = new IllegalStateException("vault unreachable");
        EncryptionSettings settings = EncryptionSettings.of(ClientSideEncryptionOptions.builder().keyResolver(id -> {
            throw boom;
        }).build());
        assertThatThrownBy(() -> Envelope.open(settings, written(), "x"))
            .isInstanceOf(KeyResolutionException.class).hasCause(boom).hasMessageContaining("vault unreachable");
    }

    @Test
    void keyFailingToUnwrap_throwsKeyWrapExceptionWithCause() {
        KeyEncryptionKey broken = new KeyEncryptionKey() {
            @Override
            public String getKeyId() {
                return TestKeys.KEK_ID;
            }

            @Override
            public byte[] wrapKey(String algorithm, byte[] key) {
                throw new UnsupportedOperationException();
            }

            @Override
            public byte[] unwrapKey(String algorithm, byte[] encryptedKey) {
                throw new IllegalArgumentException("HSM says no");
            }
        };
        EncryptionSettings settings = EncryptionSettings.of(ClientSideEncryptionOptions.builder().key(broken, "A256KW").build());
        assertThatThrownBy(() -> Envelope.open(settings, written(), "x"))
            .isInstanceOf(KeyWrapException.class).hasMessageContaining("HSM says no")
            .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Envelope.seal(settings, EncryptionProtocol.V2_0, MIB4, null))
            .isInstanceOf(KeyWrapException.class).hasMessageContaining("failed to wrap");
    }

    @Test
    void resolverOnlySettings_cannotEncrypt() {
        EncryptionSettings settings = EncryptionSettings.of(ClientSideEncryptionOptions.builder().keyResolver(id -> null).build());
        assertThat(settings.canEncrypt()).isFalse();
        assertThatThrownBy(() -> Envelope.seal(settings, EncryptionProtocol.V2_0, MIB4, null))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("key(keyEncryptionKey, keyWrapAlgorithm)");
    }

    @Test
    void unencryptedData_isRefusedUnlessEncryptionIsOptional() {
        assertThatThrownBy(() -> TestKeys.settings().checkUnencryptedAllowed("Blob 'c/b'"))
            .isInstanceOf(dev.cse4j.core.EncryptionPolicyException.class)
            .hasMessageContaining("Blob 'c/b'").hasMessageContaining("requireEncryption(false)")
            .satisfies(e -> assertThat(((EncryptionPolicyException) e).getReason())
                .isEqualTo(EncryptionPolicyException.Reason.UNENCRYPTED));
        EncryptionSettings.of(TestKeys.builder().requireEncryption(false).build())
            .checkUnencryptedAllowed("Blob 'c/b'");
    }

    @Test
    void settingsToString_showsNoKeyMaterial() {
        String text = TestKeys.settings().toString() + Envelope.seal(TestKeys.settings(), EncryptionProtocol.V2_0,
            MIB4, null);
        assertThat(text).doesNotContain(RegionCryptoTest.hex(TestKeys.kekBytes()));
        assertThat(text).contains("key=set (A256KW)").contains("requireEncryption=true");
    }
}
