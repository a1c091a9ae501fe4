package dev.cse4j.queue;

import com.azure.storage.queue.QueueClientBuilder;
import dev.cse4j.testing.BuilderRefusals;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.parallel.Isolated;

import java.util.stream.Stream;

/**
 * An endpoint the Azure SDK cannot parse never reaches it from an encrypted queue builder, sync or async: the SDK
 * would log it at error, SAS and all (see {@link BuilderRefusals#unparsableEndpointsLogNoSecret}).
 */
@Isolated("it captures System.err, where every class's log lines go")
class SdkErrorLoggingTest {
    @TestFactory
    Stream<DynamicNode> queueClient() {
        return BuilderRefusals.unparsableEndpointsLogNoSecret(cs -> new QueueClientBuilder().connectionString(cs),
            () -> new EncryptedQueueClientBuilder().queueName("q")
                .clientSideEncryptionOptions(QueueFixtures.options().build()),
            EncryptedQueueClientBuilder::buildEncryptedQueueClient,
            EncryptedQueueClientBuilder::buildEncryptedQueueAsyncClient);
    }
}
