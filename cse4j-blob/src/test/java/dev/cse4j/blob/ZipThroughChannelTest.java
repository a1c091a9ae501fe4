package dev.cse4j.blob;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.ParallelTransferOptions;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random access as a real consumer uses it: a 100 MiB ZIP archive is written through the encrypted output stream
 * (25 stored entries of 4 MiB of random bytes, each followed by a deflated entry of 256 KiB of generated log lines),
 * then Apache Commons Compress lists its entries and extracts one through the read channel. Protocol 2.1 with
 * 64 KiB regions, channel reads of one region: the reader fetches under 5 % of the stored bytes (counted by a
 * pipeline policy on the reading client), and every byte it got was authenticated.
 */
@ExtendWith(AzuriteExtension.class)
class ZipThroughChannelTest {
    private static final int R = 64 * 1024;
    private static final int ENTRIES = 25;
    private static final int BINARY_SIZE = 4 * 1024 * 1024;
    private static final int TEXT_SIZE = 256 * 1024;

    @Test
    void zipArchive_isListedAndOneEntryExtracted_fetchingUnderFivePercentOfTheBlob(Azurite azurite)
        throws IOException {
        BlobContainerClient container = Fixtures.container(azurite, "zip");
        EncryptedBlobClient writer = Fixtures.builder(container, "archive.zip", Fixtures.options()
                .blobProtocol(EncryptionProtocol.V2_1).blobRegionLength(R)).parallelTransferOptions(new ParallelTransferOptions().setMaxConcurrency(4))
            .buildEncryptedBlobClient();
        List<String> names = new ArrayList<>();
        try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(writer.getBlobOutputStream(),
            1 << 16))) {
            zip.setLevel(Deflater.BEST_SPEED);
            for (int i = 0; i < ENTRIES; i++) {
                names.add(writeStored(zip, String.format(Locale.ROOT, "data/%02d.bin", i), binary(i)));
                ZipEntry text = new ZipEntry(String.format(Locale.ROOT, "logs/%02d.log", i));
                zip.putNextEntry(text);
                zip.write(text(i));
                zip.closeEntry();
                names.add(text.getName());
            }
        }
        long stored = container.getBlobClient("archive.zip").getProperties().getBlobSize();
        assertThat(stored).isGreaterThanOrEqualTo(100L * 1024 * 1024);

        CountingPolicy counter = new CountingPolicy();
        BlobClient counted = new BlobClientBuilder().connectionString(azurite.connectionString())
            .containerName(container.getBlobContainerName()).blobName("archive.zip").addPolicy(counter)
            .buildClient();
        EncryptedBlobClient reader = new EncryptedBlobClientBuilder().blobClient(counted)
            .clientSideEncryptionOptions(Fixtures.options().requireIntegrityRecord(true).build())
            .buildEncryptedBlobClient();
        List<String> listed = new ArrayList<>();
        byte[] extracted;
        try (SeekableByteChannel channel = reader.openSeekableByteChannelRead(
                new EncryptedBlobSeekableByteChannelReadOptions().setReadSizeInBytes(R).setCachedReads(4));
            ZipFile zip = ZipFile.builder().setSeekableByteChannel(channel).get()) {
            for (ZipArchiveEntry entry : Collections.list(zip.getEntries())) {
                listed.add(entry.getName());
            }
            try (InputStream in = zip.getInputStream(zip.getEntry("logs/12.log"))) {
                extracted = in.readAllBytes();
            }
        }
        assertThat(listed).containsExactlyElementsOf(names);
        assertThat(extracted).isEqualTo(text(12));
        double percent = 100.0 * counter.bytes() / stored;
        System.out.printf(Locale.ROOT, "ZIP of %d stored bytes: listed %d entries and extracted one with %d GET "
            + "requests fetching %d bytes (%.2f %%)%n", stored, listed.size(), counter.gets(), counter.bytes(), percent);
        assertThat(percent).as("share of the blob's bytes fetched").isLessThan(5.0);
    }

    private static String writeStored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
        return name;
    }

    private static byte[] binary(int i) {
        byte[] data = new byte[BINARY_SIZE];
        SplittableRandom random = new SplittableRandom(i);
        for (int pos = 0; pos < data.length; pos += 8) {
            long v = random.nextLong();
            for (int b = 0; b < 8; b++) {
                data[pos + b] = (byte) (v >>> (8 * b));
            }
        }
        return data;
    }

    /** Log lines: compressible, not trivial. */
    private static byte[] text(int i) {
        SplittableRandom random = new SplittableRandom(1000 + i);
        String[] verbs = {"GET", "PUT", "POST", "DELETE", "HEAD"};
        String[] paths = {"/api/items/", "/api/users/", "/static/img/", "/health", "/api/orders/"};
        StringBuilder text = new StringBuilder(TEXT_SIZE + 200);
        while (text.length() < TEXT_SIZE) {
            text.append(String.format(Locale.ROOT, "2026-12-02T%02d:%02d:%02d.%03dZ host-%d %s %s%d status=%d "
                    + "bytes=%d%n", random.nextInt(24), random.nextInt(60), random.nextInt(60), random.nextInt(1000),
                random.nextInt(16), verbs[random.nextInt(verbs.length)], paths[random.nextInt(paths.length)],
                random.nextInt(100_000), 200 + 100 * random.nextInt(4), random.nextInt(1 << 20)));
        }
        return text.substring(0, TEXT_SIZE).getBytes(StandardCharsets.US_ASCII);
    }
}
