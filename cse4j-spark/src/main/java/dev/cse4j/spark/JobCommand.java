package dev.cse4j.spark;

import dev.cse4j.fleet.FleetOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The job's command line: the {@code cse4j blob rewrap|migrate|verify} and {@code cse4j table rewrap|migrate}
 * options (same names, same rules) over one or more containers and tables, plus what only a distributed job has (the
 * report, the partitioning, how executors reach storage). Parsed on the driver into a {@link JobSpec}.
 */
@Command(name = "dev.cse4j.spark.FleetJob", sortOptions = false,
    description = "Runs a cse4j fleet operation over blob containers and tables on a Spark cluster.")
final class JobCommand {
    /** The most a listing page holds (the service's limit). */
    static final int MAX_PAGE = 5000;
    /** Key Vault operations in flight per executor JVM unless {@code --key-vault-calls} says otherwise. */
    static final int DEFAULT_KEY_VAULT_CALLS = 16;

    @Parameters(index = "0", paramLabel = "OPERATION", description = "rewrap, migrate, verify or inventory")
    String operation;

    @Option(names = "--container", paramLabel = "C",
        description = "A container to process (repeat for more).")
    List<String> containers = new ArrayList<>();

    @Option(names = "--table", paramLabel = "T",
        description = "rewrap, migrate: a table to process (repeat for more).")
    List<String> tables = new ArrayList<>();

    @Option(names = "--filter", paramLabel = "ODATA",
        description = "Only the entities this OData filter selects (of each table), as cse4j table --filter.")
    String filter;

    @Option(names = "--name", paramLabel = "N", description = "Only the blob N (of each container).")
    String name;

    @Option(names = "--prefix", paramLabel = "P", description = "Only blobs whose name starts with P.")
    String prefix;

    @Option(names = "--key", paramLabel = "FILE",
        description = "Key file (JSON Web Key or JWK Set) whose keys read; shipped to the executors.")
    Path key;

    @Option(names = "--new-key", paramLabel = "FILE",
        description = "Key file holding the key encryption key that writes; shipped to the executors.")
    Path newKey;

    @Option(names = "--new-key-id", paramLabel = "KID", description = "Which key of --new-key writes.")
    String newKeyId;

    @Option(names = "--key-vault", description = "Resolve stored key ids that --key does not hold in Azure Key "
        + "Vault, each executor with its own credential.")
    boolean keyVault;

    @Option(names = "--new-key-vault-key", paramLabel = "KID",
        description = "Key Vault key id that wraps (instead of --new-key FILE), used by each executor with its own "
            + "credential.")
    String newKeyVaultKey;

    @Option(names = "--key-vault-client-factory", paramLabel = "CLASS",
        description = "A Supplier<KeyEncryptionKeyClientBuilder> on the executors' class path that sets how they "
            + "reach Key Vault (default: DefaultAzureCredential).")
    String keyVaultClientFactory;

    @Option(names = "--key-vault-calls", paramLabel = "N",
        description = "Key Vault operations in flight per executor, at most (default 16).")
    int keyVaultCalls = DEFAULT_KEY_VAULT_CALLS;

    @Option(names = "--wrap-algorithm", paramLabel = "ALG", description = "Key wrap algorithm of the new key.")
    String wrapAlgorithm;

    @Option(names = "--include-unencrypted", description = "migrate: also encrypt blobs that are not encrypted.")
    boolean includeUnencrypted;

    @Option(names = "--allow-v1", description = "verify: read legacy, unauthenticated protocol 1.0 blobs.")
    boolean allowV1;

    @Option(names = "--concurrency", paramLabel = "N", description = "Objects in flight per task (default 8).")
    int concurrency = FleetOptions.DEFAULT_CONCURRENCY;

    @Option(names = "--dry-run", description = "rewrap, migrate: report what would be written, write nothing.")
    boolean dryRun;

    @Option(names = "--report", required = true, paramLabel = "PATH",
        description = "Directory for the report, reachable by every executor (replaced if it exists).")
    String report;

    @Option(names = "--report-format", paramLabel = "FORMAT", description = "json (default) or parquet.")
    String reportFormat = "json";

    @Option(names = "--objects-per-partition", paramLabel = "N",
        description = "Objects per task: the listing page size, 1 to 5000 (default 1000).")
    int objectsPerPartition = 1000;

    @Option(names = "--listing-units", paramLabel = "N",
        description = "Split the listing into at least N prefixes where directories allow (default 4 x the "
            + "cluster's cores).")
    Integer listingUnits;

    @Option(names = "--listing-depth", paramLabel = "N",
        description = "Split at most N directory levels deep (default 3).")
    int listingDepth = 3;

    @Option(names = "--connection-string-file", paramLabel = "FILE",
        description = "File holding the storage connection string, shipped to the executors (default: the "
            + "environment variable AZURE_STORAGE_CONNECTION_STRING of the driver and of every executor).")
    Path connectionStringFile;

    /**
     * Parses the arguments.
     *
     * @throws CommandLine.ParameterException for unknown or missing options and options that do not fit together
     */
    static JobCommand parse(String[] args) {
        JobCommand command = new JobCommand();
        CommandLine line = new CommandLine(command);
        line.parseArgs(args);
        command.check(line);
        return command;
    }

