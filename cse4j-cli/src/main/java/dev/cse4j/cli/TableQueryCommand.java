package dev.cse4j.cli;

import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import dev.cse4j.table.EncryptedTableClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "query", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Query table T (all entities, or those --filter selects), verify and decrypt each entity's encrypted "
            + "properties, and print each entity as one JSON object on its own line, as 'table get' prints one, "
            + "as soon as its page is read.",
        "The filter sees stored values: encrypted properties cannot be filtered on. --select returns only the "
            + "properties named (PartitionKey and RowKey only if named).",
        "The query stops at the first entity that cannot be read, after printing the ones before it: exit 3 if it "
            + "was modified, 4 if its key is not in --key, 5 if it is not encrypted or is legacy protocol 1.0 "
            + "without --allow-v1."})
final class TableQueryCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--table", required = true, paramLabel = "T", converter = Names.Table.class,
        description = "Table name.")
    String table;

    @Mixin
    ReadKeyOptions key;

    @Option(names = "--filter", paramLabel = "ODATA",
        description = "Only the entities this OData filter selects, e.g. \"PartitionKey eq 'p1'\".")
    String filter;

    @Option(names = "--select", paramLabel = "A,B", split = ",",
        description = "Only these properties (names separated by commas).")
    List<String> select;

    @Option(names = "--allow-v1",
        description = "Also decrypt legacy protocol 1.0 entities (AES-CBC: unauthenticated, modifiable undetectably).")
    boolean allowV1;

    @Mixin
    ConnectionOptions connection;

    TableQueryCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        TableStorage storage = new TableStorage(context.connectionString(connection.connectionString), table);
        EncryptedTableClient client = storage.encrypted(key.options(context)
            .allowUnauthenticatedV1Reads(allowV1).build()).buildEncryptedTableClient();
        try {
            for (TableEntity entity : client.listEntities(new ListEntitiesOptions().setFilter(filter)
                .setSelect(select), null, null)) {
                context.out().println(EntityJson.write(entity));
            }
        } catch (RuntimeException e) {
            context.out().flush();
            throw key.explain(storage.notFound(e));
        }
        return ExitCode.OK.code();
    }
}
