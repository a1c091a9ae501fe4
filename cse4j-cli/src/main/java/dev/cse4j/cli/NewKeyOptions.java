package dev.cse4j.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/** {@code --new-key FILE [--new-key-id KID]}: the key encryption key a fleet command writes with. */
final class NewKeyOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--new-key", paramLabel = "FILE", converter = NonEmptyPath.class,
        description = "Key file (JSON Web Key or JWK Set) holding the key encryption key to wrap with.")
    Path keyFile;

    @Option(names = "--new-key-id", paramLabel = "KID",
        description = "Which key of the --new-key file wraps (required when the file holds several keys).")
    String keyId;

    boolean isSet() {
        return keyFile != null;
    }

    /**
     * The key that wraps, checked by a trial wrap (see {@link WriteKeyOptions#load(CliContext, CommandSpec, Path,
     * String, String, String, String)}).
     *
     * @param wrapAlgorithm {@code --wrap-algorithm}, or {@code null} for the key's default
     */
    WriteKeyOptions.WritingKey load(CliContext context, String wrapAlgorithm) {
        return WriteKeyOptions.load(context, spec, keyFile, keyId, "--new-key-id", wrapAlgorithm,
            "--wrap-algorithm");
    }
}
