package dev.cse4j.blob;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.keys.AesKeyWrapKey;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.Vectors;

import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Shared test setup: the vectors' key encryption key, one container per test class, blob clients. */
final class Fixtures {
    static final String KEY_ID = "local:kek1";
    private static final ConcurrentMap<String, BlobServiceClient> SERVICES = new ConcurrentHashMap<>();

    private Fixtures() {
    }

    /** The known-answer vectors' KEK: bytes 00..1f, id local:kek1, A256KW. */
    static AesKeyWrapKey kek() {
        return AesKeyWrapKey.of(KEY_ID, Vectors.kek(Vectors.JAVA_SDK));
    }

    static AesKeyWrapKey otherKek(String id) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) 0x5a);
        return AesKeyWrapKey.of(id, key);
    }

    static BlobServiceClient service(Azurite azurite) {
        return SERVICES.computeIfAbsent(azurite.connectionString(),
            cs -> new BlobServiceClientBuilder().connectionString(cs).buildClient());
    }

    /** A fresh container. */
    static BlobContainerClient container(Azurite azurite, String prefix) {
        String name = (prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
        BlobContainerClient container = service(azurite).getBlobContainerClient(name);
        container.create();
        return container;
    }

    static BlobClient plain(BlobContainerClient container, String blobName) {
        return container.getBlobClient(blobName);
    }

    /** A 2.0 client with the vectors' KEK. */
    static EncryptedBlobClient encrypted(BlobContainerClient container, String blobName) {
        return builder(container, blobName).buildEncryptedBlobClient();
    }

    /** A 2.1 client with 16-byte regions. */
    static EncryptedBlobClient encrypted21(BlobContainerClient container, String blobName) {
        return builder(container, blobName, options().blobProtocol(EncryptionProtocol.V2_1).blobRegionLength(16))
            .buildEncryptedBlobClient();
    }

    /** Options with the vectors' KEK, to add to. */
    static ClientSideEncryptionOptions.Builder options() {
        return ClientSideEncryptionOptions.builder().key(kek(), "A256KW");
    }

    static EncryptedBlobClientBuilder builder(BlobContainerClient container, String blobName) {
        return builder(container, blobName, options());
    }

    static EncryptedBlobClientBuilder builder(BlobContainerClient container, String blobName,
        ClientSideEncryptionOptions.Builder options) {
        return new EncryptedBlobClientBuilder().blobClient(container.getBlobClient(blobName))
            .clientSideEncryptionOptions(options.build());
    }
}
