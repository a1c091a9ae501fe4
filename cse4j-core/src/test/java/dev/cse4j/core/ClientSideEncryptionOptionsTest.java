package dev.cse4j.core;

import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import dev.cse4j.core.implementation.EncryptionSettings;
import dev.cse4j.keys.AesKeyWrapKey;
import dev.cse4j.keys.KeyWrapAlgorithm;
import dev.cse4j.testing.Vectors;
import org.junit.jupiter.api.Test;

import java.security.Provider;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.parallel.Isolated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one value holding every key and policy setting: defaults, derivation, fail-fast checks, no key in text. */
@Isolated("it sets cse4j.crypto.provider, which every client built meanwhile would read")
class ClientSideEncryptionOptionsTest {
    private static final byte[] KEK_BYTES = Vectors.kek(Vectors.JAVA_SDK);
    private static final AesKeyWrapKey KEK = AesKeyWrapKey.of("local:kek1", KEK_BYTES);

    private static ClientSideEncryptionOptions.Builder keyed() {
        return ClientSideEncryptionOptions.builder().key(KEK, KeyWrapAlgorithm.A256KW);
    }

    @Test
    void defaults_areTheSafeOnes() {
        ClientSideEncryptionOptions options = keyed().build();
        assertThat(options.getKeyEncryptionKey()).isSameAs(KEK);
        assertThat(options.getKeyWrapAlgorithm()).isEqualTo("A256KW");
        assertThat(options.getKeyResolver()).isNull();
        assertThat(options.canEncrypt()).isTrue();
        assertThat(options.getBlobProtocol()).isEqualTo(EncryptionProtocol.V2_0);
        assertThat(options.getBlobRegionLength()).isEqualTo(4 * 1024 * 1024);
        assertThat(options.getTableFormat()).isEqualTo(TableEncryptionFormat.AUTHENTICATED);
        assertThat(options.isEncryptionRequired()).isTrue();
        assertThat(options.isUnauthenticatedV1ReadAllowed()).isFalse();
        assertThat(options.isMisorderedRegionsAllowed()).isFalse();
        assertThat(options.getCryptoProvider()).isNull();
    }

    @Test
    void toBuilder_derivesAnOverride_withoutChangingTheOriginal() {
        ClientSideEncryptionOptions original = keyed().requireEncryption(false).build();
        AesKeyWrapKey other = AesKeyWrapKey.of("local:other", new byte[32]);

        ClientSideEncryptionOptions derived = original.toBuilder().key(other, KeyWrapAlgorithm.A256KW)
            .blobProtocol(EncryptionProtocol.V2_1).blobRegionLength(1024).build();

        assertThat(derived.getKeyEncryptionKey()).isSameAs(other);
        assertThat(derived.getBlobProtocol()).isEqualTo(EncryptionProtocol.V2_1);
        assertThat(derived.getBlobRegionLength()).isEqualTo(1024);
        assertThat(derived.isEncryptionRequired()).isFalse();
        assertThat(original.getKeyEncryptionKey()).isSameAs(KEK);
        assertThat(original.getBlobProtocol()).isEqualTo(EncryptionProtocol.V2_0);
        assertThat(original.getBlobRegionLength()).isEqualTo(4 * 1024 * 1024);
    }

    @Test
    void builderReusedAfterBuild_doesNotChangeTheBuiltValue() {
        ClientSideEncryptionOptions.Builder builder = keyed();
        ClientSideEncryptionOptions first = builder.build();
        builder.allowUnauthenticatedV1Reads(true);
        assertThat(first.isUnauthenticatedV1ReadAllowed()).isFalse();
        assertThat(builder.build().isUnauthenticatedV1ReadAllowed()).isTrue();
    }

    @Test
    void noKeyAndNoResolver_failsNamingTheSetters() {
        assertThatThrownBy(() -> ClientSideEncryptionOptions.builder().build())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContainingAll("key(keyEncryptionKey, keyWrapAlgorithm)", "keyResolver(resolver)",
                "asyncKeyResolver(resolver)");
    }

    @Test
    void badValues_areRefusedAtTheSetter() {
        ClientSideEncryptionOptions.Builder builder = ClientSideEncryptionOptions.builder();
        assertThatThrownBy(() -> builder.key(KEK, " ")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("A256KW");
        assertThatThrownBy(() -> builder.blobProtocol(EncryptionProtocol.V1_0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowUnauthenticatedV1Reads(true)");
        assertThatThrownBy(() -> builder.blobProtocol(EncryptionProtocol.CSE4J_TABLE_1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("V2_0");
        assertThatThrownBy(() -> builder.blobRegionLength(15)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.blobRegionLength((1 << 30) + 1))
            .isInstanceOf(IllegalArgumentException.class);
        builder.blobRegionLength(16).blobRegionLength(1 << 30);
    }

    @Test
    void regionLengthWithout21_failsNamingTheProtocolSetter() {
        assertThatThrownBy(() -> keyed().blobRegionLength(16).build()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("blobProtocol(EncryptionProtocol.V2_1)");
    }

    @Test
    void legacyTableFormatWithoutAKey_failsNamingTheKeySetter() {
        assertThatThrownBy(() -> ClientSideEncryptionOptions.builder().keyResolver(id -> KEK)
            .tableFormat(TableEncryptionFormat.LEGACY_V1_UNAUTHENTICATED).build())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContainingAll("LEGACY_V1_UNAUTHENTICATED", "key(keyEncryptionKey, keyWrapAlgorithm)");
    }

    @Test
    void asyncKeyAndResolver_areSeenAsBlockingOnes() {
        AsyncKeyEncryptionKey async = KEK.asAsync();
        ClientSideEncryptionOptions options = ClientSideEncryptionOptions.builder()
            .key(async, KeyWrapAlgorithm.A256KW)
            .asyncKeyResolver(id -> reactor.core.publisher.Mono.just(async)).build();
        assertThat(options.getKeyEncryptionKey().getKeyId()).isEqualTo("local:kek1");
        assertThat(options.getKeyResolver().buildKeyEncryptionKey("local:kek1").getKeyId()).isEqualTo("local:kek1");
    }

    @Test
    void toString_namesTheSettings_neverTheKey() {
        String text = keyed().keyResolver(id -> KEK).build().toString();
        assertThat(text).contains("key=set (A256KW)", "keyResolver=set", "blobProtocol=2.0", "requireEncryption=true");
        assertThat(text).doesNotContain(HexFormat.of().formatHex(KEK_BYTES))
            .doesNotContain(Base64.getEncoder().encodeToString(KEK_BYTES))
            .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(KEK_BYTES));
    }

    @Test
    void cryptoProviderProperty_isReadWhenAClientIsBuilt_neverByTheBuilder() {
        String saved = System.getProperty("cse4j.crypto.provider");
        System.setProperty("cse4j.crypto.provider", "bogus");
        try {
            ClientSideEncryptionOptions options = keyed().build();
            assertThatThrownBy(() -> EncryptionSettings.of(options)).isInstanceOf(IllegalStateException.class)
                .hasMessage("System property cse4j.crypto.provider is 'bogus'; use auto, jdk or corretto.");
            Provider sunJce = java.security.Security.getProvider("SunJCE");
            assertThat(EncryptionSettings.of(options.toBuilder().cryptoProvider(sunJce).build()).cryptoProvider()
                .jcaProvider()).contains(sunJce);
        } finally {
            if (saved == null) {
                System.clearProperty("cse4j.crypto.provider");
            } else {
                System.setProperty("cse4j.crypto.provider", saved);
            }
        }
    }
}
