package dev.cse4j.blob;

import com.azure.storage.blob.BlobClientBuilder;
import com.azure.storage.blob.models.ParallelTransferOptions;
import dev.cse4j.core.implementation.CryptoProvider;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The child process of {@link TransferAnnouncementTest}, run with C1 only and without the Amazon Corretto Crypto
 * Provider on its class path: one transfer, then whether the library tried to load Corretto (a load that failed
 * leaves {@link CryptoProvider#slowWithoutOptimizingJit()} present), waiting up to 5 s for a load that started (one
 * that cannot find the class ends within milliseconds).
 *
 * <p>Arguments: connection string, container, blob, mode: {@code upload-failing} (8 MiB declared, the source fails
 * after 1 MiB, before any region is encrypted), {@code upload-small} (1 MiB, whole) or {@code download-one-chunk}
 * (the whole blob, one chunk at a time, to the file named by a fifth argument: the blob's first region is tampered
 * with, so only it is decrypted).
 */
public final class TransferAnnouncementChild {
    static final int MIB = 1024 * 1024;

    private TransferAnnouncementChild() {
    }

    public static void main(String[] args) throws Exception {
        EncryptedBlobClient client = new EncryptedBlobClientBuilder()
            .blobClient(new BlobClientBuilder().connectionString(args[0]).containerName(args[1]).blobName(args[2])
                .buildClient())
            .clientSideEncryptionOptions(Fixtures.options().build())
            .parallelTransferOptions(new ParallelTransferOptions().setMaxConcurrency(1))
            .buildEncryptedBlobClient();
        String mode = args[3];
        System.out.println("corretto on the class path " + onClassPath("com.amazon.corretto.crypto.provider."
            + "AmazonCorrettoCryptoProvider"));
        try {
            switch (mode) {
                case "upload-failing" -> client.upload(new FailingAfter(MIB), 8L * MIB, true);
                case "upload-small" -> client.upload(new ByteArrayInputStream(new byte[MIB]), MIB, true);
                case "download-one-chunk" -> client.downloadToFile(args[4]);
                default -> throw new IllegalArgumentException(mode);
            }
            System.out.println("transfer done");
        } catch (RuntimeException e) {
            System.out.println("transfer failed " + e.getClass().getSimpleName());
        }
        boolean tried = CryptoProvider.slowWithoutOptimizingJit().isPresent();
        for (int i = 0; i < 50 && !tried; i++) {
            Thread.sleep(100);
            tried = CryptoProvider.slowWithoutOptimizingJit().isPresent();
        }
        System.out.println("optimizing " + CryptoProvider.optimizingJit());
        System.out.println("corretto tried " + tried);
    }

    private static boolean onClassPath(String className) {
        try {
            Class.forName(className, false, TransferAnnouncementChild.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Zeros, then an {@link IOException} once {@code limit} bytes were read. */
    private static final class FailingAfter extends InputStream {
        private final long limit;
        private long read;

        FailingAfter(long limit) {
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (read >= limit) {
                throw new IOException("the source failed after " + read + " bytes");
            }
            int n = (int) Math.min(len, limit - read);
            Arrays.fill(b, off, off + n, (byte) 0);
            read += n;
            return n;
        }
    }
}
