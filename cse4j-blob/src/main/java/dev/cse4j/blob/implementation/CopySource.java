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

    /**
     * @throws IllegalArgumentException if {@code sourceUrl} is not a blob URL; its message never quotes the URL (nor
     *     has the Azure SDK's exception as its cause where that quotes it), which may carry a SAS
     */
    public static BlobClientBuilder builder(String sourceUrl, HttpPipeline pipeline) {
        BlobClientBuilder builder;
        try {
            builder = new BlobClientBuilder().endpoint(sourceUrl);
        } catch (RuntimeException e) {
            if (!ServiceConnection.isInvalidSetting(e)) {
                throw e;
            }
            String reason = ServiceConnection.reason(e, sourceUrl);
            throw new IllegalArgumentException("The copy source URL is not valid (" + reason + "): give the source "
                + "blob's full URL, e.g. https://ACCOUNT.blob.core.windows.net/CONTAINER/BLOB, with a SAS if the "
                + "source needs one.", reason.equals(e.getMessage()) ? e : null);
        }
        return ServiceConnection.hasSas(sourceUrl) ? builder.httpClient(pipeline.getHttpClient())
            : builder.pipeline(pipeline);
    }
}
