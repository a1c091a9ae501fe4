package dev.cse4j.spark;

import com.azure.core.util.BinaryData;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.data.tables.models.TableEntity;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.specialized.cryptography.BlobClientSideEncryptionOptions;
import com.azure.storage.blob.specialized.cryptography.EncryptionVersion;
import com.microsoft.azure.storage.CloudStorageAccount;
import com.microsoft.azure.storage.blob.BlobEncryptionPolicy;
import com.microsoft.azure.storage.blob.BlobRequestOptions;
import com.microsoft.azure.storage.blob.CloudBlockBlob;
import com.microsoft.azure.storage.table.DynamicTableEntity;
import com.microsoft.azure.storage.table.EntityProperty;
import com.microsoft.azure.storage.table.TableEncryptionPolicy;
import com.microsoft.azure.storage.table.TableOperation;
import com.microsoft.azure.storage.table.TableRequestOptions;
import dev.cse4j.blob.EncryptedBlobClientBuilder;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.keys.AesKeyWrapKey;
import dev.cse4j.keys.JsonWebKey;
import dev.cse4j.keys.JsonWebKeySet;
import dev.cse4j.table.EncryptedTableClient;
import dev.cse4j.table.EncryptedTableClientBuilder;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.LegacySdkKey;
import dev.cse4j.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Containers of blobs from every writer the fleet operations meet, and the files a job ships: the old key (JWK Set,
 * {@code --key}), the new key ({@code --new-key}) and the storage connection string, named after the fixture
 * (executors find shipped files by name, so names are unique per Spark session).
 */
final class FleetData {

    /** Who wrote a blob. */
    enum Writer {
        /** Microsoft's azure-storage-blob-cryptography 12.32.1, protocol 2.0. */
        MICROSOFT_V2,
        /** Microsoft's azure-storage-blob-cryptography 12.32.1, protocol 2.1 (16-byte regions). */
        MICROSOFT_V2_1,
        /** Microsoft's legacy azure-storage 8.6.6, protocol 1.0. */
        LEGACY_V1,
        /** cse4j, protocol 2.0. */
        CSE4J_V2_0,
        /** cse4j, protocol 2.1 (64-byte regions). */
        CSE4J_V2_1,
        /** Not encrypted (a plain upload). */
        PLAIN
    }

    /** Plaintext sizes, cycled through: empty, one byte, a few regions of 2.1, and past 64 KiB. */
    private static final int[] SIZES = {0, 1, 1000, 70_001};

    final String name;
    final Azurite azurite;
    final byte[] oldKeyBytes;
    final byte[] newKeyBytes;
    final String oldKeyId;
    final String newKeyId;
    final Path keyFile;
    final Path newKeyFile;
    final Path storageFile;
    /** Blob name to the SHA-256 of its plaintext, per container. */
    final Map<String, Map<String, String>> expected = new LinkedHashMap<>();
    /** {@code PartitionKey|RowKey} to the plaintext of the entity's property {@code Secret}, per table. */
    final Map<String, Map<String, String>> expectedEntities = new LinkedHashMap<>();

    /** Who wrote a table entity. */
    enum EntityWriter {
        /** Microsoft's legacy azure-storage 8.6.6 (Java 8 SDK), protocol 1.0: {@code Secret} encrypted. */
        JAVA8_V1,
        /** cse4j, {@code cse4j-t1}: {@code Secret} encrypted. */
        CSE4J_T1,
        /** Not encrypted. */
        PLAIN
    }

    private FleetData(String name, Azurite azurite, Path directory, String connectionString) throws IOException {
        this.name = name;
        this.azurite = azurite;
        SecureRandom random = new SecureRandom();
        oldKeyBytes = new byte[32];
        newKeyBytes = new byte[32];
        random.nextBytes(oldKeyBytes);
        random.nextBytes(newKeyBytes);
        oldKeyId = "local:" + name + "-old";
        newKeyId = "local:" + name + "-new";
        Path dir = Files.createDirectories(directory.resolve("fixtures").resolve(name));
        keyFile = dir.resolve(name + "-keys.jwks");
        newKeyFile = dir.resolve(name + "-new.jwk");
        JsonWebKeySet.of(List.of(jwk(oldKeyId, oldKeyBytes))).writeTo(keyFile, true);
        JsonWebKeySet.of(List.of(jwk(newKeyId, newKeyBytes))).writeTo(newKeyFile, true);
        storageFile = Files.writeString(dir.resolve(name + "-storage.txt"), connectionString);
    }

