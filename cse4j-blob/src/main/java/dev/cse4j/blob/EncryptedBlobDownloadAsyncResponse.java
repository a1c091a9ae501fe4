package dev.cse4j.blob;

import com.azure.core.http.rest.Response;
import com.azure.core.http.rest.SimpleResponse;
import com.azure.storage.blob.models.BlobProperties;
import reactor.core.publisher.Flux;

import java.nio.ByteBuffer;

/**
 * What {@link EncryptedBlobAsyncClient#downloadStreamWithResponse} gives once the blob is opened (its properties
 * read, its key unwrapped, its plan made): the properties of the version being read, and its plaintext as a
 * {@link Flux} that fetches, verifies and emits it when subscribed. Subscribe to the value once: the blob's content
 * key is destroyed when it terminates or is cancelled (never subscribed, it lives until collected).
 */
public final class EncryptedBlobDownloadAsyncResponse extends SimpleResponse<Flux<ByteBuffer>> {
    private final EncryptedBlobProperties properties;

    EncryptedBlobDownloadAsyncResponse(Response<BlobProperties> response, EncryptedBlobProperties properties,
        Flux<ByteBuffer> plaintext) {
        super(response, plaintext);
        this.properties = properties;
    }

    /** The properties of the blob version being read (plaintext size of the whole blob). */
    public EncryptedBlobProperties getProperties() {
        return properties;
    }
}
