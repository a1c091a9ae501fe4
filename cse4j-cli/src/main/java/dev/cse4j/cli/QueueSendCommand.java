package dev.cse4j.cli;

import com.azure.storage.queue.models.SendMessageResult;
import dev.cse4j.core.implementation.TerminalText;
import dev.cse4j.queue.EncryptedQueueClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "send", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Encrypt TEXT on this machine and send it to queue Q as one message (protocol 2.0: a JSON envelope with "
            + "the AES-256-GCM ciphertext and the wrapped content key, readable by Microsoft's .NET and Python "
            + "queue encryption). The queue is created when missing.",
        "The service takes 64 KiB of message text: about 48 KiB of plaintext fits with an AES key."})
final class QueueSendCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--queue", required = true, paramLabel = "Q", converter = Names.Queue.class,
        description = "Queue name.")
    String queue;

    @Option(names = "--message", required = true, paramLabel = "TEXT", description = "The message text (UTF-8).")
    String message;

    @Mixin
    WriteKeyOptions key;

    @Mixin
    ConnectionOptions connection;

    QueueSendCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        WriteKeyOptions.WritingKey writing = key.load(context);
        QueueStorage storage = new QueueStorage(context.connectionString(connection.connectionString), queue);
        EncryptedQueueClient client = storage.encrypted(writing.options().build()).buildEncryptedQueueClient();
        storage.createIfMissing();
        SendMessageResult sent = client.sendMessage(message);
        context.out().println(sentLine(sent, storage.name(), writing));
        return ExitCode.OK.code();
    }

    /** {@code Sent message ID to queue 'Q', encrypted with key 'K' (ALG).}, the service's message id escaped. */
    static String sentLine(SendMessageResult sent, String queue, WriteKeyOptions.WritingKey writing) {
        return "Sent message " + TerminalText.escape(sent.getMessageId()) + " to queue '" + queue
            + "', encrypted with " + writing.describe() + ".";
    }
}
