package dev.cse4j.table;

import com.azure.data.tables.TableClientBuilder;
import dev.cse4j.testing.BuilderRefusals;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.parallel.Isolated;

import java.util.stream.Stream;

/**
 * An endpoint the Azure SDK cannot parse never reaches it from an encrypted table builder, sync or async: the SDK
 * would log it at error, SAS and all (see {@link BuilderRefusals#unparsableEndpointsLogNoSecret}).
 */
@Isolated("it captures System.err, where every class's log lines go")
class SdkErrorLoggingTest {
    @TestFactory
    Stream<DynamicNode> tableClient() {
        return BuilderRefusals.unparsableEndpointsLogNoSecret(cs -> new TableClientBuilder().connectionString(cs),
            () -> new EncryptedTableClientBuilder().tableName("t")
                .clientSideEncryptionOptions(Tables.options().build()),
            EncryptedTableClientBuilder::buildEncryptedTableClient,
            EncryptedTableClientBuilder::buildEncryptedTableAsyncClient);
    }
}
