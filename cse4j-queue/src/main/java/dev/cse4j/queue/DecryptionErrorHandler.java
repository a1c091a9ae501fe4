package dev.cse4j.queue;

import dev.cse4j.core.implementation.Blocking;
import reactor.core.publisher.Mono;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The handler of messages that cannot be read, as set on the builder in either form, for either kind of client. A
 * synchronous handler is user code that may block: an asynchronous client calls it on
 * {@link reactor.core.scheduler.Schedulers#boundedElastic()} ({@link Blocking#OFFLOADED}), never on the thread the
 * message arrived on. An asynchronous handler's {@link Mono} is subscribed where the failure was signalled; a
 * synchronous client waits for it.
 */
final class DecryptionErrorHandler {
    /** No handler: a message that cannot be read fails the call. */
    static final DecryptionErrorHandler NONE = new DecryptionErrorHandler(null, null);

    private final Consumer<QueueMessageDecryptionError> handler;
    private final Function<QueueMessageDecryptionError, Mono<Void>> asyncHandler;

    private DecryptionErrorHandler(Consumer<QueueMessageDecryptionError> handler,
        Function<QueueMessageDecryptionError, Mono<Void>> asyncHandler) {
        this.handler = handler;
        this.asyncHandler = asyncHandler;
    }

    static DecryptionErrorHandler of(Consumer<QueueMessageDecryptionError> handler) {
        return new DecryptionErrorHandler(handler, null);
    }

    static DecryptionErrorHandler ofAsync(Function<QueueMessageDecryptionError, Mono<Void>> handler) {
        return new DecryptionErrorHandler(null, handler);
    }

    /** Whether a failure goes to a handler instead of failing the call. */
    boolean isSet() {
        return handler != null || asyncHandler != null;
    }

    /** Hands {@code error} to the handler, where {@code blocking} allows user code that may block. */
    Mono<Void> handle(QueueMessageDecryptionError error, Blocking blocking) {
        if (asyncHandler != null) {
            return Mono.defer(() -> asyncHandler.apply(error));
        }
        return blocking.call(() -> {
            handler.accept(error);
            return Boolean.TRUE;
        }).then();
    }
}
