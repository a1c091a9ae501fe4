package dev.cse4j.table;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.data.tables.TableClient;
import dev.cse4j.core.TableEncryptionFormat;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pipeline policy for the client under test: counts the writes it sends and the conflicts (412 and 409) the
 * service answers, and, while armed, lets another writer change the table just before each write, so that every
 * conditional write of the client loses the race.
 */
final class Interloper implements HttpPipelinePolicy {
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicInteger conflicts = new AtomicInteger();
    private volatile Runnable interference;

    /**
     * A builder of encrypted clients (of either kind) for {@code plain}'s table with the vectors' key and the given
     * format and resolver, whose requests pass through this policy.
     */
    EncryptedTableClientBuilder builder(TableClient plain, TableEncryptionFormat format,
        EncryptionResolver resolver) {
        return Tables.builder(plain, format, resolver).addPolicy(this);
    }

    /** From now on, runs {@code write} (through another client) before every write this policy sees. */
    void arm(Runnable write) {
        interference = write;
    }

    void disarm() {
        interference = null;
    }

    /** Requests sent through this policy, reads included. */
    int requests() {
        return requests.get();
    }

    /** Writes sent through this policy: creates, updates, merges and transactions. */
    int writes() {
        return writes.get();
    }

    /** Responses 412 (condition not met) and 409 (already exists) to single writes. */
    int conflicts() {
        return conflicts.get();
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        // the other writer's write blocks: never on the asynchronous client's Reactor threads
        return Mono.fromRunnable(() -> before(context)).subscribeOn(Schedulers.boundedElastic())
            .then(Mono.defer(next::process)).doOnNext(this::after);
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        before(context);
        HttpResponse response = next.processSync();
        after(response);
        return response;
    }

    private void before(HttpPipelineCallContext context) {
        requests.incrementAndGet();
        HttpMethod method = context.getHttpRequest().getHttpMethod();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            writes.incrementAndGet();
            Runnable write = interference;
            if (write != null) {
                write.run();
            }
        }
    }

    private void after(HttpResponse response) {
        if (response.getStatusCode() == 412 || response.getStatusCode() == 409) {
            conflicts.incrementAndGet();
        }
    }
}
