package dev.cse4j.blob.implementation;

import com.azure.core.http.rest.Response;
import com.azure.core.util.logging.ClientLogger;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.specialized.BlockBlobAsyncClient;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.implementation.Blocking;
import dev.cse4j.core.implementation.EncryptionSettings;
import reactor.core.publisher.Mono;

/**
 * One encrypted upload, for both kinds of client: the caller's metadata checked, a fresh content key sealed
 * ({@link UploadEnvelope}, where {@link Blocking} says a key may be called), {@code encryptiondata} and the integrity
 * record added to the metadata of the request that creates the blob, the data sent by the
 * {@link ParallelRegionUploader}, and the keys destroyed however the upload ends.
 */
public final class BlobUpload {
    private static final ClientLogger LOGGER = new ClientLogger(BlobUpload.class);

    private BlobUpload() {
    }

    /**
     * @param length the source's length, or {@code -1} if unknown
     * @param sourceCheck run once the source is read to its end, before anything is committed, or {@code null}
     * @param what the blob, for the log, e.g. {@code "Blob 'c/b'"}
     * @return the response of the request that created the blob; an error signal
     *     {@link dev.cse4j.core.EncryptionPolicyException} if the metadata has an entry the client owns,
     *     {@link IllegalStateException} if the settings have no key encryption key, or whatever the upload failed
     *     with
     */
    public static Mono<Response<BlockBlobItem>> upload(BlockBlobAsyncClient blockBlob, EncryptionSettings settings,
        PlaintextSource source, long length, BlobWrite write, TransferTuning tuning, Runnable sourceCheck, String what,
        Blocking blocking) {
        EncryptionProtocol protocol = settings.options().getBlobProtocol();
        int regionLength = settings.options().getBlobRegionLength();
        return Mono.fromRunnable(() -> BlobEncryptionMetadata.rejectReserved(write.metadata()))
            .then(Mono.usingWhen(UploadEnvelope.seal(settings, protocol, regionLength, blocking),
                envelope -> {
                    LOGGER.atVerbose().addKeyValue("blob", what).addKeyValue("protocol", protocol.wireValue())
                        .addKeyValue("regionLength", regionLength)
                        .addKeyValue("regions", length < 0 ? "unknown"
                            : String.valueOf(envelope.layout().regionCount(length)))
                        .addKeyValue("keyId", envelope.data().wrappedContentKey().keyId()).log("Uploading");
                    settings.cryptoProvider().expectWork(length);
                    return new ParallelRegionUploader(blockBlob, envelope.regionEncryptor(), tuning,
                        tuning.progressReporter(), sourceCheck).upload(source, length, envelope.complete(write));
                },
                envelope -> Mono.fromRunnable(envelope::close)));
    }
}
