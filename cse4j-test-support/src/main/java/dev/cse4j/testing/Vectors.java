package dev.cse4j.testing;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * The known-answer vectors written by Microsoft's SDKs (shipped in this jar under
 * {@code dev/cse4j/testing/vectors/}, with a {@code README.md} that explains them).
 *
 * <pre>{@code
 * for (KnownAnswerVector vector : Vectors.list(Vectors.JAVA_SDK)) {
 *     byte[] decrypted = decrypt(vector.rawBytes(), vector.encryptionDataJson(), vector.kekBytes());
 *     assertThat(decrypted).isEqualTo(vector.plaintext());
 * }
 * }</pre>
 */
public final class Vectors {

    /** Blobs written by azure-storage-blob-cryptography 12.32.1: v1, v2 and v2.1. */
    public static final String JAVA_SDK = "java-sdk";
    /** v1 blob, queue message and table entity written by the legacy com.microsoft.azure:azure-storage 8.6.6. */
    public static final String JAVA8_LEGACY_SDK = "java8-legacy-sdk";
    /** A v2 queue message written by the Python SDK. */
    public static final String PYTHON_SDK = "python-sdk";

    private static final String JSON = ".json";
    private static final String SIDE_FILE = ".encryptiondata.json";

    private Vectors() {
    }

    /** @return the vector folders, sorted: {@code java-sdk}, {@code java8-legacy-sdk}, {@code python-sdk} */
    public static List<String> folders() {
        return VectorResources.files().stream()
            .filter(path -> path.contains("/"))
            .map(path -> path.substring(0, path.indexOf('/')))
            .distinct()
            .toList();
    }

    /**
     * @param folder one of {@link #folders()}
     * @return the folder's vectors, sorted by name
     * @throws IllegalArgumentException if there is no such folder
     */
    public static List<KnownAnswerVector> list(String folder) {
        List<String> names = names(folder);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("No vector folder '" + folder + "'; the folders are " + folders());
        }
        return names.stream().map(name -> load(folder, name)).toList();
    }

    /** @return the vectors of every folder */
    public static List<KnownAnswerVector> all() {
        return folders().stream().flatMap(folder -> list(folder).stream()).toList();
    }

    /**
     * @param folder one of {@link #folders()}
     * @param name a vector's file name without {@code .json}, e.g. {@code v2-4MiB+17}
     * @return the vector
     * @throws IllegalArgumentException if there is no such vector
     */
    public static KnownAnswerVector load(String folder, String name) {
        if (!names(folder).contains(name)) {
            throw new IllegalArgumentException("No vector '" + name + "' in folder '" + folder + "'; it has "
                + names(folder) + " (folders: " + folders() + ")");
        }
        String path = folder + "/" + name + JSON;
        return new KnownAnswerVector(folder, name, Json.parseObject(VectorResources.read(path), path));
    }

    /**
     * @param folder one of {@link #folders()}
     * @return the bytes of the folder's {@code kek.hex}
     */
    public static byte[] kek(String folder) {
        String hex = new String(VectorResources.read(folder + "/kek.hex"), StandardCharsets.US_ASCII).strip();
        return HexFormat.of().parseHex(hex);
    }

    private static List<String> names(String folder) {
        String prefix = folder + "/";
        return VectorResources.files().stream()
            .filter(path -> path.startsWith(prefix) && path.endsWith(JSON) && !path.endsWith(SIDE_FILE))
            .map(path -> path.substring(prefix.length(), path.length() - JSON.length()))
            .filter(name -> !name.contains("/"))
            .toList();
    }
}
