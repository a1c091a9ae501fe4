package dev.cse4j.packaging;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.data.tables.models.TableEntity;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.models.PeekedMessageItem;
import dev.cse4j.keys.JsonWebKey;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Java sample, exactly as printed (taken from README.md now, so the README cannot drift from the
 * code): its {@code import} lines and the statements after them, as the body of a {@code main} method, compile
 * against the libraries and run on a fresh, empty Azurite, in a working directory that holds what the sample says
 * it needs (my-kek.jwk, made as {@code cse4j key generate} makes it, and report.pdf). It must create every
 * container, queue and table it uses, and what it stores must be encrypted.
 */
class ReadmeSampleTest {
    /** The repository root: tests run in cse4j-cli. */
    private static final Path README = Path.of("..", "README.md").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /** The first {@code ```java} block of the README. */
    static String sample() throws Exception {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int start = readme.indexOf("```java\n");
        assertThat(start).as("a ```java block in " + README).isNotNegative();
        int end = readme.indexOf("\n```", start + 8);
        return readme.substring(start + 8, end + 1);
    }

    /** The sample as a class: its leading import lines, then the rest as the body of {@code main}. */
    static String asProgram(String sample) {
        List<String> imports = new ArrayList<>();
        List<String> body = new ArrayList<>();
        for (String line : sample.split("\n", -1)) {
            if (body.isEmpty() && (line.startsWith("import ") || line.isBlank())) {
                imports.add(line);
            } else {
                body.add("        " + line);
            }
        }
        return String.join("\n", imports) + "\n\npublic final class ReadmeSample {\n"
            + "    public static void main(String[] args) throws Exception {\n" + String.join("\n", body)
            + "\n    }\n}\n";
    }

    @Test
    void readmeSample_asPrinted_compilesAndRunsOnAnEmptyAzurite() throws Exception {
        String sample = sample();
        assertThat(sample).contains("EncryptedBlobServiceClientBuilder", "EncryptedQueueClientBuilder",
            "EncryptedTableClientBuilder", "my-kek.jwk", "report.pdf");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Javac.Result compiled = Javac.compile(classes, List.of("-classpath", System.getProperty("java.class.path")),
            Map.of("ReadmeSample.java", asProgram(sample)));
        assertThat(compiled.success()).as(compiled.toString()).isTrue();

        Path work = Files.createDirectories(dir.resolve("work"));
        JsonWebKey.generateAes(256, "my-kek").writeTo(work.resolve("my-kek.jwk"), false);
        byte[] report = TestData.random(100_000, 11);
        Files.write(work.resolve("report.pdf"), report);

        try (Azurite azurite = Azurite.start()) {
            ProcessBuilder run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"), "ReadmeSample")
                .directory(work.toFile()).redirectErrorStream(true);
            run.environment().put("AZURE_STORAGE_CONNECTION_STRING", azurite.connectionString());
            Process process = run.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as(output).isZero();

            assertThat(Files.readAllBytes(work.resolve("copy.pdf"))).isEqualTo(report);
            BlobClient stored = new BlobServiceClientBuilder().connectionString(azurite.connectionString())
                .buildClient().getBlobContainerClient("docs").getBlobClient("report.pdf");
            assertThat(stored.getProperties().getMetadata()).containsKey("encryptiondata");
            String storedHex = HexFormat.of().formatHex(stored.downloadContent().toBytes());
            assertThat(storedHex).doesNotContain(HexFormat.of().formatHex(report, 0, 16));

            QueueClient queue = new QueueClientBuilder().connectionString(azurite.connectionString())
                .queueName("jobs").buildClient();
            PeekedMessageItem message = queue.peekMessage();
            assertThat(message.getBody().toString()).contains("EncryptedMessageContents").doesNotContain("hello");

            TableClient table = new TableClientBuilder().connectionString(azurite.connectionString())
                .tableName("customers").buildClient();
            TableEntity entity = table.getEntity("p", "r");
            assertThat(entity.getProperty("Ssn")).isInstanceOf(byte[].class);
            assertThat(new String((byte[]) entity.getProperty("Ssn"), StandardCharsets.ISO_8859_1))
                .doesNotContain("123-45-6789");
            assertThat(entity.getProperties()).containsKey("_ClientEncryptionMetadata1");
        }
    }
}
