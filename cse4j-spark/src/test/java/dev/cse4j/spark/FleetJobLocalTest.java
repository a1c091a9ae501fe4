package dev.cse4j.spark;

import com.azure.data.tables.TableClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.specialized.cryptography.EncryptionVersion;
import dev.cse4j.blob.BlobListing;
import dev.cse4j.blob.BlobRef;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.fleet.FleetAction;
import dev.cse4j.fleet.FleetOptions;
import dev.cse4j.keys.AesKeyWrapKey;
import dev.cse4j.keys.JsonWebKeySet;
import dev.cse4j.spark.testing.SparkInstallation;
import dev.cse4j.spark.testing.TestSpark;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.KeyVaultClients;
import dev.cse4j.testing.KeyVaultExtension;
import dev.cse4j.testing.KeyVaultOperation;
import dev.cse4j.testing.KeyVaultServer;
import dev.cse4j.testing.TestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fleet job on {@code local[2]} (tasks on two threads of this JVM) against Azurite, over blobs written by
 * Microsoft's clients (12.32.1 V2 and V2_1, legacy 8.6.6 v1), by cse4j and unencrypted, and table entities written
 * by Microsoft's Java 8 SDK (8.6.6, 1.0), by cse4j ({@code cse4j-t1}) and unencrypted: each operation's report
 * lines are the CLI's lines of the library run over an identical twin container or table, the exit code is the
 * CLI's, and a rerun skips what is done.
 */
@ExtendWith(AzuriteExtension.class)
class FleetJobLocalTest {
    @RegisterExtension
    static final KeyVaultExtension KEY_VAULT = new KeyVaultExtension();

    private static SparkSession spark;
    private static FleetData data;
    private static Path reports;

