package dev.cse4j.cli;

import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.KeyResolutionException;
import dev.cse4j.keys.JsonWebKeySet;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.stream.Collectors;

/** {@code --key FILE}: every key in the file serves the resolver that reads. */
final class ReadKeyOptions {
    @Option(names = "--key", required = true, paramLabel = "FILE", converter = NonEmptyPath.class,
        description = "Key file (JSON Web Key or JWK Set); the key named by the stored key id unwraps.")
    Path keyFile;

    private JsonWebKeySet keys;

    /**
     * Options reading with every key of the file, by the stored key id; an unknown id fails with exit code 4. Warns
     * if others can read the key file ({@link KeyFile}).
     */
    ClientSideEncryptionOptions.Builder options(CliContext context) {
        keys = KeyFile.read(keyFile, context);
        return ClientSideEncryptionOptions.builder().keyResolver(keys.resolver());
    }

    /**
     * {@code failure}, or, if no key of the file has the stored key id, a failure (exit 4) that names the file and
     * the key ids it holds.
     */
    RuntimeException explain(RuntimeException failure) {
        for (Throwable t = failure; t != null && keys != null; t = t.getCause()) {
            if (t instanceof KeyResolutionException e && e.getReason() == KeyResolutionException.Reason.KEY_NOT_FOUND) {
                return new CliFailure(ExitCode.KEY_NOT_FOUND, "The data was encrypted with key '" + e.getKeyId()
                    + "', which key file " + keyFile + " does not hold (it holds " + keys.keys().stream()
                    .map(k -> "'" + k.keyId() + "'").collect(Collectors.joining(", ")) + "). Pass --key with the file "
                    + "that holds key '" + e.getKeyId() + "'.", failure);
            }
        }
        return failure;
    }
}
