package dev.cse4j.spark;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import dev.cse4j.blob.EncryptedBlobClientBuilder;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.keys.JsonWebKey;
import dev.cse4j.keys.JsonWebKeySet;
import dev.cse4j.keys.KeyWrapAlgorithm;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A container of blobs encrypted by cse4j under a fresh AES key, and the files a probe job ships, named after the
 * container (Spark refuses two shipped files of one name): the key as a JWK Set file and the connection string.
 */
final class ProbeFixture {

    /** Plaintext sizes written: empty, one byte, and around the 4 MiB region of protocol 2.0. */
    private static final int[] SIZES = {0, 1, 1000, 70_000, 4 * 1024 * 1024 + 1};

    final JsonWebKey key;
    final Path keyFile;
    final Path storageFile;
    final BlobContainerClient container;
    /** Blob name to the SHA-256 of its plaintext. */
    final Map<String, String> expected = new TreeMap<>();

    private ProbeFixture(JsonWebKey key, Path keyFile, Path storageFile, BlobContainerClient container) {
        this.key = key;
        this.keyFile = keyFile;
        this.storageFile = storageFile;
        this.container = container;
    }

    /**
     * @param count how many blobs (sizes cycle through {@link #SIZES})
     * @param directory where to write the key file and the connection string file
     */
    static ProbeFixture create(Azurite azurite, String containerName, int count, Path directory) {
        JsonWebKey key = JsonWebKey.generateAes(256, "probe-kek-" + containerName);
        try {
            Path dir = Files.createDirectories(directory.resolve(containerName));
            Path keyFile = dir.resolve(containerName + "-kek.jwk");
            JsonWebKeySet.of(java.util.List.of(key)).writeTo(keyFile, true);
            Path storageFile = Files.writeString(dir.resolve(containerName + "-storage.txt"),
                azurite.connectionString());
            BlobContainerClient container = new BlobServiceClientBuilder().connectionString(azurite.connectionString())
                .buildClient().getBlobContainerClient(containerName);
            container.createIfNotExists();
            ProbeFixture fixture = new ProbeFixture(key, keyFile, storageFile, container);
            for (int i = 0; i < count; i++) {
                fixture.upload(String.format("dir%d/blob-%03d", i % 3, i),
                    TestData.random(SIZES[i % SIZES.length], i));
            }
            return fixture;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void upload(String name, byte[] data) {
        new EncryptedBlobClientBuilder().blobClient(container.getBlobClient(name))
            .clientSideEncryptionOptions(ClientSideEncryptionOptions.builder()
                .key(key.toKeyEncryptionKey(), KeyWrapAlgorithm.A256KW).build()).buildEncryptedBlobClient()
            .upload(BinaryData.fromBytes(data), true);
        expected.put(name, TestData.sha256Hex(data));
    }

    /** @return {@code file:NAME}: the connection string from the shipped file */
    String storageFromFile() {
        return "file:" + storageFile.getFileName();
    }

    /** @return {@code spark.files}: the key file and the connection string file */
    String files() {
        return keyFile + "," + storageFile;
    }

    ProbeJob.Spec spec(String storage, String gateBlob) {
        return new ProbeJob.Spec(container.getBlobContainerName(), keyFile.getFileName().toString(), storage,
            gateBlob, 0);
    }
}
