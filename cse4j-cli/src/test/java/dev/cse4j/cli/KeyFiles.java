package dev.cse4j.cli;

import dev.cse4j.keys.JsonWebKey;
import dev.cse4j.keys.JsonWebKeySet;
import dev.cse4j.testing.Vectors;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/** Key files for the tests. */
final class KeyFiles {
    private KeyFiles() {
    }

    static Path aes(Path folder, String keyId) {
        return write(folder, keyId + ".jwk", JsonWebKey.generateAes(256, keyId));
    }

    static Path rsa(Path folder, String keyId) {
        return write(folder, keyId + ".jwk", JsonWebKey.generateRsa(2048, keyId));
    }

    /** {@code key} without its "alg" member: it wraps with any algorithm its type supports. */
    static JsonWebKey withoutAlg(JsonWebKey key) {
        return JsonWebKey.parse(key.toJson().replaceFirst(",\"alg\":\"[^\"]*\"", ""));
    }

    static Path write(Path folder, String fileName, JsonWebKey key) {
        Path file = folder.resolve(fileName);
        key.writeTo(file, false);
        return file;
    }

    static Path set(Path folder, String fileName, JsonWebKey... keys) {
        Path file = folder.resolve(fileName);
        JsonWebKeySet.of(List.of(keys)).writeTo(file, false);
        return file;
    }

    /** The key encryption key of Microsoft's known-answer vectors (id local:kek1, bytes 00..1f) as a JWK file. */
    static Path vectorKek(Path folder, String folderName) {
        String k = Base64.getUrlEncoder().withoutPadding().encodeToString(Vectors.kek(folderName));
        return write(folder, "vector-kek.jwk", JsonWebKey.parse("{\"kty\":\"oct\",\"kid\":\"local:kek1\",\"k\":\""
            + k + "\"}"));
    }
}
