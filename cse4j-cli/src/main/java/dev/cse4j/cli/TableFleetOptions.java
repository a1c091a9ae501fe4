package dev.cse4j.cli;

import picocli.CommandLine.Option;

/** {@code --table T [--filter ODATA] [--json]}: the entities a table fleet command works on, and how it reports. */
final class TableFleetOptions {
    @Option(names = "--table", required = true, paramLabel = "T", converter = Names.Table.class,
        description = "Table name.")
    String table;

    @Option(names = "--filter", paramLabel = "ODATA",
        description = "Only the entities this OData filter selects, e.g. \"PartitionKey eq 'p1'\" (it sees stored "
            + "values: encrypted properties cannot be filtered on). Default: the whole table.")
    String filter;

    @Option(names = "--json",
        description = "One JSON object per line per entity, printed as soon as the entity is done, and nothing "
            + "else: {\"partitionKey\":…,\"rowKey\":…,\"result\":…,\"from\":{\"protocol\":…,\"keyId\":…},"
            + "\"to\":{…},\"reason\":…}.")
    boolean json;
}
