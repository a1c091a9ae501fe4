package dev.cse4j.queue;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import reactor.core.publisher.Mono;

import java.util.concurrent.atomic.AtomicInteger;

/** The default HTTP client, counting the requests sent through it. */
final class CountingHttpClient implements HttpClient {
    private final HttpClient delegate = HttpClient.createDefault();
    private final AtomicInteger requests = new AtomicInteger();

    int requests() {
        return requests.get();
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request) {
        requests.incrementAndGet();
        return delegate.send(request);
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request, Context context) {
        requests.incrementAndGet();
        return delegate.send(request, context);
    }

    @Override
    public HttpResponse sendSync(HttpRequest request, Context context) {
        requests.incrementAndGet();
        return delegate.sendSync(request, context);
    }
}
