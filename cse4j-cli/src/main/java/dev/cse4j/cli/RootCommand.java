package dev.cse4j.cli;

import dev.cse4j.core.implementation.Agent;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

@Command(name = "cse4j", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class,
    description = {
        "Client-side envelope encryption for Azure Storage: data is encrypted on this machine with a fresh "
            + "content key per object, wrapped by your key encryption key (a JWK file), before it is sent.",
        ""},
    subcommands = {KeyCommand.class, BlobCommand.class, QueueCommand.class, TableCommand.class},
    footerHeading = "%n",
    footer = {
        "Connection: --connection-string CS, else $AZURE_STORAGE_CONNECTION_STRING, else "
            + "UseDevelopmentStorage=true (Azurite on 127.0.0.1:10000-10002). Containers, queues and tables are "
            + "created when missing.",
        "",
        "Keys (--key FILE): a JSON Web Key or JWK Set file. Writing uses the file's only key, or the one named "
            + "by --key-id; reading tries every key in the file by the key id stored with the data. Default wrap "
            + "algorithm: A256KW (A128KW/A192KW by size) for AES keys, RSA-OAEP-256 for RSA keys; "
            + "--wrap-algorithm overrides.",
        "",
        "Exit codes: 0 ok, 1 other failure, 2 usage error, 3 integrity failure (data, metadata or wrapped key "
            + "modified, or the wrong key material), 4 key not found or key id mismatch, 5 refused by policy "
            + "(unencrypted data, protocol 1.0 without --allow-v1).",
        "Errors are one line on stderr; --debug or CSE4J_DEBUG=1 adds the stack trace."})
final class RootCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
        description = "On failure, also print the stack trace (and the Azure SDK's log).")
    boolean debug;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: key, blob, queue or table.");
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"cse4j " + Agent.VERSION, CryptoChoice.describe()};
        }
    }
}
