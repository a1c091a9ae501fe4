package dev.cse4j.cli;

import com.azure.core.cryptography.KeyEncryptionKeyResolver;
import dev.cse4j.keys.JsonWebKeySet;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --key FILE}: every key in the file serves the resolver that reads. */
final class ReadKeyOptions {
    @Option(names = "--key", required = true, paramLabel = "FILE",
        description = "Key file (JSON Web Key or JWK Set); the key named by the stored key id unwraps.")
    Path keyFile;

    /** Finds keys by the stored key id; an unknown id makes the read fail with exit code 4. */
    KeyEncryptionKeyResolver resolver() {
        return JsonWebKeySet.read(keyFile).resolver();
    }
}