    JobAction action() {
        return JobAction.parse(operation);
    }

    ReportFormat format() {
        return ReportFormat.parse(reportFormat);
    }

    /** The spec the tasks carry: file names, not paths (executors find the shipped copies by name). */
    JobSpec spec() {
        return new JobSpec(UUID.randomUUID().toString(), action(), containers, tables, filter, name, prefix, dryRun,
            includeUnencrypted, concurrency,
            new KeySpec(fileName(key), fileName(newKey), newKeyId, wrapAlgorithm, allowV1, keyVault, newKeyVaultKey,
                new KeyVaultAccess(keyVaultClientFactory, keyVaultCalls)),
            new StorageSpec(fileName(connectionStringFile), StorageSpec.DEFAULT_VARIABLE), objectsPerPartition);
    }

    private static String fileName(Path file) {
        return file == null ? null : file.getFileName().toString();
    }

    private void check(CommandLine line) {
        JobAction action;
        try {
            action = action();
            format();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(line, e.getMessage());
        }
        String op = action.commandName();
        refuse(line, containers.isEmpty() && tables.isEmpty(), op + " needs --container C or --table T.");
        refuse(line, !tables.isEmpty() && action != JobAction.REWRAP && action != JobAction.MIGRATE,
            "--table applies to rewrap and migrate (as cse4j table rewrap|migrate); " + op + " takes containers.");
        refuse(line, filter != null && tables.isEmpty(), "--filter selects entities: give --table T too.");
        refuse(line, (name != null || prefix != null) && containers.isEmpty(),
            "--name and --prefix select blobs: give --container C too.");
        refuse(line, name != null && prefix != null, "--name and --prefix exclude each other: give one or neither.");
        boolean writes = newKey != null || newKeyVaultKey != null;
        refuse(line, action != JobAction.INVENTORY && key == null && !keyVault, op + " needs --key FILE or "
            + "--key-vault.");
        refuse(line, action == JobAction.INVENTORY && (key != null || keyVault || writes),
            "inventory reads the listing only: it takes no --key, --key-vault, --new-key or --new-key-vault-key.");
        refuse(line, newKey != null && newKeyVaultKey != null,
            "--new-key and --new-key-vault-key exclude each other: give the one key that wraps.");
        refuse(line, action == JobAction.REWRAP && !writes, "rewrap needs --new-key FILE or --new-key-vault-key KID.");
        refuse(line, writes && action != JobAction.REWRAP && action != JobAction.MIGRATE,
            "--new-key and --new-key-vault-key apply to rewrap and migrate.");
        refuse(line, newKey == null && newKeyId != null, "--new-key-id chooses a key of --new-key FILE: give it too.");
        refuse(line, !writes && wrapAlgorithm != null,
            "--wrap-algorithm chooses how the new key wraps: give --new-key FILE or --new-key-vault-key KID too.");
        refuse(line, includeUnencrypted && action != JobAction.MIGRATE, "--include-unencrypted applies to migrate.");
        refuse(line, includeUnencrypted && containers.isEmpty(), "--include-unencrypted applies to blobs "
            + "(--container): which properties of an unencrypted entity to encrypt is not known.");
        refuse(line, includeUnencrypted && !writes, "--include-unencrypted needs --new-key FILE or "
            + "--new-key-vault-key KID: the key that encrypts the unencrypted blobs.");
        refuse(line, keyVaultCalls < 1, "--key-vault-calls must be at least 1.");
        refuse(line, keyVaultClientFactory != null && !keyVault && newKeyVaultKey == null,
            "--key-vault-client-factory applies with --key-vault or --new-key-vault-key.");
        refuse(line, allowV1 && action != JobAction.VERIFY, "--allow-v1 applies to verify (migrate reads 1.0 "
            + "anyway).");
        refuse(line, dryRun && action != JobAction.REWRAP && action != JobAction.MIGRATE,
            "--dry-run applies to rewrap and migrate.");
        refuse(line, concurrency < 1 || concurrency > FleetOptions.MAX_CONCURRENCY,
            "--concurrency must be 1 to " + FleetOptions.MAX_CONCURRENCY + ".");
        refuse(line, objectsPerPartition < 1 || objectsPerPartition > MAX_PAGE,
            "--objects-per-partition must be 1 to " + MAX_PAGE + " (a listing page).");
        refuse(line, listingUnits != null && listingUnits < 1, "--listing-units must be at least 1.");
        refuse(line, listingDepth < 0, "--listing-depth must be at least 0.");
        refuse(line, containers.stream().anyMatch(String::isBlank), "--container must not be empty.");
        refuse(line, containers.stream().distinct().count() != containers.size(), "A container is given twice.");
        refuse(line, tables.stream().anyMatch(String::isBlank), "--table must not be empty.");
        refuse(line, tables.stream().distinct().count() != tables.size(), "A table is given twice.");
        refuse(line, key != null && newKey != null && !key.equals(newKey)
            && fileName(key).equals(fileName(newKey)), "--key and --new-key are different files of one name ("
            + fileName(key) + "): executors find shipped files by name; rename one.");
    }

    private static void refuse(CommandLine line, boolean wrong, String message) {
        if (wrong) {
            throw new CommandLine.ParameterException(line, message);
        }
    }
}
