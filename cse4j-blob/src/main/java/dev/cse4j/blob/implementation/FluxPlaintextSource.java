package dev.cse4j.blob.implementation;

import dev.cse4j.core.implementation.RegionLayout;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A {@link Flux} of plaintext buffers read into block buffers: subscribed on the first read, then one buffer
 * requested at a time, only while a read wants more bytes, so at most one of the caller's buffers is held (and
 * never modified: a view of it is read). That is the upload's back-pressure: a block buffer is filled only when the
 * upload has room for one more block in flight. Thread-safe: the buffers arrive on any thread; reads are one after
 * another.
 */
final class FluxPlaintextSource implements PlaintextSource, CoreSubscriber<ByteBuffer> {
    private final Flux<ByteBuffer> data;
    private Subscription subscription;
    private boolean subscribed;
    private boolean requested;
    private ByteBuffer current;
    private boolean done;
    private Throwable failure;
    private boolean cancelled;

    // the read in progress
    private MonoSink<Integer> reader;
    private RegionLayout layout;
    private byte[] buffer;
    private int max;
    private int filled;

    FluxPlaintextSource(Flux<ByteBuffer> data) {
        this.data = Objects.requireNonNull(data, "data");
    }

    @Override
    public Mono<Integer> read(RegionLayout layout, byte[] buffer, int max) {
        return Mono.create(sink -> {
            boolean subscribe;
            synchronized (this) {
                if (reader != null) {
                    sink.error(new IllegalStateException("Reads of the upload's data must not overlap"));
                    return;
                }
                this.reader = sink;
                this.layout = layout;
                this.buffer = buffer;
                this.max = max;
                this.filled = 0;
                subscribe = !subscribed;
                subscribed = true;
                requested |= subscribe; // onSubscribe asks for the first buffer
            }
            sink.onCancel(this::cancel);
            if (subscribe) {
                data.subscribe(this);
            } else {
                pump();
            }
        });
    }

    @Override
    public void onSubscribe(Subscription s) {
        boolean cancel;
        synchronized (this) {
            subscription = s;
            cancel = cancelled;
        }
        if (cancel) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(ByteBuffer next) {
        synchronized (this) {
            requested = false;
            current = next == null ? null : next.duplicate();
        }
        pump();
    }

    @Override
    public void onError(Throwable t) {
        synchronized (this) {
            failure = t;
            done = true;
        }
        pump();
    }

    @Override
    public void onComplete() {
        synchronized (this) {
            done = true;
        }
        pump();
    }

    /** Fills the read in progress from what has arrived; completes it, or asks for the next buffer. */
    private void pump() {
        MonoSink<Integer> complete = null;
        int result = 0;
        Throwable error = null;
        boolean request = false;
        synchronized (this) {
            if (reader == null || cancelled) {
                return;
            }
            if (current != null) {
                filled = RegionSlots.put(current, layout, buffer, filled, max);
                if (!current.hasRemaining()) {
                    current = null;
                }
            }
            if (filled == max || (current == null && done)) {
                complete = reader;
                result = filled;
                error = filled == max ? null : failure;
                reader = null;
                buffer = null;
            } else if (current == null && !requested && subscription != null) {
                requested = true;
                request = true;
            }
        }
        if (complete != null) {
            if (error != null) {
                complete.error(error);
            } else {
                complete.success(result);
            }
        } else if (request) {
            subscription.request(1);
        }
    }

    @Override
    public void cancel() {
        Subscription s;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            reader = null;
            buffer = null;
            s = subscription;
        }
        if (s != null) {
            s.cancel();
        }
    }
}
