package dev.cse4j.blob.implementation;

import com.azure.core.http.HttpPipeline;
import com.azure.storage.blob.BlobClientBuilder;
import dev.cse4j.core.implementation.ServiceConnection;

/**
 * The Azure SDK builder of a client for a copy source, which cse4j reads (its properties) before it copies. A source
 * URL that carries a SAS is read with that SAS, over this client's HTTP client: the source may live in another
 * container or account that only its SAS opens, and the SDK applies a SAS in a URL only to a pipeline it builds, so
 * with this client's pipeline it would be dropped and the request signed with this client's credential instead. A
 * source URL without a SAS is read with this client's pipeline (its credential).
 */
public final class CopySource {
    private CopySource() {
    }

    public static BlobClientBuilder builder(String sourceUrl, HttpPipeline pipeline) {
        BlobClientBuilder builder = new BlobClientBuilder().endpoint(sourceUrl);
        return ServiceConnection.hasSas(sourceUrl) ? builder.httpClient(pipeline.getHttpClient())
            : builder.pipeline(pipeline);
    }
}
