package dev.cse4j.spark;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import com.azure.security.keyvault.keys.cryptography.KeyEncryptionKeyClientBuilder;
import dev.cse4j.testing.KeyVaultClients;
import dev.cse4j.testing.KeyVaultServer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * What {@code --key-vault-client-factory} names in tests: Key Vault's real client for the loopback
 * {@link KeyVaultServer} of this JVM (so {@code local[2]} only), whose HTTP client counts the requests in flight, so
 * that a test sees the most Key Vault calls an executor had at once.
 */
public final class LoopbackKeyVaultClients implements Supplier<KeyEncryptionKeyClientBuilder> {
    private static volatile KeyVaultServer vault;
    private static final AtomicInteger IN_FLIGHT = new AtomicInteger();
    private static final AtomicInteger PEAK = new AtomicInteger();

    /** Made by the job, by name, on each executor. */
    public LoopbackKeyVaultClients() {
    }

    /** Serves {@code server} from now on and forgets the peak. */
    static void use(KeyVaultServer server) {
        vault = server;
        PEAK.set(0);
    }

    /** @return the most requests in flight at once since {@link #use} */
    static int peak() {
        return PEAK.get();
    }

    @Override
    public KeyEncryptionKeyClientBuilder get() {
        return KeyVaultClients.keyEncryptionKeyClientBuilder(vault).httpClient(new Counting(
            KeyVaultClients.httpClient(vault)));
    }

    private record Counting(HttpClient client) implements HttpClient {
        @Override
        public Mono<HttpResponse> send(HttpRequest request) {
            return send(request, Context.NONE);
        }

        @Override
        public Mono<HttpResponse> send(HttpRequest request, Context context) {
            return Mono.defer(() -> {
                started();
                return client.send(request, context);
            }).doFinally(signal -> IN_FLIGHT.decrementAndGet());
        }

        @Override
        public HttpResponse sendSync(HttpRequest request, Context context) {
            started();
            try {
                return client.sendSync(request, context);
            } finally {
                IN_FLIGHT.decrementAndGet();
            }
        }

        private static void started() {
            PEAK.accumulateAndGet(IN_FLIGHT.incrementAndGet(), Math::max);
        }
    }
}
