package dev.cse4j.blob.implementation;

import dev.cse4j.core.implementation.RegionLayout;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.util.Objects;

/**
 * A stream of plaintext, read on {@link Schedulers#boundedElastic()} (reads may block). With regions smaller than
 * {@value #SMALL_REGION} bytes it is read through a buffer of that size, so small regions make no small reads.
 */
final class StreamPlaintextSource implements PlaintextSource {
    static final int SMALL_REGION = 64 * 1024;

    private final InputStream source;
    private InputStream in;

    StreamPlaintextSource(InputStream source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    @Override
    public Mono<Integer> read(RegionLayout layout, byte[] buffer, int max) {
        return Mono.fromCallable(() -> RegionSlots.read(stream(layout), layout, buffer, max))
            .subscribeOn(Schedulers.boundedElastic());
    }

    private synchronized InputStream stream(RegionLayout layout) {
        if (in == null) {
            in = layout.regionDataLength() < SMALL_REGION ? new BufferedInputStream(source, SMALL_REGION) : source;
        }
        return in;
    }
}
