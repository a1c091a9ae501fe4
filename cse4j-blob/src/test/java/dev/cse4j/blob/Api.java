package dev.cse4j.blob;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobRange;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.IntegrityRecord;
import reactor.core.publisher.Flux;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The two encrypted blob clients, built by the same builder with the same options: the suites that check formats,
 * ranges and tampering run against both through {@link TestBlob}, each read path of each client.
 */
enum Api {
    SYNC {
        @Override
        TestBlob build(EncryptedBlobClientBuilder builder) {
            EncryptedBlobClient client = builder.buildEncryptedBlobClient();
            return new TestBlob() {
                @Override
                public void upload(BinaryData data) {
                    client.upload(data, true);
                }

                @Override
                public EncryptedBlobProperties getProperties() {
                    return client.getProperties();
                }

                @Override
                public EncryptionData inspect() {
                    return client.inspect();
                }

                @Override
                public IntegrityRecord verifyIntegrityRecord() {
                    return client.verifyIntegrityRecord();
                }

                @Override
                public List<ReadPath> readPaths() {
                    return List.of(
                        path("sync memory", false, (range, out, dir) -> out.writeBytes(
                            client.downloadContentWithResponse(range, null, null, Context.NONE).getValue().toBytes())),
                        path("sync stream", true, (range, out, dir) ->
                            client.downloadStreamWithResponse(out, range, null, null, Context.NONE)),
                        path("sync input stream", true, (range, out, dir) -> {
                            try (InputStream in = client.openInputStream(range)) {
                                byte[] buffer = new byte[7];
                                for (int n; (n = in.read(buffer)) >= 0; ) {
                                    out.write(buffer, 0, n);
                                }
                            }
                        }),
                        path("sync file", false, (range, out, dir) -> {
                            Path file = dir.resolve("sync-" + UUID.randomUUID());
                            client.downloadToFileWithResponse(new EncryptedBlobDownloadToFileOptions(file.toString())
                                .setRange(range), null, Context.NONE);
                            out.writeBytes(Files.readAllBytes(file));
                            Files.delete(file);
                        }));
                }

                @Override
                public String toString() {
                    return client.toString();
                }
            };
        }
    },
    ASYNC {
        @Override
        TestBlob build(EncryptedBlobClientBuilder builder) {
            EncryptedBlobAsyncClient client = builder.buildEncryptedBlobAsyncClient();
            return new TestBlob() {
                @Override
                public void upload(BinaryData data) {
                    client.upload(data, true).block(TIMEOUT);
                }

                @Override
                public EncryptedBlobProperties getProperties() {
                    return client.getProperties().block(TIMEOUT);
                }

                @Override
                public EncryptionData inspect() {
                    return client.inspect().block(TIMEOUT);
                }

                @Override
                public IntegrityRecord verifyIntegrityRecord() {
                    return client.verifyIntegrityRecord().block(TIMEOUT);
                }

                @Override
                public List<ReadPath> readPaths() {
                    return List.of(
                        path("async memory", false, (range, out, dir) -> out.writeBytes(
                            client.downloadContentWithResponse(range, null).block(TIMEOUT).getValue().toBytes())),
                        path("async flux", true, (range, out, dir) -> write(client.downloadStreamWithResponse(
                            new EncryptedBlobDownloadStreamOptions().setRange(range)).block(TIMEOUT).getValue(), out)),
                        path("async flux, one buffer at a time", true, (range, out, dir) -> write(
                            client.downloadStreamWithResponse(new EncryptedBlobDownloadStreamOptions().setRange(range))
                                .flatMapMany(response -> response.getValue()).limitRate(1), out)),
                        path("async file", false, (range, out, dir) -> {
                            Path file = dir.resolve("async-" + UUID.randomUUID());
                            client.downloadToFileWithResponse(new EncryptedBlobDownloadToFileOptions(file.toString())
                                .setRange(range)).block(TIMEOUT);
                            out.writeBytes(Files.readAllBytes(file));
                            Files.delete(file);
                        }));
                }

                @Override
                public String toString() {
                    return client.toString();
                }
            };
        }

        /** Writes each buffer as it arrives, so what a failing download released before the failure stays. */
        private void write(Flux<ByteBuffer> plaintext, ByteArrayOutputStream out) {
            plaintext.doOnNext(buffer -> {
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                out.writeBytes(bytes);
            }).blockLast(TIMEOUT);
        }
    };

    /** The longest any test waits for one asynchronous operation. */
    static final Duration TIMEOUT = Duration.ofMinutes(2);

    abstract TestBlob build(EncryptedBlobClientBuilder builder);

    /** An encrypted blob client of either kind, as the suites use it (waiting for the asynchronous one). */
    interface TestBlob {
        /** Uploads {@code data} encrypted, replacing the blob. */
        void upload(BinaryData data);

        EncryptedBlobProperties getProperties();

        /** The blob's parsed encryption metadata; {@code null} if it has none. */
        EncryptionData inspect();

        /** The blob's verified integrity record; {@code null} if it has none (and none is required). */
        IntegrityRecord verifyIntegrityRecord();

        /** Every way the client reads plaintext. */
        List<ReadPath> readPaths();
    }

    /** One way to read a blob's plaintext. */
    interface ReadPath {
        /**
         * Whether it hands out plaintext as it verifies it (a stream or a {@link Flux}): after a failure it may have
         * released the verified regions before the failing one. The others release nothing on failure.
         */
        boolean streams();

        /**
         * Reads {@code range} ({@code null}: the whole blob) into {@code out}; what it released before a failure
         * stays in {@code out}. A file path writes into {@code dir} and deletes its file after reading it back.
         */
        void read(BlobRange range, ByteArrayOutputStream out, Path dir) throws Exception;

        /** The plaintext of {@code range} ({@code null}: the whole blob). */
        default byte[] read(BlobRange range, Path dir) throws Exception {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            read(range, out, dir);
            return out.toByteArray();
        }
    }

    private static ReadPath path(String name, boolean streams, Reader reader) {
        return new ReadPath() {
            @Override
            public boolean streams() {
                return streams;
            }

            @Override
            public void read(BlobRange range, ByteArrayOutputStream out, Path dir) throws Exception {
                reader.read(range, out, dir);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    private interface Reader {
        void read(BlobRange range, ByteArrayOutputStream out, Path dir) throws Exception;
    }
}
