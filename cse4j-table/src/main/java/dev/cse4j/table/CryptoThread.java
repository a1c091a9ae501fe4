package dev.cse4j.table;

import dev.cse4j.core.implementation.Blocking;
import dev.cse4j.core.implementation.Envelope;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Where an entity's values are encrypted or decrypted once its content key is there. A synchronous client's call:
 * on the calling thread. An asynchronous client's: never on the thread the key's answer or the service's response
 * arrived on (an HTTP client's event loop), since an entity may hold up to 1 MiB of values, but on a bounded
 * scheduler: decryption on {@link Schedulers#parallel()} (one thread per core); encryption on
 * {@link Schedulers#boundedElastic()}, because each value's nonce is drawn from the system's random source, which
 * may read a device (as the content key is drawn, {@link Envelope#sealTableEntity}).
 */
final class CryptoThread {
    private CryptoThread() {
    }

    /** {@code envelope}, delivered where the values it seals are to be encrypted. */
    static Mono<Envelope> encrypting(Mono<Envelope> envelope, Blocking blocking) {
        return on(envelope, blocking, Schedulers.boundedElastic());
    }

    /** {@code envelope}, delivered where the values it opens are to be decrypted. */
    static Mono<Envelope> decrypting(Mono<Envelope> envelope, Blocking blocking) {
        return on(envelope, blocking, Schedulers.parallel());
    }

    /** An envelope dropped on the way (the caller cancelled) is destroyed. */
    private static Mono<Envelope> on(Mono<Envelope> envelope, Blocking blocking, Scheduler scheduler) {
        if (blocking == Blocking.ALLOWED) {
            return envelope;
        }
        return envelope.publishOn(scheduler).doOnDiscard(Envelope.class, Envelope::destroy);
    }
}
