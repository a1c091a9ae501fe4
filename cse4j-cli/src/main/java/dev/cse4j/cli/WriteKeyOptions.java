package dev.cse4j.cli;

import com.azure.core.cryptography.KeyEncryptionKey;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.KeyResolutionException;
import dev.cse4j.core.KeyWrapException;
import dev.cse4j.core.implementation.TerminalText;
import dev.cse4j.keys.JsonWebKey;
import dev.cse4j.keys.JsonWebKeySet;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.stream.Collectors;

/** {@code --key FILE [--key-id KID] [--wrap-algorithm ALG]}: the key encryption key that writes. */
final class WriteKeyOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--key", required = true, paramLabel = "FILE", converter = NonEmptyPath.class,
        description = "Key file (JSON Web Key or JWK Set) holding the key encryption key.")
    Path keyFile;

    @Option(names = "--key-id", paramLabel = "KID",
        description = "Which key of the file wraps (required when the file holds several keys).")
    String keyId;

    @Option(names = "--wrap-algorithm", paramLabel = "ALG",
        description = "Key wrap algorithm (default: A256KW, A192KW or A128KW by AES key size; RSA-OAEP-256 for RSA "
            + "keys; RSA keys also take RSA-OAEP).")
    String wrapAlgorithm;

    /**
     * The key, its algorithm and id, checked to wrap with that algorithm before any data is sent. Warns if others can
     * read the key file ({@link KeyFile}).
     */
    WritingKey load(CliContext context) {
        return load(context, spec, keyFile, keyId, "--key-id", wrapAlgorithm, "--wrap-algorithm");
    }

    /**
     * The key of {@code file} that writes: the one named {@code keyId}, else the file's only key; with
     * {@code wrapAlgorithm} or else its default algorithm, checked by a trial wrap of a throwaway key. The option
     * names are those of the calling command (e.g. {@code --new-key-id}), for its messages.
     */
    static WritingKey load(CliContext context, CommandSpec spec, Path file, String keyId, String keyIdOption,
        String wrapAlgorithm, String wrapAlgorithmOption) {
        JsonWebKeySet keys = KeyFile.read(file, context);
        JsonWebKey jwk;
        if (keyId != null) {
            jwk = keys.find(keyId).orElseThrow(() -> new KeyResolutionException(KeyResolutionException.Reason
                .KEY_NOT_FOUND, keyId, "Key file " + file + " has no key with id '" + keyId + "' (it has: "
                + keyIds(keys) + "). Check " + keyIdOption + "."));
        } else if (keys.keys().size() == 1) {
            jwk = keys.keys().get(0);
        } else {
            throw new ParameterException(spec.commandLine(), "Key file " + file + " holds " + keys.keys().size()
                + " keys (" + keyIds(keys) + "): choose the one that wraps with " + keyIdOption + ".");
        }
        String algorithm = wrapAlgorithm != null ? wrapAlgorithm : jwk.defaultWrapAlgorithm();
        KeyEncryptionKey key = jwk.toKeyEncryptionKey();
        checkWraps(spec, file, key, algorithm, wrapAlgorithm != null, wrapAlgorithmOption, jwk);
        return new WritingKey(key, algorithm, jwk.keyId());
    }

    /** A trial wrap of a throwaway key: an algorithm the key cannot wrap with is a usage error, not a failure. */
    private static void checkWraps(CommandSpec spec, Path file, KeyEncryptionKey key, String algorithm,
        boolean chosen, String wrapAlgorithmOption, JsonWebKey jwk) {
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        try {
            key.wrapKey(algorithm, probe);
        } catch (KeyWrapException | IllegalArgumentException e) {
            if (!chosen) {
                throw new CliFailure(ExitCode.OTHER, "Key '" + jwk.keyId() + "' in " + file + " cannot wrap: "
                    + TerminalText.oneLine(e.getMessage()), e);
            }
            throw new ParameterException(spec.commandLine(), "Key '" + jwk.keyId() + "' (" + jwk.keyType() + " "
                + jwk.sizeInBits() + " bits) cannot wrap with " + wrapAlgorithmOption + " " + algorithm + ": "
                + TerminalText.oneLine(e.getMessage()) + " Its default is " + jwk.defaultWrapAlgorithm() + ".");
        }
    }

    private static String keyIds(JsonWebKeySet keys) {
        return keys.keys().stream().map(k -> "'" + k.keyId() + "'").collect(Collectors.joining(", "));
    }

    /** The key encryption key that wraps, with the algorithm it wraps with. */
    record WritingKey(KeyEncryptionKey key, String algorithm, String keyId) {
        /** For messages: id and algorithm, never key material. */
        String describe() {
            return "key '" + keyId + "' (" + algorithm + ")";
        }

        /** Options that write with this key; the caller adds the rest. */
        ClientSideEncryptionOptions.Builder options() {
            return ClientSideEncryptionOptions.builder().key(key, algorithm);
        }
    }
}
