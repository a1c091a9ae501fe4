package dev.cse4j.cli;

import com.azure.core.util.Context;
import com.azure.storage.queue.models.QueueStorageException;
import dev.cse4j.queue.DecryptedPeekedMessageItem;
import dev.cse4j.queue.EncryptedQueueClient;
import dev.cse4j.queue.QueueMessageDecryptionError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "peek", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Peek at up to --max messages at the front of queue Q, verify and decrypt each, and print its text on its "
            + "own line (stdout, UTF-8). Deletes nothing and changes no message's visibility. A text containing line "
            + "breaks spans several lines.",
        "A message that cannot be decrypted (tampered, unknown key, unencrypted, protocol 1.0 without --allow-v1) "
            + "is not printed; the others still are, and the exit code is that of the first failure. An empty queue "
            + "prints nothing (exit 0); a missing one is an error (exit 1)."})
final class QueuePeekCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(names = "--queue", required = true, paramLabel = "Q", converter = Names.Queue.class,
        description = "Queue name.")
    String queue;

    @Mixin
    ReadKeyOptions key;

    @Option(names = "--max", paramLabel = "N", defaultValue = "32",
        description = "Peek at most N messages, 1 to " + QueueReceiveCommand.SERVICE_MAX + " (the most the service "
            + "shows at once; default ${DEFAULT-VALUE}).")
    int max;

    @Option(names = "--allow-v1",
        description = "Also decrypt legacy protocol 1.0 messages (AES-CBC: unauthenticated, modifiable undetectably).")
    boolean allowV1;

    @Mixin
    ConnectionOptions connection;

    QueuePeekCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (max < 1 || max > QueueReceiveCommand.SERVICE_MAX) {
            throw new ParameterException(spec.commandLine(), "--max must be 1 to " + QueueReceiveCommand.SERVICE_MAX
                + " (peek sees only the front of the queue), not " + max + ".");
        }
        QueueStorage storage = new QueueStorage(context.connectionString(connection.connectionString), queue);
        List<QueueMessageDecryptionError> failures = new ArrayList<>();
        EncryptedQueueClient client = storage.encrypted(key.options(context)
            .allowUnauthenticatedV1Reads(allowV1).build())
            .processMessageDecryptionError(failures::add).buildEncryptedQueueClient();
        List<DecryptedPeekedMessageItem> messages;
        try {
            messages = client.peekMessages(max, null, Context.NONE);
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof QueueStorageException service && service.getStatusCode() == 404) {
                    throw new CliFailure(ExitCode.OTHER, "Queue '" + storage.name() + "' does not exist. Check "
                        + "--queue (and the connection string's account).", e);
                }
            }
            throw e;
        }
        for (DecryptedPeekedMessageItem message : messages) {
            context.out().println(message.getMessageText());
        }
        context.out().flush();
        if (!failures.isEmpty()) {
            QueueMessageDecryptionError first = failures.get(0);
            RuntimeException cause = key.explain(first.getCause());
            throw new CliFailure(Failures.exitCode(cause), failures.size() + " message(s) could not be read (first: "
                + "message " + first.getMessageId() + "): " + Failures.message(cause), cause);
        }
        return ExitCode.OK.code();
    }
}
