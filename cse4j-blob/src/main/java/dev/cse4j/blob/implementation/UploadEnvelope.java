package dev.cse4j.blob.implementation;

import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.implementation.Blocking;
import dev.cse4j.core.implementation.EncryptionSettings;
import dev.cse4j.core.implementation.Envelope;
import dev.cse4j.core.implementation.IntegritySeal;
import dev.cse4j.core.implementation.RegionEncryptor;
import dev.cse4j.core.implementation.RegionLayout;
import reactor.core.publisher.Mono;

/**
 * The envelope of one upload: a fresh content key wrapped into {@code encryptiondata}, and the keys that seal the
 * blob's integrity record once its plaintext length is known (at commit). Close to destroy both.
 */
public final class UploadEnvelope implements AutoCloseable {
    private final Envelope envelope;
    private final IntegritySeal seal;
    private final String encryptionDataJson;

    private UploadEnvelope(Envelope envelope) {
        this.envelope = envelope;
        this.encryptionDataJson = envelope.data().toJsonString();
        this.seal = envelope.integritySeal();
    }

    /**
     * A fresh content key for a new blob, wrapped with the configured key encryption key (a synchronous client's
     * call).
     *
     * @throws IllegalStateException if the settings have no key encryption key
     */
    public static UploadEnvelope seal(EncryptionSettings settings, EncryptionProtocol protocol, int regionLength) {
        return Blocking.await(seal(settings, protocol, regionLength, Blocking.ALLOWED));
    }

    /**
     * As {@link #seal(EncryptionSettings, EncryptionProtocol, int)}, as one {@link Mono} for either kind of client
     * (an asynchronous client's never blocks).
     */
    public static Mono<UploadEnvelope> seal(EncryptionSettings settings, EncryptionProtocol protocol,
        int regionLength, Blocking blocking) {
        return Mono.fromRunnable(() -> settings.checkCanEncrypt("upload"))
            .then(Envelope.seal(settings, protocol, regionLength, EncryptionData.FULL_BLOB, blocking))
            .map(envelope -> {
                try {
                    return new UploadEnvelope(envelope);
                } catch (RuntimeException e) {
                    envelope.destroy();
                    throw e;
                }
            });
    }

    /** The blob's {@code encryptiondata}. */
    public EncryptionData data() {
        return envelope.data();
    }

    public RegionLayout layout() {
        return envelope.layout();
    }

    public RegionEncryptor regionEncryptor() {
        return envelope.regionEncryptor();
    }

    /**
     * {@code write} with its metadata completed at commit: the caller's, {@code encryptiondata} and the integrity
     * record sealed with the plaintext length.
     *
     * @throws dev.cse4j.core.EncryptionPolicyException if the caller's metadata has an entry the client owns
     */
    public BlobWrite complete(BlobWrite write) {
        BlobEncryptionMetadata.rejectReserved(write.metadata());
        return write.sealedWith(plaintextLength -> BlobEncryptionMetadata.withEncryptionData(write.metadata(),
            encryptionDataJson, seal.seal(envelope.data(), plaintextLength).toMetadataValue()));
    }

    @Override
    public void close() {
        seal.destroy();
        envelope.destroy();
    }
}
