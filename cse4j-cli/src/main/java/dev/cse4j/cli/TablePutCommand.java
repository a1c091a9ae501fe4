package dev.cse4j.cli;

import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.TableEncryptionFormat;
import dev.cse4j.core.implementation.TerminalText;
import dev.cse4j.table.EncryptedTableClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "put", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Store entity (PK, RK) in table T, replacing it whole if it exists. Values are strings. The table is "
            + "created when missing.",
        "Without --encrypt every --set property is encrypted (the safe default); with --encrypt only the named "
            + "ones are, the others are stored as plain strings. PartitionKey and RowKey are never encrypted.",
        "Default format: cse4j's authenticated format (AES-256-GCM, each value bound to its entity and property "
            + "name; read by cse4j). --legacy-v1 writes the legacy protocol 1.0 (AES-CBC, unauthenticated) that "
            + "the .NET 9.x, Java 8.x and Python cosmosdb-table SDKs read."})
final class TablePutCommand implements Callable<Integer> {
    private static final Set<String> SYSTEM_PROPERTIES = Set.of("PartitionKey", "RowKey", "Timestamp");

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    EntityOptions entity;

    @Option(names = "--set", required = true, paramLabel = "NAME=VALUE",
        description = "A string property (repeat for more; VALUE may contain '=' and may be empty).")
    List<String> assignments;

    @Option(names = "--encrypt", split = ",", paramLabel = "NAME",
        description = "Encrypt only these properties (comma-separated or repeated); default: every --set property.")
    List<String> encrypt;

    @Mixin
    WriteKeyOptions key;

    @Option(names = "--legacy-v1",
        description = "Write the legacy protocol 1.0 table format (AES-CBC, unauthenticated), for old readers.")
    boolean legacyV1;

    @Mixin
    ConnectionOptions connection;

    TablePutCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Map<String, String> properties = properties();
        Set<String> encrypted = encrypted(properties);
        WriteKeyOptions.WritingKey writing = key.load(context);
        TableStorage storage = new TableStorage(context.connectionString(connection.connectionString),
            entity.table);
        ClientSideEncryptionOptions options = writing.options().tableFormat(legacyV1
            ? TableEncryptionFormat.LEGACY_V1_UNAUTHENTICATED : TableEncryptionFormat.AUTHENTICATED).build();
        EncryptedTableClient client = storage.encrypted(options)
            .encryptionResolver((pk, rk, name) -> encrypted.contains(name)).buildEncryptedTableClient();
        TableEntity row = new TableEntity(entity.partitionKey, entity.rowKey);
        properties.forEach(row::addProperty);
        try {
            storage.upsertCreatingTable(() -> client.upsertEntityWithResponse(row, TableEntityUpdateMode.REPLACE,
                null, null));
        } catch (EncryptionPolicyException e) {
            if (e.getReason() == EncryptionPolicyException.Reason.RESERVED_NAME) {
                // refused before any request: a usage error
                throw usage("--set: " + TerminalText.oneLine(e.getMessage()));
            }
            throw e;
        }
        List<String> plain = new ArrayList<>(properties.keySet());
        plain.removeAll(encrypted);
        context.out().println("Stored entity (" + entity.partitionKey + ", " + entity.rowKey + ") in table '"
            + storage.name() + "': encrypted " + String.join(", ", encrypted) + (plain.isEmpty() ? "" : "; plain "
            + String.join(", ", plain)) + " (" + (legacyV1 ? "legacy 1.0 format" : "authenticated format") + ", "
            + writing.describe() + ").");
        return ExitCode.OK.code();
    }

    private Map<String, String> properties() {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String assignment : assignments) {
            int equals = assignment.indexOf('=');
            if (equals <= 0) {
                throw usage("--set takes NAME=VALUE, not '" + assignment + "'.");
            }
            String name = assignment.substring(0, equals);
            if (SYSTEM_PROPERTIES.contains(name)) {
                throw usage("--set " + name + " is not allowed: PartitionKey and RowKey have their own options and "
                    + "the service sets Timestamp.");
            }
            if (properties.put(name, assignment.substring(equals + 1)) != null) {
                throw usage("--set " + name + " is given twice.");
            }
        }
        return properties;
    }

    private Set<String> encrypted(Map<String, String> properties) {
        if (encrypt == null) {
            return new LinkedHashSet<>(properties.keySet());
        }
        Set<String> names = new LinkedHashSet<>();
        for (String name : encrypt) {
            if (!properties.containsKey(name)) {
                throw usage("--encrypt " + name + " names no --set property (set: "
                    + String.join(", ", properties.keySet()) + ").");
            }
            names.add(name);
        }
        return names;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
