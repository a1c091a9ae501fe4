package dev.cse4j.blob;

import com.azure.storage.blob.BlobClientBuilder;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.BlobServiceClientBuilder;
import dev.cse4j.testing.BuilderRefusals;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.parallel.Isolated;

import java.util.stream.Stream;

/**
 * An endpoint the Azure SDK cannot parse never reaches it from an encrypted blob builder, sync or async: the SDK
 * would log it at error, SAS and all (see {@link BuilderRefusals#unparsableEndpointsLogNoSecret}).
 */
@Isolated("it captures System.err, where every class's log lines go")
class SdkErrorLoggingTest {
    @TestFactory
    Stream<DynamicNode> blobClient() {
        return BuilderRefusals.unparsableEndpointsLogNoSecret(cs -> new BlobClientBuilder().connectionString(cs),
            () -> new EncryptedBlobClientBuilder().containerName("c").blobName("b")
                .clientSideEncryptionOptions(Fixtures.options().build()),
            EncryptedBlobClientBuilder::buildEncryptedBlobClient,
            EncryptedBlobClientBuilder::buildEncryptedBlobAsyncClient);
    }

    @TestFactory
    Stream<DynamicNode> containerClient() {
        return BuilderRefusals.unparsableEndpointsLogNoSecret(
            cs -> new BlobContainerClientBuilder().connectionString(cs),
            () -> new EncryptedBlobContainerClientBuilder().containerName("c")
                .clientSideEncryptionOptions(Fixtures.options().build()),
            EncryptedBlobContainerClientBuilder::buildEncryptedBlobContainerClient,
            EncryptedBlobContainerClientBuilder::buildEncryptedBlobContainerAsyncClient);
    }

    @TestFactory
    Stream<DynamicNode> serviceClient() {
        return BuilderRefusals.unparsableEndpointsLogNoSecret(
            cs -> new BlobServiceClientBuilder().connectionString(cs),
            () -> new EncryptedBlobServiceClientBuilder().clientSideEncryptionOptions(Fixtures.options().build()),
            EncryptedBlobServiceClientBuilder::buildEncryptedBlobServiceClient,
            EncryptedBlobServiceClientBuilder::buildEncryptedBlobServiceAsyncClient);
    }
}