    @BeforeAll
    static void start(Azurite azurite) {
        data = FleetData.create("local", azurite, SparkInstallation.workDirectory(), azurite.connectionString());
        reports = SparkInstallation.workDirectory().resolve("reports");
        spark = TestSpark.local("fleet-local").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void inventory_reportsEachBlobAsBlobListJson_fromTheListingAlone() {
        BlobContainerClient container = data.fill("lm-inventory", 2);

        JobRun run = job("inventory", "--container", "lm-inventory", "--listing-units", "3",
            "--objects-per-partition", "2", "--connection-string-file", data.storageFile.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        Map<String, String> expected = new TreeMap<>();
        BlobListing.list(container, (String) null).forEachRemaining((BlobRef ref) -> expected.put(ref.getName(),
            ref.toListingJson()));
        Map<String, String> reported = new TreeMap<>();
        run.lines().forEach(line -> reported.put(name(line), line.substring(0, line.lastIndexOf(",\"container\":"))
            + "}"));
        assertThat(reported).isEqualTo(expected);
        assertThat(run.out()).contains("cse4j-spark inventory of container lm-inventory: 12 objects",
            "protocol 1.0, key '" + data.oldKeyId + "': 2", "protocol 2.0, key '" + data.oldKeyId + "': 4",
            "protocol 2.1, key '" + data.oldKeyId + "': 4", "not encrypted: 2");
    }

    @Test
    void rewrap_dryRunThenRewrapThenRerun_reportTheLibrarysLines_andTheRerunSkipsEverything() {
        BlobContainerClient job = data.fill("lm-rewrap", 2);
        BlobContainerClient twin = data.fill("lm-rewrap-twin", 2);
        String[] rewrap = {"rewrap", "--container", "lm-rewrap", "--key", data.keyFile.toString(),
            "--new-key", data.newKeyFile.toString(), "--connection-string-file", data.storageFile.toString(),
            "--objects-per-partition", "3", "--concurrency", "2"};

        JobRun dryRun = job(concat(rewrap, "--dry-run"));
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(dryRun.cliLines("lm-rewrap")).isEqualTo(JobRun.library(twin,
            FleetOptions.builder(FleetAction.REWRAP).dryRun(true).build(), data.libraryKeys(true).build(), null))
            .containsValue(dryRunLine(twin));
        assertThat(ReportFormat.JSON.read(spark, dryRun.report().toString(), ReportRows.FLEET, "result", "reason")
            .collectAsList()).as("the JSON report read back: a null reason where there is none").hasSize(12)
            .allSatisfy(row -> assertThat(row.isNullAt(1)).as(row.toString())
                .isEqualTo(row.getString(0).equals("would-rewrap")));

        JobRun done = job(rewrap);
        assertThat(done.exitCode()).as(done.toString()).isZero();
        assertThat(done.cliLines("lm-rewrap")).isEqualTo(JobRun.library(twin, FleetOptions.of(FleetAction.REWRAP),
            data.libraryKeys(true).build(), null));
        assertThat(done.out()).contains("cse4j-spark rewrap of container lm-rewrap: 12 objects: 10 rewrapped, "
            + "2 skipped");

        JobRun rerun = job(rewrap);
        assertThat(rerun.exitCode()).isZero();
        assertThat(rerun.lines()).hasSize(12).allSatisfy(line -> assertThat(line).contains("\"result\":\"skipped\""));
        assertThat(rerun.cliLines("lm-rewrap")).isEqualTo(JobRun.library(twin, FleetOptions.of(FleetAction.REWRAP),
            data.libraryKeys(true).build(), null));
        data.expected.get("lm-rewrap").forEach((name, sha256) -> assertThat(TestData.sha256Hex(
            data.reader(job, name).downloadContent().toBytes())).as(name).isEqualTo(sha256));
    }

    @Test
    void migrate_everyWriter_yieldsProtocol2UnderTheNewKey_thatMicrosoftsClientReads_asTheLibraryReports() {
        BlobContainerClient job = data.fill("lm-migrate", 1);
        BlobContainerClient twin = data.fill("lm-migrate-twin", 1);
        String[] migrate = {"migrate", "--container", "lm-migrate", "--key", data.keyFile.toString(),
            "--new-key", data.newKeyFile.toString(), "--include-unencrypted",
            "--connection-string-file", data.storageFile.toString(), "--objects-per-partition", "2"};

        JobRun run = job(migrate);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.cliLines("lm-migrate")).isEqualTo(JobRun.library(twin, FleetOptions.builder(
            FleetAction.MIGRATE).includeUnencrypted(true).build(), data.libraryKeys(true).build(), null));
        assertThat(run.lines()).hasSize(6).allSatisfy(line -> assertThat(line).contains("\"result\":\"migrated\"",
            "\"to\":{\"protocol\":\"2.0\",\"keyId\":\"" + data.newKeyId + "\"}"));
        data.expected.get("lm-migrate").forEach((name, sha256) -> assertThat(TestData.sha256Hex(
            new com.azure.storage.blob.specialized.cryptography.EncryptedBlobClientBuilder(EncryptionVersion.V2)
                .blobClient(job.getBlobClient(name)).key(AesKeyWrapKey.of(data.newKeyId, data.newKeyBytes)
                    .asAsync(), "A256KW").buildEncryptedBlobClient().downloadContent().toBytes()))
            .as(name).isEqualTo(sha256));

        JobRun rerun = job(migrate);
        assertThat(rerun.lines()).hasSize(6).allSatisfy(line -> assertThat(line).contains(
            "\"result\":\"skipped\"", "\"reason\":\"already done\""));
    }

    @Test
    void verify_tamperedBlobAmongGoodOnes_failsWithIntegrity_exit3_asTheLibraryReports() {
        BlobContainerClient job = data.fill("lm-verify", 1);
        BlobContainerClient twin = data.fill("lm-verify-twin", 1);
        data.tamper(job, "dir0/cse4j_v2_0-0");
        data.tamper(twin, "dir0/cse4j_v2_0-0");

        JobRun run = job("verify", "--container", "lm-verify", "--key", data.keyFile.toString(), "--allow-v1",
            "--connection-string-file", data.storageFile.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.cliLines("lm-verify")).isEqualTo(JobRun.library(twin, FleetOptions.of(FleetAction.VERIFY),
            data.libraryKeys(false).allowUnauthenticatedV1Reads(true).build(), null));
        assertThat(run.lines()).filteredOn(line -> line.contains("\"result\":\"failed\"")).hasSize(2)
            .anySatisfy(line -> assertThat(line).contains("\"name\":\"dir0/cse4j_v2_0-0\"",
                "\"failureClass\":\"integrity\""))
            .anySatisfy(line -> assertThat(line).contains("\"name\":\"plain-0\"", "\"failureClass\":\"policy\""));
        assertThat(run.out()).contains("6 objects: 4 verified, 2 failed (1 integrity, 1 policy)");
    }

    @Test
    void verify_withoutTheKey_exit4_andV1WithoutAllowV1_exit5() {
        data.fill("lm-exit", 1);
        FleetData other = FleetData.create("local-other", data.azurite, SparkInstallation.workDirectory(),
            data.azurite.connectionString());

        JobRun noKey = job("verify", "--container", "lm-exit", "--prefix", "dir", "--key", other.keyFile.toString(),
            "--connection-string-file", data.storageFile.toString());
        JobRun noAllowV1 = job("verify", "--container", "lm-exit", "--name", "legacy_v1-0", "--key",
            data.keyFile.toString(), "--connection-string-file", data.storageFile.toString());

        assertThat(noKey.exitCode()).as(noKey.toString()).isEqualTo(4);
        assertThat(noKey.lines()).hasSize(4).allSatisfy(line -> assertThat(line).startsWith("{\"name\":\"dir")
            .contains("\"result\":\"failed\"", "\"failureClass\":\"key_not_found\""));
        assertThat(noAllowV1.exitCode()).as(noAllowV1.toString()).isEqualTo(5);
        assertThat(noAllowV1.lines()).singleElement().asString().contains("\"name\":\"legacy_v1-0\"",
            "\"failureClass\":\"policy\"");
    }

    @Test
    void keyVault_migrateToAVaultKeyThenVerifyByTheVault_executorsBuildTheirOwnClients_atMostKeyVaultCallsInFlight() {
        KeyVaultServer vault = KEY_VAULT.server();
        String kid = vault.createRsaKey("fleet-kek", 2048);
        BlobContainerClient job = data.fill("lm-vault", 2);
        BlobContainerClient twin = data.fill("lm-vault-twin", 2);
        String[] keyVault = {"--key-vault-client-factory", LoopbackKeyVaultClients.class.getName(),
            "--key-vault-calls", "2", "--concurrency", "8", "--objects-per-partition", "6",
            "--connection-string-file", data.storageFile.toString()};
        LoopbackKeyVaultClients.use(vault);

        JobRun migrate = job(concat(new String[] {"migrate", "--container", "lm-vault", "--key",
            data.keyFile.toString(), "--new-key-vault-key", kid, "--include-unencrypted"}, keyVault));
        int migratePeak = LoopbackKeyVaultClients.peak();
        LoopbackKeyVaultClients.use(vault);
        vault.resetCounts();
        JobRun verify = job(concat(new String[] {"verify", "--container", "lm-vault", "--key-vault"}, keyVault));
        int verifyPeak = LoopbackKeyVaultClients.peak();
        long unwraps = vault.calls(KeyVaultOperation.UNWRAP_KEY, "fleet-kek");

        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        var vaultKey = KeyVaultClients.keyEncryptionKeyClientBuilder(vault).buildKeyEncryptionKey(kid);
        assertThat(migrate.cliLines("lm-vault")).isEqualTo(JobRun.library(twin, FleetOptions.builder(
            FleetAction.MIGRATE).includeUnencrypted(true).build(), data.libraryKeys(false).key(vaultKey, "RSA-OAEP")
            .build(), null));
        assertThat(migrate.lines()).hasSize(12).allSatisfy(line -> assertThat(line).contains(
            "\"result\":\"migrated\"", "\"to\":{\"protocol\":\"2.0\",\"keyId\":\"" + kid));
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.cliLines("lm-vault")).isEqualTo(JobRun.library(twin, FleetOptions.of(FleetAction.VERIFY),
            ClientSideEncryptionOptions.builder().keyResolver(KeyVaultClients.keyEncryptionKeyClientBuilder(vault))
                .build(), null));
        assertThat(verify.out()).contains("12 objects: 12 verified");
        assertThat(unwraps).as("one unwrap in the vault per object")
            .isEqualTo(12);
        assertThat(List.of(migratePeak, verifyPeak)).as("Key Vault requests in flight at once")
            .allSatisfy(peak -> assertThat(peak).isBetween(1, 2));
    }

