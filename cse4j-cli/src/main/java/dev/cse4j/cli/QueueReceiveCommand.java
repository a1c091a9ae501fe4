package dev.cse4j.cli;

import dev.cse4j.queue.DecryptedQueueMessageItem;
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

@Command(name = "receive", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Receive up to --max messages from queue Q, verify and decrypt each, print its text on its own line "
            + "(stdout, UTF-8) and then delete it. A text containing line breaks spans several lines.",
        "--max defaults to 32, the most the service returns per request; larger values make several requests. "
            + "A message that cannot be decrypted (tampered, unknown key, unencrypted, protocol 1.0 without "
            + "--allow-v1) is not printed and not deleted: it becomes visible again after 30 seconds. The other "
            + "messages are still printed and deleted, and the exit code is that of the first failure.",
        "The queue is created when missing. If it has no visible message, nothing is printed and the exit code "
            + "is 0."})
final class QueueReceiveCommand implements Callable<Integer> {
    /** The most messages the service returns per request. */
    static final int SERVICE_MAX = 32;

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(names = "--queue", required = true, paramLabel = "Q", converter = Names.Queue.class,
        description = "Queue name.")
    String queue;

    @Mixin
    ReadKeyOptions key;

    @Option(names = "--max", paramLabel = "N", defaultValue = "32",
        description = "Receive at most N messages (default ${DEFAULT-VALUE}).")
    int max;

    @Option(names = "--allow-v1",
        description = "Also decrypt legacy protocol 1.0 messages (AES-CBC: unauthenticated, modifiable undetectably).")
    boolean allowV1;

    @Mixin
    ConnectionOptions connection;

    QueueReceiveCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (max < 1) {
            throw new ParameterException(spec.commandLine(), "--max must be 1 or more, not " + max + ".");
        }
        QueueStorage storage = new QueueStorage(context.connectionString(connection.connectionString), queue);
        storage.createIfMissing();
        List<QueueMessageDecryptionError> failures = new ArrayList<>();
        EncryptedQueueClient client = storage.encrypted(key.options(context)
            .allowUnauthenticatedV1Reads(allowV1).build())
            .processMessageDecryptionError(failures::add).buildEncryptedQueueClient();
        int received = 0;
        while (received < max) {
            int failuresBefore = failures.size();
            List<DecryptedQueueMessageItem> batch;
            batch = client.receiveMessages(Math.min(SERVICE_MAX, max - received), null, null,
                com.azure.core.util.Context.NONE);
            for (DecryptedQueueMessageItem message : batch) {
                context.out().println(message.getMessageText());
                context.out().flush();
                client.deleteMessage(message.getMessageId(), message.getPopReceipt());
            }
            received += batch.size() + failures.size() - failuresBefore;
            if (batch.isEmpty() && failures.size() == failuresBefore) {
                break;
            }
        }
        if (!failures.isEmpty()) {
            QueueMessageDecryptionError first = failures.get(0);
            RuntimeException cause = key.explain(first.getCause());
            throw new CliFailure(Failures.exitCode(cause), failures.size() + " message(s) could not be read and "
                + "were left on queue '" + storage.name() + "' (first: message " + first.getMessageId() + "): "
                + Failures.message(cause), cause);
        }
        return ExitCode.OK.code();
    }
}
