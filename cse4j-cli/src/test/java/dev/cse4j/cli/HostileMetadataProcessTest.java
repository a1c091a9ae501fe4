package dev.cse4j.cli;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import dev.cse4j.blob.EncryptedBlobClientBuilder;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.keys.JsonWebKeySet;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stored metadata never decides an allocation: {@code bin/cse4j} at {@code -Xmx64m} reads 10 bytes of blobs whose
 * metadata claims 1 GiB regions. Protocol 2.0 (whose regions are 4 MiB) is refused as malformed (exit 3); protocol
 * 2.1 regions longer than the download's bound are refused, saying how to raise it (exit 5); never an
 * OutOfMemoryError. Runs {@code bin/cse4j} (tag {@code process}).
 */
@Tag("process")
@ExtendWith(AzuriteExtension.class)
class HostileMetadataProcessTest {
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path folder;

    @Test
    void tenByteRead_ofBlobsClaimingOneGibRegions_atXmx64m_isRefused_neverOutOfMemory(Azurite azurite)
        throws IOException, InterruptedException {
        Path key = KeyFiles.aes(folder, "hostile");
        BlobContainerClient container = new BlobServiceClientBuilder().connectionString(azurite.connectionString())
            .buildClient().createBlobContainerIfNotExists("hostile");
        ClientSideEncryptionOptions options = ClientSideEncryptionOptions.builder()
            .key(JsonWebKeySet.read(key).single().toKeyEncryptionKey(), "A256KW").build();
        // 65 MiB in 4 MiB regions: more than the default bound (64 MiB) once its metadata claims 1 GiB regions
        upload(container, "v21", options.toBuilder().blobProtocol(EncryptionProtocol.V2_1)
            .blobRegionLength(4 * MIB), TestData.random(65 * MIB, 61));
        upload(container, "v20", options.toBuilder(), TestData.random(100, 62));
        claimOneGibRegions(container.getBlobClient("v21"));
        claimOneGibRegions(container.getBlobClient("v20"));
        Map<String, String> env = Map.of("AZURE_STORAGE_CONNECTION_STRING", azurite.connectionString(),
            "CSE4J_JAVA_OPTS", "-Xmx64m");

        CliRun.Result v21 = Launcher.run(folder, env, "blob", "download", "--container", "hostile", "--name", "v21",
            "--file", folder.resolve("v21.out").toString(), "--key", key.toString(), "--offset", "0", "--count", "10");
        CliRun.Result v20 = Launcher.run(folder, env, "blob", "download", "--container", "hostile", "--name", "v20",
            "--file", folder.resolve("v20.out").toString(), "--key", key.toString(), "--offset", "0", "--count", "10");

        assertThat(v21.exitCode()).as(v21.toString()).isEqualTo(5);
        assertThat(v21.errLines()).singleElement().asString().contains("--max-region-size", "longer")
            .doesNotContain("OutOfMemory", "maxReadRegionLength");
        assertThat(v20.exitCode()).as(v20.toString()).isEqualTo(3);
        assertThat(v20.errLines()).singleElement().asString().contains("2.0", "4194304", "1073741824")
            .doesNotContain("OutOfMemory");
        assertThat(folder.resolve("v21.out")).doesNotExist();
        assertThat(folder.resolve("v20.out")).doesNotExist();
    }

    private static void upload(BlobContainerClient container, String name, ClientSideEncryptionOptions.Builder options,
        byte[] data) {
        new EncryptedBlobClientBuilder().blobClient(container.getBlobClient(name))
            .clientSideEncryptionOptions(options.build()).buildEncryptedBlobClient().upload(BinaryData.fromBytes(data));
    }

    private static void claimOneGibRegions(BlobClient blob) {
        Map<String, String> metadata = new HashMap<>(blob.getProperties().getMetadata());
        metadata.put("encryptiondata", metadata.get("encryptiondata").replaceAll("\"DataLength\":\\d+",
            "\"DataLength\":1073741824"));
        blob.setMetadata(metadata);
    }
}