    /**
     * @param name names the keys and files (unique per Spark session)
     * @param connectionString what the job's connection string file holds (Azurite's, or through a proxy)
     */
    static FleetData create(String name, Azurite azurite, Path directory, String connectionString) {
        try {
            return new FleetData(name, azurite, directory, connectionString);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code perWriter} blobs of every writer into a new container: under {@code dir0/} and {@code dir1/},
     * and some directly in the container, so that the job splits the listing.
     */
    BlobContainerClient fill(String container, int perWriter) {
        BlobContainerClient client = container(container);
        client.createIfNotExists();
        Map<String, String> hashes = new LinkedHashMap<>();
        int n = 0;
        for (Writer writer : Writer.values()) {
            for (int i = 0; i < perWriter; i++, n++) {
                String blob = (n % 3 == 2 ? "" : "dir" + (n % 3) + "/") + writer.name().toLowerCase() + "-" + i;
                byte[] data = TestData.random(SIZES[n % SIZES.length], n);
                write(client, writer, blob, data);
                hashes.put(blob, TestData.sha256Hex(data));
            }
        }
        expected.put(container, hashes);
        return client;
    }

    /**
     * Writes {@code perWriter} entities of every {@link EntityWriter} into a new table, with the old key, under
     * PartitionKeys of three first characters ({@code a…}, {@code b…}, {@code é…}), so that the job splits the
     * table; each has an encrypted (unless plain) {@code Secret} and a plain {@code Public} property.
     */
    TableClient fillTable(String table, int perWriter) {
        TableClient client = table(table);
        client.createTable();
        EncryptedTableClient cse4j = new EncryptedTableClientBuilder().tableClient(client)
            .clientSideEncryptionOptions(ClientSideEncryptionOptions.builder()
                .key(AesKeyWrapKey.of(oldKeyId, oldKeyBytes), "A256KW").build())
            .encryptionResolver((pk, rk, property) -> property.equals("Secret")).buildEncryptedTableClient();
        Map<String, String> secrets = new LinkedHashMap<>();
        int n = 0;
        for (EntityWriter writer : EntityWriter.values()) {
            for (int i = 0; i < perWriter; i++, n++) {
                String pk = new String[] {"a", "b", "é"}[n % 3] + "-p" + (n % 2);
                String rk = writer.name().toLowerCase() + "-" + i;
                String secret = "secret " + n + " ✓";
                switch (writer) {
                    case JAVA8_V1 -> java8Write(table, pk, rk, secret);
                    case CSE4J_T1 -> cse4j.upsertEntity(new TableEntity(pk, rk).addProperty("Secret", secret)
                        .addProperty("Public", "visible " + rk));
                    case PLAIN -> client.upsertEntity(new TableEntity(pk, rk).addProperty("Secret", secret)
                        .addProperty("Public", "visible " + rk));
                    default -> throw new AssertionError(writer);
                }
                secrets.put(pk + "|" + rk, secret);
            }
        }
        expectedEntities.put(table, secrets);
        return client;
    }

    /** Writes entity (pk, rk) with Microsoft's Java 8 SDK under the old key, {@code Secret} encrypted (1.0). */
    private void java8Write(String table, String pk, String rk, String secret) {
        try {
            DynamicTableEntity entity = new DynamicTableEntity(pk, rk);
            entity.getProperties().put("Secret", new EntityProperty(secret));
            entity.getProperties().put("Public", new EntityProperty("visible " + rk));
            LegacySdkKey key = new LegacySdkKey(oldKeyId, oldKeyBytes);
            TableRequestOptions options = new TableRequestOptions();
            options.setEncryptionPolicy(new TableEncryptionPolicy(key, key.resolver()));
            options.setEncryptionResolver((p, r, property) -> property.equals("Secret"));
            CloudStorageAccount.parse(azurite.connectionString()).createCloudTableClient().getTableReference(table)
                .execute(TableOperation.insertOrReplace(entity), options, null);
        } catch (Exception e) {
            throw new IllegalStateException("legacy table write of (" + pk + ", " + rk + ")", e);
        }
    }

    /** A plain client of {@code table}, straight to Azurite. */
    TableClient table(String table) {
        return new TableServiceClientBuilder().connectionString(azurite.connectionString()).buildClient()
            .getTableClient(table);
    }

    /** A reader of {@code table} with both keys (protocol 1.0 and unencrypted entities allowed). */
    EncryptedTableClient tableReader(TableClient table) {
        JsonWebKeySet both = JsonWebKeySet.of(List.of(jwk(oldKeyId, oldKeyBytes), jwk(newKeyId, newKeyBytes)));
        return new EncryptedTableClientBuilder().tableClient(table).clientSideEncryptionOptions(
            ClientSideEncryptionOptions.builder().keyResolver(both.resolver()).allowUnauthenticatedV1Reads(true)
                .requireEncryption(false).build()).buildEncryptedTableClient();
    }

    /** A plain client of {@code container}, straight to Azurite. */
    BlobContainerClient container(String container) {
        return new BlobServiceClientBuilder().connectionString(azurite.connectionString()).buildClient()
            .getBlobContainerClient(container);
    }

    /** Writes {@code data} as blob {@code blob}, encrypted by {@code writer} with the old key. */
    void write(BlobContainerClient container, Writer writer, String blob, byte[] data) {
        AesKeyWrapKey old = AesKeyWrapKey.of(oldKeyId, oldKeyBytes);
        switch (writer) {
            case MICROSOFT_V2, MICROSOFT_V2_1 -> {
                com.azure.storage.blob.specialized.cryptography.EncryptedBlobClientBuilder builder =
                    new com.azure.storage.blob.specialized.cryptography.EncryptedBlobClientBuilder(
                        writer == Writer.MICROSOFT_V2 ? EncryptionVersion.V2 : EncryptionVersion.V2_1)
                        .connectionString(azurite.connectionString())
                        .containerName(container.getBlobContainerName()).blobName(blob)
                        .key(old.asAsync(), "A256KW");
                if (writer == Writer.MICROSOFT_V2_1) {
                    builder.clientSideEncryptionOptions(new BlobClientSideEncryptionOptions()
                        .setAuthenticatedRegionDataLengthInBytes(16));
                }
                builder.buildEncryptedBlobClient().upload(BinaryData.fromBytes(data));
            }
            case LEGACY_V1 -> {
                try {
                    CloudBlockBlob legacy = CloudStorageAccount.parse(azurite.connectionString())
                        .createCloudBlobClient().getContainerReference(container.getBlobContainerName())
                        .getBlockBlobReference(blob);
                    BlobRequestOptions options = new BlobRequestOptions();
                    options.setEncryptionPolicy(new BlobEncryptionPolicy(new LegacySdkKey(oldKeyId, oldKeyBytes),
                        null));
                    legacy.uploadFromByteArray(data, 0, data.length, null, options, null);
                } catch (Exception e) {
                    throw new IllegalStateException("legacy upload of " + blob, e);
                }
            }
            case CSE4J_V2_0, CSE4J_V2_1 -> {
                ClientSideEncryptionOptions.Builder options = ClientSideEncryptionOptions.builder()
                    .key(old, "A256KW");
                if (writer == Writer.CSE4J_V2_1) {
                    options.blobProtocol(EncryptionProtocol.V2_1).blobRegionLength(64);
                }
                new EncryptedBlobClientBuilder().blobClient(container.getBlobClient(blob))
                    .clientSideEncryptionOptions(options.build()).buildEncryptedBlobClient()
                    .upload(BinaryData.fromBytes(data), true);
            }
            case PLAIN -> container.getBlobClient(blob).upload(BinaryData.fromBytes(data), true);
            default -> throw new AssertionError(writer);
        }
    }

    /** Flips one stored byte of {@code blob}, keeping its metadata (the data no longer authenticates). */
    void tamper(BlobContainerClient container, String blob) {
        BlobClient client = container.getBlobClient(blob);
        Map<String, String> metadata = client.getProperties().getMetadata();
        byte[] stored = client.downloadContent().toBytes();
        stored[stored.length / 2] ^= 0x01;
        client.upload(BinaryData.fromBytes(stored), true);
        client.setMetadata(metadata);
    }

    /** cse4j's options reading with the old key and, if {@code write}, writing with the new one. */
    ClientSideEncryptionOptions.Builder libraryKeys(boolean write) {
        ClientSideEncryptionOptions.Builder options = ClientSideEncryptionOptions.builder()
            .keyResolver(JsonWebKeySet.read(keyFile).resolver());
        return write ? options.key(AesKeyWrapKey.of(newKeyId, newKeyBytes), "A256KW") : options;
    }

    /** A reader with both keys (protocol 1.0 and unencrypted blobs allowed). */
    dev.cse4j.blob.EncryptedBlobClient reader(BlobContainerClient container, String blob) {
        JsonWebKeySet both = JsonWebKeySet.of(List.of(jwk(oldKeyId, oldKeyBytes), jwk(newKeyId, newKeyBytes)));
        return new EncryptedBlobClientBuilder().blobClient(container.getBlobClient(blob))
            .clientSideEncryptionOptions(ClientSideEncryptionOptions.builder().keyResolver(both.resolver())
                .allowUnauthenticatedV1Reads(true).requireEncryption(false).build()).buildEncryptedBlobClient();
    }

    /** @return {@code spark.files}-style: the key files and the connection string file */
    List<Path> files() {
        return List.of(keyFile, newKeyFile, storageFile);
    }

    private static JsonWebKey jwk(String keyId, byte[] key) {
        return JsonWebKey.parse("{\"kty\":\"oct\",\"kid\":\"" + keyId + "\",\"k\":\""
            + Base64.getUrlEncoder().withoutPadding().encodeToString(key) + "\"}");
    }
}
