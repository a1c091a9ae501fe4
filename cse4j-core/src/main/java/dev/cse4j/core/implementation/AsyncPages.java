package dev.cse4j.core.implementation;

import com.azure.core.http.rest.PagedFlux;
import com.azure.core.http.rest.PagedResponse;
import com.azure.core.http.rest.PagedResponseBase;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.function.Function;

/**
 * An Azure SDK listing ({@link PagedFlux}: queue messages received or peeked, table entities queried) whose items
 * are turned into others by asynchronous work, such as decryption with a key that is called asynchronously.
 * {@link PagedFlux#mapPage} takes only a synchronous function; this is its asynchronous counterpart, for the
 * asynchronous clients of every service.
 *
 * <p>Each page is emitted whole, after the work on every item of it has finished, in the page's order, with the
 * page's request, status, headers and continuation token: so a failure fails the page before any of its items is
 * handed out, as the synchronous clients fail the call. An item whose work completes empty is left out. The work on
 * at most {@value #CONCURRENCY} items of a page runs at once, so that calls to a key service overlap within that
 * bound, whatever the page size. Continuation tokens and page sizes are passed to the listing as they are.
 */
public final class AsyncPages {
    /** Items of one page worked on at the same time. */
    static final int CONCURRENCY = 8;

    private AsyncPages() {
    }

    /** {@code source} with each item replaced by what {@code work} makes of it (empty: left out). */
    public static <T, R> PagedFlux<R> map(PagedFlux<T> source, Function<T, Mono<R>> work) {
        return PagedFlux.create(() -> (continuationToken, pageSize) -> pages(source, continuationToken, pageSize)
            .concatMap(page -> Flux.fromIterable(page.getValue()).flatMapSequential(work, CONCURRENCY).collectList()
                .map(items -> page(page, items))));
    }

    private static <T> Flux<PagedResponse<T>> pages(PagedFlux<T> source, String continuationToken,
        Integer pageSize) {
        if (continuationToken == null) {
            return pageSize == null ? source.byPage() : source.byPage(pageSize);
        }
        return pageSize == null ? source.byPage(continuationToken) : source.byPage(continuationToken, pageSize);
    }

    private static <T, R> PagedResponse<R> page(PagedResponse<T> page, List<R> items) {
        return new PagedResponseBase<Void, R>(page.getRequest(), page.getStatusCode(), page.getHeaders(), items,
            page.getContinuationToken(), null);
    }
}
