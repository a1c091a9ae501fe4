package dev.cse4j.blob;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What {@code downloadToFile} of both cse4j clients does to the path it is given, beside the plain SDK's
 * {@code downloadToFile} doing the same to the same kind of path: a symbolic link is followed (the file it names gets the data, the link stays); a
 * FIFO (or any other non-regular file) is never replaced.
 */
@ExtendWith(AzuriteExtension.class)
class DownloadTargetTest {
    private static final byte[] DATA = TestData.random(3000, 31);
    private static BlobContainerClient container;
    private static EncryptedBlobClient encrypted;
    private static EncryptedBlobAsyncClient encryptedAsync;
    private static BlobClient plain;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(Azurite azurite) {
        container = Fixtures.container(azurite, "targets");
        encrypted = Fixtures.encrypted21(container, "encrypted");
        encrypted.upload(BinaryData.fromBytes(DATA));
        encryptedAsync = Fixtures.builder(container, "encrypted").buildEncryptedBlobAsyncClient();
        plain = container.getBlobClient("plain");
        plain.upload(BinaryData.fromBytes(DATA));
    }

    /** Runs {@code check} once for the plain SDK and once for each cse4j client, each in a folder of its own. */
    private void bothClients(BiConsumer<Path, Downloader> check) throws IOException {
        check.accept(Files.createDirectory(dir.resolve("plain")), (path, overwrite) -> plain.downloadToFile(
            path.toString(), overwrite));
        check.accept(Files.createDirectory(dir.resolve("cse4j")), (path, overwrite) -> encrypted.downloadToFile(
            path.toString(), overwrite));
        check.accept(Files.createDirectory(dir.resolve("cse4j-async")), (path, overwrite) -> encryptedAsync
            .downloadToFile(path.toString(), overwrite).block(Api.TIMEOUT));
    }

    interface Downloader {
        void download(Path path, boolean overwrite);
    }

    @Test
    void symlinkToAFile_withOverwrite_replacesTheFileItNames_andKeepsTheLink_asThePlainSdkDoes() throws IOException {
        bothClients((folder, client) -> {
            Path real = write(folder.resolve("real.bin"), new byte[] {1, 2, 3});
            Path link = link(folder.resolve("link.bin"), Path.of("real.bin"));

            client.download(link, true);

            assertThat(Files.isSymbolicLink(link)).as(folder.toString()).isTrue();
            assertThat(readLink(link)).isEqualTo(Path.of("real.bin"));
            assertThat(real).hasBinaryContent(DATA);
        });
    }

    @Test
    void danglingSymlink_withOverwrite_createsTheFileItNames_asThePlainSdkDoes() throws IOException {
        bothClients((folder, client) -> {
            Path link = link(folder.resolve("link.bin"), Path.of("new.bin"));

            client.download(link, true);

            assertThat(Files.isSymbolicLink(link)).as(folder.toString()).isTrue();
            assertThat(folder.resolve("new.bin")).hasBinaryContent(DATA);
        });
    }

    @Test
    void symlink_withoutOverwrite_isAnExistingFile_asForThePlainSdk() throws IOException {
        bothClients((folder, client) -> {
            Path dangling = link(folder.resolve("dangling.bin"), Path.of("nowhere.bin"));

            assertThatThrownBy(() -> client.download(dangling, false)).as(folder.toString())
                .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(FileAlreadyExistsException.class);
            assertThat(folder.resolve("nowhere.bin")).doesNotExist();
        });
    }

    @Test
    void fifo_orALinkToOne_isNeverReplaced() throws IOException, InterruptedException {
        Path fifo = dir.resolve("named.pipe");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Path link = link(dir.resolve("link-to-pipe"), Path.of("named.pipe"));

        for (Path target : new Path[] {fifo, link}) {
            assertThatThrownBy(() -> encrypted.downloadToFile(target.toString(), true))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("not a regular file").hasMessageContaining("FIFO");
            assertThatThrownBy(() -> encryptedAsync.downloadToFile(target.toString(), true).block(Api.TIMEOUT))
                .as("async").isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("not a regular file").hasMessageContaining("FIFO");
        }

        assertThat(Files.readAttributes(fifo, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()).isTrue();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactlyInAnyOrder(fifo, link);
        }
    }

    private static Path write(Path file, byte[] content) {
        try {
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path link(Path link, Path target) {
        try {
            return Files.createSymbolicLink(link, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path readLink(Path link) {
        try {
            return Files.readSymbolicLink(link);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