    @Test
    void tables_java8V1AndCse4jEntities_rewrapPartlyThenRerun_thenMigrate_reportTheLibrarysLines_andRead() {
        TableClient job = data.fillTable("lmtables", 2);
        TableClient twin = data.fillTable("lmtablestwin", 2);
        String[] common = {"--table", "lmtables", "--connection-string-file", data.storageFile.toString(),
            "--listing-units", "3", "--objects-per-partition", "2", "--concurrency", "2"};
        String[] rewrap = concat(new String[] {"rewrap", "--key", data.keyFile.toString(), "--new-key",
            data.newKeyFile.toString()}, common);
        String partly = "PartitionKey lt 'b'";
        FleetOptions rewrapOptions = FleetOptions.of(FleetAction.REWRAP);
        ClientSideEncryptionOptions newKeyReads = ClientSideEncryptionOptions.builder()
            .keyResolver(JsonWebKeySet.read(data.newKeyFile).resolver()).build();

        // an interrupted rotation (only PartitionKeys below 'b'), then the whole table: the rerun skips what is done
        JobRun first = job(concat(rewrap, "--filter", partly));
        Map<String, String> twinFirst = JobRun.library(twin, rewrapOptions, data.libraryKeys(true).build(), partly);
        JobRun rerun = job(rewrap);
        Map<String, String> twinRerun = JobRun.library(twin, rewrapOptions, data.libraryKeys(true).build(), null);
        // migrate reading with the new key alone: the Java 8 SDK's 1.0 entities become cse4j-t1 under it
        JobRun migrate = job(concat(new String[] {"migrate", "--key", data.newKeyFile.toString()}, common));
        Map<String, String> twinMigrate = JobRun.library(twin, FleetOptions.of(FleetAction.MIGRATE), newKeyReads,
            null);

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.cliLines("lmtables")).isEqualTo(twinFirst).hasSize(2)
            .allSatisfy((keys, line) -> assertThat(line).contains("\"result\":\"rewrapped\""));
        assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
        assertThat(rerun.cliLines("lmtables")).isEqualTo(twinRerun).hasSize(6);
        assertThat(rerun.out()).contains("cse4j-spark rewrap of table lmtables: 6 objects: 2 rewrapped, 4 skipped");
        assertThat(rerun.lines()).filteredOn(line -> line.contains("\"reason\":\"already done\"")).hasSize(2)
            .allSatisfy(line -> assertThat(line).startsWith("{\"partitionKey\":\"a-p").contains(
                "\"table\":\"lmtables\"", "\"executor\":\"driver\"", "\"millis\":"));
        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        assertThat(migrate.cliLines("lmtables")).isEqualTo(twinMigrate).hasSize(6);
        assertThat(migrate.lines()).filteredOn(line -> line.contains("\"result\":\"migrated\"")).hasSize(2)
            .allSatisfy(line -> assertThat(line).contains("\"rowKey\":\"java8_v1-", "\"from\":{\"protocol\":\"1.0\"",
                "\"to\":{\"protocol\":\"cse4j-t1\",\"keyId\":\"" + data.newKeyId + "\"}"));
        data.expectedEntities.get("lmtables").forEach((keys, secret) -> {
            String[] pkRk = keys.split("\\|");
            assertThat(data.tableReader(job).getEntity(pkRk[0], pkRk[1]).getProperty("Secret")).as(keys)
                .isEqualTo(secret);
        });
    }

    @Test
    void parquetReport_hasTheColumns_andTwoContainersInOneJob() {
        data.fill("lm-parquet-a", 1);
        data.fill("lm-parquet-b", 1);

        JobRun run = job("migrate", "--container", "lm-parquet-a", "--container", "lm-parquet-b", "--key",
            data.keyFile.toString(), "--dry-run", "--report-format", "parquet",
            "--connection-string-file", data.storageFile.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<Row> rows = spark.read().parquet(run.report().toString()).collectAsList();
        assertThat(rows).hasSize(12);
        assertThat(rows.get(0).schema().fieldNames()).containsExactly("container", "table", "name", "partitionKey",
            "rowKey",
            "result", "from", "to", "reason", "failureClass", "executor", "host", "startedAt", "millis");
        List<String> summary = new ArrayList<>();
        rows.forEach(row -> summary.add(row.getAs("container") + " " + row.getAs("name") + " " + row.getAs("result")
            + " " + row.getStruct(row.fieldIndex("from")).getAs("protocol")
            + (row.isNullAt(row.fieldIndex("to")) ? "" : " -> " + row.getStruct(row.fieldIndex("to"))
            .getAs("protocol"))));
        assertThat(summary).contains("lm-parquet-a legacy_v1-0 would-migrate 1.0 -> 2.0",
            "lm-parquet-b dir1/microsoft_v2_1-0 would-migrate 2.1 -> 2.0",
            "lm-parquet-b dir0/microsoft_v2-0 skipped 2.0");
        assertThat(rows).allSatisfy(row -> assertThat((String) row.getAs("executor")).isEqualTo("driver"))
            .allSatisfy(row -> assertThat(row.isNullAt(row.fieldIndex("reason"))).as(row.toString())
                .isEqualTo(row.getAs("result").equals("would-migrate")));
    }

    @Test
    void usageErrors_exit2_beforeAnyTask_andWhatTheyQuoteIsEscaped() {
        JobRun noNewKey = job("rewrap", "--container", "c", "--key", data.keyFile.toString());
        JobRun nameAndPrefix = job("verify", "--container", "c", "--key", data.keyFile.toString(), "--name", "a",
            "--prefix", "b");
        JobRun unknown = job("rotate", "--container", "c");
        JobRun hostile = job("rot\u001b[2J\u2028ate\u202e\u0378", "--container", "c");
        JobRun twoNewKeys = job("migrate", "--container", "c", "--key-vault", "--new-key", data.newKeyFile.toString(),
            "--new-key-vault-key", "https://127.0.0.1:1/keys/k/0");
        JobRun verifyTable = job("verify", "--table", "t", "--key", data.keyFile.toString());
        JobRun filterWithoutTable = job("migrate", "--container", "c", "--key", data.keyFile.toString(), "--filter",
            "PartitionKey eq 'p'");
        JobRun missingTable = job("migrate", "--table", "nosuchtable", "--key", data.keyFile.toString(),
            "--connection-string-file", data.storageFile.toString());

        assertThat(missingTable.exitCode()).as(missingTable.toString()).isEqualTo(1);
        assertThat(missingTable.err()).contains("Table 'nosuchtable' does not exist.");
        assertThat(List.of(noNewKey, nameAndPrefix, unknown, hostile, twoNewKeys, verifyTable, filterWithoutTable))
            .allSatisfy(run -> {
                assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
                assertThat(run.report()).doesNotExist();
            });
        assertThat(noNewKey.err()).contains("rewrap needs --new-key FILE or --new-key-vault-key KID.");
        assertThat(nameAndPrefix.err()).contains("--name and --prefix exclude each other");
        assertThat(unknown.err()).contains("Unknown operation 'rotate'");
        assertThat(hostile.err()).as("one line, escaped as the CLI escapes: control, bidi and unassigned characters")
            .contains("Unknown operation 'rot\\x1b[2J ate\\u{202e}\\u{0378}'")
            .doesNotContain("\u001b", "\u2028", "\u202e", "\u0378");
        assertThat(twoNewKeys.err()).contains("--new-key and --new-key-vault-key exclude each other");
        assertThat(verifyTable.err()).contains("--table applies to rewrap and migrate");
        assertThat(filterWithoutTable.err()).contains("--filter selects entities: give --table T too.");
    }

    private static JobRun job(String... args) {
        return JobRun.run(spark, reports, args);
    }

    private static String[] concat(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    private static String dryRunLine(BlobContainerClient twin) {
        return "{\"name\":\"dir0/microsoft_v2-0\",\"result\":\"would-rewrap\",\"from\":{\"protocol\":\"2.0\","
            + "\"keyId\":\"" + data.oldKeyId + "\"},\"to\":{\"protocol\":\"2.0\",\"keyId\":\"" + data.newKeyId + "\"},"
            + "\"reason\":null}";
    }

    private static String name(String line) {
        int start = line.indexOf("\"name\":\"") + 8;
        return line.substring(start, line.indexOf('"', start));
    }
}
