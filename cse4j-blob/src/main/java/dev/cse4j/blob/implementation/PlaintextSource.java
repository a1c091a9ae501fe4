package dev.cse4j.blob.implementation;

import dev.cse4j.core.implementation.RegionLayout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * The plaintext an upload reads, one block at a time, straight into the region slots of a block buffer
 * ({@link RegionSlots}): a stream (read where blocking is allowed) or a {@link Flux} of buffers (copied as they
 * arrive, one requested at a time). Reads are one after another, never two at once.
 */
public interface PlaintextSource {
    /**
     * Reads up to {@code max} plaintext bytes into the slots of {@code buffer}, fewer only where the data ends.
     *
     * @return the bytes read
     */
    Mono<Integer> read(RegionLayout layout, byte[] buffer, int max);

    /**
     * Whether the source has a byte more (read after its declared length: a source longer than declared commits
     * nothing). The byte read, if any, is zeroed.
     */
    default Mono<Boolean> hasMore(RegionLayout layout) {
        return Mono.defer(() -> {
            byte[] one = new byte[RegionSlots.storedLength(layout, 1)];
            return read(layout, one, 1).map(n -> n > 0).doFinally(signal -> java.util.Arrays.fill(one, (byte) 0));
        });
    }

    /** Stops reading: cancels what the source is still producing (a failed or cancelled upload). */
    default void cancel() {
    }

    /**
     * A stream, read on {@link Schedulers#boundedElastic()}: it may block (a file, a socket, a pipe), and neither a
     * caller's thread nor the HTTP client's event loop is where it should.
     */
    static PlaintextSource of(InputStream in) {
        return new StreamPlaintextSource(in);
    }

    /** A publisher of buffers, requested one at a time as blocks need them (their memory is the caller's). */
    static PlaintextSource of(Flux<ByteBuffer> data) {
        return new FluxPlaintextSource(data);
    }
}
