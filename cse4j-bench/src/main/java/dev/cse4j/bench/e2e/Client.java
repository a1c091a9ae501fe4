package dev.cse4j.bench.e2e;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobClientBuilder;
import com.azure.storage.blob.specialized.cryptography.EncryptionVersion;
import dev.cse4j.blob.EncryptedBlobAsyncClient;
import dev.cse4j.blob.EncryptedBlobClient;
import dev.cse4j.blob.EncryptedBlobClientBuilder;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.keys.AesKeyWrapKey;
import dev.cse4j.keys.KeyWrapAlgorithm;

import java.nio.file.Path;

/**
 * The three clients compared, each used the way its documentation shows for files, with its default transfer
 * options: {@code uploadFromFile(path, true)} and {@code downloadToFile(path, true)}.
 * <ul>
 *   <li>{@link #PLAIN} (A): azure-storage-blob's {@link BlobClient}, no encryption: the floor.</li>
 *   <li>{@link #MICROSOFT} (B): azure-storage-blob-cryptography's {@code EncryptedBlobClient}, protocol 2.0, with an
 *       A256KW key encryption key.</li>
 *   <li>{@link #CSE4J} (C): cse4j's {@link EncryptedBlobClient} (protocol 2.0, the same A256KW key).</li>
 *   <li>{@link #CSE4J_ASYNC} (D): cse4j's {@link EncryptedBlobAsyncClient}, built by the same builder with the same
 *       options ({@code uploadFromFile(path, true)} and {@code downloadToFile(path, true)}, waited for).</li>
 *   <li>{@link #CSE4J_BASELINE} (E): cse4j's synchronous client of another build, to compare two builds in one run
 *       ({@code --baseline-jar}); the child runs that jar's {@code cse4j} client.</li>
 * </ul>
 */
enum Client {
    PLAIN("A", "plain") {
        @Override
        void upload(Target target, Path file) {
            plain(target).uploadFromFile(file.toString(), true);
        }

        @Override
        void download(Target target, Path file) {
            plain(target).downloadToFile(file.toString(), true);
        }
    },
    MICROSOFT("B", "microsoft") {
        @Override
        void upload(Target target, Path file) {
            microsoft(target).uploadFromFile(file.toString(), true);
        }

        @Override
        void download(Target target, Path file) {
            microsoft(target).downloadToFile(file.toString(), true);
        }
    },
    CSE4J("C", "cse4j") {
        @Override
        void upload(Target target, Path file) {
            cse4j(target).uploadFromFile(file.toString(), true);
        }

        @Override
        void download(Target target, Path file) {
            cse4j(target).downloadToFile(file.toString(), true);
        }
    },
    CSE4J_ASYNC("D", "cse4j-async") {
        @Override
        void upload(Target target, Path file) {
            cse4jBuilder(target).buildEncryptedBlobAsyncClient().uploadFromFile(file.toString(), true).block();
        }

        @Override
        void download(Target target, Path file) {
            cse4jBuilder(target).buildEncryptedBlobAsyncClient().downloadToFile(file.toString(), true).block();
        }
    },
    CSE4J_BASELINE("E", "cse4j-baseline") {
        @Override
        void upload(Target target, Path file) {
            CSE4J.upload(target, file);
        }

        @Override
        void download(Target target, Path file) {
            CSE4J.download(target, file);
        }

        @Override
        String childLabel() {
            return CSE4J.label();
        }
    };

    /** Where a transfer goes: the service, the blob, and the key encryption key (ignored by {@link #PLAIN}). */
    record Target(String connectionString, String container, String blob, AesKeyWrapKey key) {
    }

    private final String letter;
    private final String label;

    Client(String letter, String label) {
        this.letter = letter;
        this.label = label;
    }

    /** A, B or C, as in the table. */
    String letter() {
        return letter;
    }

    /** The name used on the command line and in reports. */
    String label() {
        return label;
    }

    /** The client the child runs (the baseline runs the other build's {@code cse4j}). */
    String childLabel() {
        return label;
    }

    abstract void upload(Target target, Path file);

    abstract void download(Target target, Path file);

    static Client of(String label) {
        for (Client client : values()) {
            if (client.label.equalsIgnoreCase(label) || client.letter.equalsIgnoreCase(label)) {
                return client;
            }
        }
        throw new IllegalArgumentException("Unknown client '" + label + "': use plain, microsoft, cse4j, cse4j-async "
            + "or cse4j-baseline");
    }

    private static BlobClient plain(Target target) {
        return new BlobClientBuilder().connectionString(target.connectionString()).containerName(target.container())
            .blobName(target.blob()).buildClient();
    }

    private static com.azure.storage.blob.specialized.cryptography.EncryptedBlobClient microsoft(Target target) {
        return new com.azure.storage.blob.specialized.cryptography.EncryptedBlobClientBuilder(EncryptionVersion.V2)
            .connectionString(target.connectionString()).containerName(target.container()).blobName(target.blob())
            .key(target.key().asAsync(), KeyWrapAlgorithm.A256KW).buildEncryptedBlobClient();
    }

    private static EncryptedBlobClient cse4j(Target target) {
        return cse4jBuilder(target).buildEncryptedBlobClient();
    }

    private static EncryptedBlobClientBuilder cse4jBuilder(Target target) {
        return new EncryptedBlobClientBuilder().connectionString(target.connectionString())
            .containerName(target.container()).blobName(target.blob())
            .clientSideEncryptionOptions(ClientSideEncryptionOptions.builder()
                .key(target.key(), KeyWrapAlgorithm.A256KW).build());
    }
}
