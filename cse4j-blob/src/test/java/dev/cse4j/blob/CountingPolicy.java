package dev.cse4j.blob;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import reactor.core.publisher.Mono;

import java.util.concurrent.atomic.AtomicLong;

/** Counts the GET requests a client sends and the body bytes their responses announce (Content-Length). */
final class CountingPolicy implements HttpPipelinePolicy {
    private final AtomicLong gets = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        boolean get = context.getHttpRequest().getHttpMethod() == HttpMethod.GET;
        return next.process().doOnNext(response -> {
            if (get) {
                gets.incrementAndGet();
                String length = response.getHeaderValue("Content-Length");
                if (length != null) {
                    bytes.addAndGet(Long.parseLong(length));
                }
            }
        });
    }

    long gets() {
        return gets.get();
    }

    long bytes() {
        return bytes.get();
    }

    void reset() {
        gets.set(0);
        bytes.set(0);
    }
}
