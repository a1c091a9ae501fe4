package dev.cse4j.blob;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.specialized.cryptography.BlobClientSideEncryptionOptions;
import com.azure.storage.blob.specialized.cryptography.EncryptedBlobClient;
import com.azure.storage.blob.specialized.cryptography.EncryptedBlobClientBuilder;
import com.azure.storage.blob.specialized.cryptography.EncryptionVersion;
import com.microsoft.azure.storage.CloudStorageAccount;
import com.microsoft.azure.storage.blob.BlobEncryptionPolicy;
import com.microsoft.azure.storage.blob.BlobRequestOptions;
import com.microsoft.azure.storage.blob.CloudBlockBlob;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.LegacySdkKey;

/** Microsoft's clients as interop peers, with the vectors' key encryption key. */
final class Peers {
    private Peers() {
    }

    /**
     * Microsoft's azure-storage-blob-cryptography 12.32.1 client for a blob.
     *
     * @param regionLength the 2.1 region length (used with {@link EncryptionVersion#V2_1} only)
     */
    static EncryptedBlobClient microsoft(Azurite azurite, BlobContainerClient container, String blobName,
        EncryptionVersion version, int regionLength) {
        return microsoft(azurite, container, blobName, version, regionLength, Fixtures.kek());
    }

    /** As {@link #microsoft(Azurite, BlobContainerClient, String, EncryptionVersion, int)} with another key. */
    static EncryptedBlobClient microsoft(Azurite azurite, BlobContainerClient container, String blobName,
        EncryptionVersion version, int regionLength, dev.cse4j.keys.AesKeyWrapKey kek) {
        EncryptedBlobClientBuilder builder = new EncryptedBlobClientBuilder(version)
            .connectionString(azurite.connectionString()).containerName(container.getBlobContainerName())
            .blobName(blobName).key(kek.asAsync(), "A256KW");
        if (version == EncryptionVersion.V2_1) {
            builder.clientSideEncryptionOptions(new BlobClientSideEncryptionOptions()
                .setAuthenticatedRegionDataLengthInBytes(regionLength));
        }
        return builder.buildEncryptedBlobClient();
    }

    /** Downloads and decrypts a blob with the legacy azure-storage 8.6.6 SDK and {@code key}. */
    static byte[] legacyDownload(Azurite azurite, BlobContainerClient container, String blobName, LegacySdkKey key)
        throws Exception {
        CloudBlockBlob blob = CloudStorageAccount.parse(azurite.connectionString()).createCloudBlobClient()
            .getContainerReference(container.getBlobContainerName()).getBlockBlobReference(blobName);
        BlobRequestOptions options = new BlobRequestOptions();
        options.setEncryptionPolicy(new BlobEncryptionPolicy(key, null));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        blob.download(out, null, options, null);
        return out.toByteArray();
    }

    /** Uploads {@code data} encrypted by the legacy azure-storage 8.6.6 SDK (protocol 1.0). */
    static void legacyUpload(Azurite azurite, BlobContainerClient container, String blobName, byte[] data)
        throws Exception {
        CloudBlockBlob blob = CloudStorageAccount.parse(azurite.connectionString()).createCloudBlobClient()
            .getContainerReference(container.getBlobContainerName()).getBlockBlobReference(blobName);
        BlobRequestOptions options = new BlobRequestOptions();
        options.setEncryptionPolicy(new BlobEncryptionPolicy(LegacySdkKey.vectorsKey(), null));
        blob.uploadFromByteArray(data, 0, data.length, null, options, null);
    }
}
