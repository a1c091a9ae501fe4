package dev.cse4j.blob;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.ChildJvm;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.cse4j.blob.TransferAnnouncementChild.MIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A blob upload or download of known length announces its AES-GCM work before its first region
 * ({@code CryptoProvider.expectWork}): in a JVM without the optimizing JIT compiler, where the JDK's AES-GCM stays
 * slow, 8 MiB or more starts loading the Amazon Corretto Crypto Provider at once rather than after the first 8 MiB
 * the JDK did. Each case runs {@link TransferAnnouncementChild} in a JVM of its own with C1 only and without Corretto
 * on its class path, so a load that was tried is seen once it failed; each transfer does less than 8 MiB of AES-GCM
 * work, so only the announcement can have started it.
 */
@ExtendWith(AzuriteExtension.class)
class TransferAnnouncementTest {
    @Test
    void uploadOf8MiB_underC1_startsLoadingCorrettoBeforeItsFirstRegion(Azurite azurite) throws Exception {
        BlobContainerClient container = Fixtures.container(azurite, "announce");

        List<String> out = child(azurite, container, "failing", "upload-failing");

        assertThat(out).contains("optimizing false", "corretto tried true");
        assertThat(out).anySatisfy(line -> assertThat(line).startsWith("transfer failed"));
        assertThat(container.getBlobClient("failing").exists()).isFalse();
    }

    @Test
    void uploadOf1MiB_underC1_neverTriesCorretto(Azurite azurite) throws Exception {
        BlobContainerClient container = Fixtures.container(azurite, "announce");

        List<String> out = child(azurite, container, "small", "upload-small");

        assertThat(out).contains("transfer done", "optimizing false", "corretto tried false");
        assertThat(Fixtures.encrypted(container, "small").downloadContent().toBytes()).isEqualTo(new byte[MIB]);
    }

    @Test
    void downloadOf16MiB_underC1_startsLoadingCorrettoBeforeItsFirstRegion(Azurite azurite, @TempDir Path folder)
        throws Exception {
        BlobContainerClient container = Fixtures.container(azurite, "announce");
        Fixtures.encrypted(container, "large").upload(BinaryData.fromBytes(TestData.random(16 * MIB, 31)), true);
        BlobClient plain = Fixtures.plain(container, "large");
        byte[] stored = plain.downloadContent().toBytes();
        stored[100]++; // region 0's ciphertext: it fails its tag, and no later region is decrypted
        plain.getBlockBlobClient().uploadWithResponse(new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(stored))
            .setMetadata(Map.copyOf(plain.getProperties().getMetadata())), null, null);

        Path file = folder.resolve("large.bin");

        List<String> out = child(azurite, container, "large", "download-one-chunk", file.toString());

        assertThat(out).contains("transfer failed IntegrityException", "optimizing false", "corretto tried true");
        assertThat(folder).isEmptyDirectory();
    }

    /** Runs the child with C1 only for {@code blob}, {@code mode} and {@code more}; it must succeed; its lines. */
    private static List<String> child(Azurite azurite, BlobContainerClient container, String blob, String mode,
        String... more) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(azurite.connectionString(), container.getBlobContainerName(), blob,
            mode));
        args.addAll(List.of(more));
        ChildJvm.Result result = ChildJvm.run(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
            TransferAnnouncementChild.class, args);
        assertThat(result.exitCode()).as(String.join("\n", result.output())).isZero();
        // with Corretto there, its load would succeed and leave no trace this test can see
        assertThat(result.output()).contains("corretto on the class path false");
        return result.output();
    }
}
