package dev.cse4j.blob;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.ParallelTransferOptions;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upload progress is reported in plaintext bytes as the request bodies are sent, as the Azure SDK reports a plain
 * upload: several times during one Put Blob, and per block when staged; never more than the data, ending at it.
 */
@ExtendWith(AzuriteExtension.class)
class UploadProgressTest {
    private static final int MIB = 1024 * 1024;
    private static BlobContainerClient container;

    @BeforeAll
    static void setUp(Azurite azurite) {
        container = Fixtures.container(azurite, "progress");
    }

    private static List<Long> upload(String name, byte[] data, ParallelTransferOptions transfer) {
        List<Long> reports = new CopyOnWriteArrayList<>();
        EncryptedBlobClient client = Fixtures.builder(container, name, Fixtures.options()
            .blobProtocol(EncryptionProtocol.V2_1).blobRegionLength(256 * 1024)).buildEncryptedBlobClient();
        client.uploadWithResponse(new EncryptedBlobUploadOptions(BinaryData.fromBytes(data))
            .setParallelTransferOptions(transfer).setProgressListener(reports::add), null, Context.NONE);
        assertThat(client.downloadContent().toBytes()).isEqualTo(data);
        return reports;
    }

    @Test
    void singlePutBlob_reportsAsTheBodyIsSent_notOnceAtTheEnd() {
        byte[] data = TestData.random(3 * MIB + 5, 1);

        List<Long> reports = upload("single", data, null);

        assertThat(reports.size()).isGreaterThanOrEqualTo(3);
        assertThat(reports).isSorted().allSatisfy(r -> assertThat(r).isBetween(1L, (long) data.length));
        assertThat(reports.get(reports.size() - 1)).isEqualTo(data.length);
    }

    @Test
    void stagedUpload_reportsPerBlock() {
        byte[] data = TestData.random(3 * MIB + 5, 2);

        List<Long> reports = upload("staged", data, new ParallelTransferOptions().setBlockSizeLong((long) MIB)
            .setMaxSingleUploadSizeLong((long) MIB).setMaxConcurrency(1));

        assertThat(reports.size()).isGreaterThanOrEqualTo(4);
        assertThat(reports).isSorted().allSatisfy(r -> assertThat(r).isBetween(1L, (long) data.length));
        assertThat(reports).contains((long) MIB, 2L * MIB, 3L * MIB, (long) data.length);
    }

    @Test
    void putBlobFromTheSpoolFile_endsAtTheDataLength() {
        byte[] data = TestData.random(MIB + 7, 3);

        List<Long> reports = upload("spooled", data, new ParallelTransferOptions().setBlockSizeLong(256L * 1024)
            .setMaxConcurrency(2));

        assertThat(reports).isNotEmpty().isSorted();
        assertThat(reports.get(reports.size() - 1)).isEqualTo(data.length);
    }
}
