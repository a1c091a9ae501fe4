package dev.cse4j.testing;

import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An asynchronous key encryption key whose wrap never answers, as a key service that hangs, for cancellation tests:
 * a test starts a write, waits until the key is asked ({@link #awaitWrapping}), cancels, and checks that the
 * cancellation reached the key ({@link #awaitCancelled}) and that nothing was written. Its unwrap fails. Needs
 * {@code azure-core} on the class path (an optional dependency of this module).
 */
public final class StalledKey implements AsyncKeyEncryptionKey {
    private final String keyId;
    private final CountDownLatch wrapping = new CountDownLatch(1);
    private final CountDownLatch cancelled = new CountDownLatch(1);

    /** A stalled key with this id. */
    public StalledKey(String keyId) {
        this.keyId = keyId;
    }

    @Override
    public Mono<String> getKeyId() {
        return Mono.just(keyId);
    }

    @Override
    public Mono<byte[]> wrapKey(String algorithm, byte[] key) {
        return Mono.<byte[]>never().doOnSubscribe(s -> wrapping.countDown()).doOnCancel(cancelled::countDown);
    }

    @Override
    public Mono<byte[]> unwrapKey(String algorithm, byte[] encryptedKey) {
        return Mono.error(new UnsupportedOperationException("StalledKey only stalls wraps"));
    }

    /** @return whether a wrap was asked for within {@code timeout} */
    public boolean awaitWrapping(Duration timeout) throws InterruptedException {
        return wrapping.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return whether a wrap was cancelled within {@code timeout} */
    public boolean awaitCancelled(Duration timeout) throws InterruptedException {
        return cancelled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public String toString() {
        return "StalledKey[" + keyId + "]";
    }
}
