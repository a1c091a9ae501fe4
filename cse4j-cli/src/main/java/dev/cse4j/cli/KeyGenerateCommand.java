package dev.cse4j.cli;

import dev.cse4j.keys.JsonWebKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Generate a new key encryption key and write it to FILE as a single JSON Web Key (RFC 7517), readable "
            + "and writable by its owner only. Prints the key id and the file, never the key.",
        "An existing non-empty FILE is never replaced (exit 1); an existing empty file (e.g. from mktemp) is."})
final class KeyGenerateCommand implements Callable<Integer> {
    /** Key kinds: AES key wrap keys and RSA key pairs, by size. */
    enum KeyType {
        aes128, aes192, aes256, rsa2048, rsa3072, rsa4096;

        JsonWebKey generate(String keyId) {
            String name = name();
            int bits = Integer.parseInt(name.substring(3));
            return name.startsWith("aes") ? JsonWebKey.generateAes(bits, keyId) : JsonWebKey.generateRsa(bits, keyId);
        }
    }

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(names = "--type", required = true, paramLabel = "TYPE",
        description = "aes256 (AES key wrap, A256KW) or rsa3072 (RSA-OAEP-256); also aes128, aes192, rsa2048, "
            + "rsa4096.")
    KeyType type;

    @Option(names = "--kid", required = true, paramLabel = "KID",
        description = "The key id, stored with everything this key wraps; readers find the key by it.")
    String keyId;

    @Option(names = "--out", required = true, paramLabel = "FILE", converter = NonEmptyPath.class,
        description = "The key file to write.")
    Path out;

    KeyGenerateCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (keyId.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--kid is blank: give the key a non-blank id.");
        }
        boolean replaceEmpty = existsEmpty(out);
        if (!replaceEmpty && Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            throw new CliFailure(ExitCode.OTHER, out + " exists: it is not empty and may hold a key, so it was left "
                + "unchanged. Choose another --out, or remove the file first.");
        }
        JsonWebKey key = type.generate(keyId);
        key.writeTo(out, replaceEmpty);
        context.out().println("Generated " + type + " key '" + keyId + "' (default wrap algorithm "
            + key.defaultWrapAlgorithm() + ") in " + out);
        return ExitCode.OK.code();
    }

    private static boolean existsEmpty(Path file) {
        try {
            return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) == 0;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
