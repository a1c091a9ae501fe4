package dev.cse4j.testing;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.security.keyvault.keys.cryptography.KeyEncryptionKeyClientBuilder;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * Microsoft's real Key Vault client ({@code azure-security-keyvault-keys}) set up for a {@link KeyVaultServer}:
 * its {@code HttpClient} trusts the server's self-signed certificate, its credential hands out the server's token,
 * and challenge-resource verification is off (the challenge names {@code vault.azure.net}, not
 * {@code 127.0.0.1}).
 *
 * <p>Needs {@code azure-security-keyvault-keys} (without its default netty transport) and
 * {@code azure-core-http-jdk-httpclient} on the test class path: they are optional dependencies of this module, so
 * a module whose tests use this class declares them in test scope.
 */
public final class KeyVaultClients {
    private KeyVaultClients() {
    }

    /**
     * A key encryption key builder (it is also a sync and async key resolver) for {@code vault}, with the Azure SDK's
     * default retry policy (3 retries, honouring {@code Retry-After}).
     */
    public static KeyEncryptionKeyClientBuilder keyEncryptionKeyClientBuilder(KeyVaultServer vault) {
        return new KeyEncryptionKeyClientBuilder().credential(credential(vault)).httpClient(httpClient(vault))
            .disableChallengeResourceVerification();
    }

    /**
     * As {@link #keyEncryptionKeyClientBuilder(KeyVaultServer)}, retrying throttled requests up to
     * {@code maxRetries} times with {@code Retry-After} or a short backoff (for tests that throttle a lot).
     */
    public static KeyEncryptionKeyClientBuilder keyEncryptionKeyClientBuilder(KeyVaultServer vault, int maxRetries) {
        return keyEncryptionKeyClientBuilder(vault).retryOptions(new RetryOptions(new ExponentialBackoffOptions()
            .setMaxRetries(maxRetries).setBaseDelay(Duration.ofMillis(1)).setMaxDelay(Duration.ofMillis(50))));
    }

    /** A credential that returns {@code vault}'s token, valid for an hour, for any scope and tenant. */
    public static TokenCredential credential(KeyVaultServer vault) {
        String token = vault.accessToken();
        return request -> Mono.fromSupplier(() -> new AccessToken(token, OffsetDateTime.now().plusHours(1)));
    }

    /** An Azure {@link HttpClient} on the JDK's HTTP client that trusts {@code vault}'s certificate only. */
    public static HttpClient httpClient(KeyVaultServer vault) {
        return new JdkHttpClientBuilder(vault.httpClientBuilder()).build();
    }
}
