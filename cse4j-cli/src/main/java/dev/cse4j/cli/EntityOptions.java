package dev.cse4j.cli;

import picocli.CommandLine.Option;

/** {@code --table T --partition-key PK --row-key RK}: the entity. */
final class EntityOptions {
    @Option(names = "--table", required = true, paramLabel = "T", converter = Names.Table.class,
        description = "Table name.")
    String table;

    @Option(names = "--partition-key", required = true, paramLabel = "PK", description = "PartitionKey.")
    String partitionKey;

    @Option(names = "--row-key", required = true, paramLabel = "RK", description = "RowKey.")
    String rowKey;
}
