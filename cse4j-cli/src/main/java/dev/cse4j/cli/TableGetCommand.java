package dev.cse4j.cli;

import com.azure.data.tables.models.TableEntity;
import dev.cse4j.table.EncryptedTableClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "get", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Read entity (PK, RK) from table T, verify and decrypt its encrypted properties, and print it as one JSON "
            + "object on one line: PartitionKey, RowKey, Timestamp, then every property by name.",
        "Decrypted values are strings. Timestamp (and any Edm.DateTime) is an ISO-8601 UTC string; Edm.Int32, "
            + "Int64 and Double are JSON numbers (NaN and infinities as strings); Edm.Boolean is true/false; "
            + "Edm.Guid a string; Edm.Binary a base64 string. The encryption metadata properties are not shown.",
        "An entity without encrypted properties is refused (exit 5); legacy protocol 1.0 entities are read only "
            + "with --allow-v1."})
final class TableGetCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    EntityOptions entity;

    @Mixin
    ReadKeyOptions key;

    @Option(names = "--allow-v1",
        description = "Also decrypt legacy protocol 1.0 entities (AES-CBC: unauthenticated, modifiable undetectably).")
    boolean allowV1;

    @Mixin
    ConnectionOptions connection;

    TableGetCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        TableStorage storage = new TableStorage(context.connectionString(connection.connectionString),
            entity.table);
        EncryptedTableClient client = storage.encrypted(key.options(context)
            .allowUnauthenticatedV1Reads(allowV1).build())
            .buildEncryptedTableClient();
        TableEntity found;
        try {
            found = client.getEntity(entity.partitionKey, entity.rowKey);
        } catch (RuntimeException e) {
            throw key.explain(storage.notFound(e, entity.partitionKey, entity.rowKey));
        }
        context.out().println(EntityJson.write(found));
        return ExitCode.OK.code();
    }
}
