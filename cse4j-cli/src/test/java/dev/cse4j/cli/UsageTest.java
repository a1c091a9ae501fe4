package dev.cse4j.cli;

import dev.cse4j.core.implementation.TerminalText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Help and usage errors: nothing here reaches the storage service. */
class UsageTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "key", "key generate", "blob", "blob upload", "blob download", "blob inspect",
        "queue", "queue send", "queue receive", "table", "table put", "table get"})
    void help_printsUsageOnStdoutAndExits0(String command) {
        String[] args = (command.isEmpty() ? "--help" : command + " --help").split(" ");

        CliRun.Result result = CliRun.run(args);

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("Usage: cse4j" + (command.isEmpty() ? "" : " " + command));
        assertThat(result.err()).isEmpty();
    }

    @Test
    void help_documentsTheExitCodesAndTheDefaults() {
        assertThat(CliRun.run("--help").out()).contains("Exit codes: 0 ok, 1 other", "2 usage", "3 integrity",
            "4 key not found", "5 refused by policy", "AZURE_STORAGE_CONNECTION_STRING", "UseDevelopmentStorage=true");
        assertThat(CliRun.run("queue", "receive", "--help").out()).contains("--max", "default 32");
        assertThat(CliRun.run("table", "put", "--help").out()).contains("every --set property is encrypted");
        assertThat(CliRun.run("table", "get", "--help").out()).contains("Timestamp", "ISO-8601");
    }

    @Test
    void version_printsTheVersion_andTheCryptoProviderOfBlobTransfers() {
        CliRun.Result result = CliRun.run("--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("cse4j ");
        assertThat(result.out().lines().skip(1)).singleElement().asString().startsWith("crypto: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "blob",
        "frobnicate",
        "blob upload --container box --name n --file f",
        "blob upload --container box --name n --file f --key k --unknown-option",
        "blob upload --container box --name n --file f --key k --protocol 1.0",
        "blob upload --container box --name n --file f --key k --protocol 2.0 --region-size 16",
        "blob upload --container box --name n --file f --key k --region-size 15",
        "blob upload --container box --name n --file f --key k --region-size lots",
        "blob download --container box --name n --file f --key k --count 5",
        "blob download --container box --name n --file f --key k --offset -1",
        "blob download --container box --name n --file f --key k --offset 0 --count 0",
        "blob inspect --container c",
        "queue send --queue qqq --key k",
        "queue receive --queue qqq --key k --max 0",
        "table put --table ttt --partition-key p --row-key r --key k",
        "table put --table ttt --partition-key p --row-key r --key k --set novalue",
        "table put --table ttt --partition-key p --row-key r --key k --set a=1 --set a=2",
        "table put --table ttt --partition-key p --row-key r --key k --set RowKey=1",
        "table put --table ttt --partition-key p --row-key r --key k --set a=1 --encrypt b",
        "table get --table ttt --partition-key p --key k",
        "blob upload --container Upper --name n --file f --key k",
        "blob inspect --container a--b --name n",
        "queue send --queue q --message m --key k",
        "table get --table t-1 --partition-key p --row-key r --key k",
        "table put --table tables --partition-key p --row-key r --key k --set a=1"})
    void usageError_printsOneLineEndingWithAHint_andExits2(String command) {
        CliRun.Result result = CliRun.run(command.isEmpty() ? new String[0] : command.split(" "));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).singleElement().asString().startsWith("cse4j: ").containsPattern(
            "\\. Try 'cse4j[a-z ]* --help' for more information\\.$");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "blob upload --container box --name '' --file f --key k",
        "blob download --container box --name '' --file f --key k",
        "blob inspect --container box --name ''",
        "blob upload --container box --name n --file '' --key k",
        "blob download --container box --name n --file '' --key k",
        "blob download --container box --name n --file f --key ''",
        "key generate --type aes256 --kid k --out ''"})
    void emptyNameOrPath_isAUsageError(String command) {
        String[] args = command.split(" ");
        for (int i = 0; i < args.length; i++) {
            args[i] = args[i].equals("''") ? "" : args[i];
        }

        CliRun.Result result = CliRun.run(args);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString().contains("empty");
    }

    @Test
    void usageError_echoingAHugeValue_isOneBoundedLine() {
        String digits = "9".repeat(5000);

        CliRun.Result result = CliRun.run("blob", "download", "--container", "box", "--name", "n", "--file", "f",
            "--key", "k", "--offset", digits);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString().hasSizeLessThanOrEqualTo(TerminalText.MAX_LINE)
            .contains("--offset", "characters left out").endsWith("Try 'cse4j blob download --help' for more "
                + "information.");
    }

    @Test
    void usageErrorsAreCheckedBeforeAnyKeyFileIsRead() {
        CliRun.Result result = CliRun.run("blob", "download", "--container", "box", "--name", "n", "--file", "f",
            "--key", "/no/such/key.jwk", "--count", "5");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--count needs --offset");
    }

    @ParameterizedTest
    @ValueSource(strings = {"blob list --container box", "queue peek --queue qqq --key k.jwk",
        "table query --table ttt --key k.jwk"})
    void connectionStringWithAnEndpointThatIsNotAUrl_exits1_quotingNeitherItsSasNorItsKey_evenWithDebug(
        String command) {
        String endpoint = "http://127.0.0.1:1/devstoreaccount1/not a url?sv=2021-08-06&sig=U0VDUkVUU0FT";
        String connectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey="
            + "U0VDUkVUS0VZ;BlobEndpoint=" + endpoint + ";QueueEndpoint=" + endpoint + ";TableEndpoint=" + endpoint;

        for (String debug : List.of("", " --debug")) {
            CliRun.Result result = CliRun.run(CliRun.args(List.of((command + debug).split(" ")),
                "--connection-string", connectionString));

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
            assertThat(result.errLines().get(0)).as(result.toString()).startsWith(
                "cse4j: The connection string is not valid (the connection string's BlobEndpoint is not a valid URL: "
                    + "Illegal character in path at character 39;");
            assertThat(result.out() + result.err()).doesNotContain("U0VDUkVUU0FT", "U0VDUkVUS0VZ");
        }
    }

    @Test
    void debugFlag_stackTraceEscapesTheMessagesInIt_keepingItsIndentation() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        Commands.printStackTrace(err, new IllegalStateException("blob 'a\u001b[2Jb' failed",
            new RuntimeException("service said \u001b]0;owned\u0007")));

        String trace = bytes.toString(StandardCharsets.UTF_8);
        assertThat(trace).startsWith("java.lang.IllegalStateException: blob 'a\\x1b[2Jb' failed")
            .contains("\tat dev.cse4j.cli.UsageTest.", "Caused by: java.lang.RuntimeException: service said "
                + "\\x1b]0;owned\\x07")
            .doesNotContain("\u001b", "\u0007");
    }

    @Test
    void debugFlag_addsTheStackTraceToTheOneLineError() {
        CliRun.Result plain = CliRun.run("blob", "upload", "--container", "box", "--name", "n", "--file", "/no/such",
            "--key", "/no/such/key.jwk");
        CliRun.Result debug = CliRun.run("blob", "upload", "--container", "box", "--name", "n", "--file", "/no/such",
            "--key", "/no/such/key.jwk", "--debug");

        assertThat(plain.exitCode()).isEqualTo(1);
        assertThat(plain.errLines()).hasSize(1);
        assertThat(debug.exitCode()).isEqualTo(1);
        assertThat(debug.err()).contains("\tat dev.cse4j.cli.");
    }
}
